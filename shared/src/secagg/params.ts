import { SecAggError } from './errors.ts';

/** Round parameters, fixed by the server in the roster and re-validated by every client. */
export interface SecAggParams {
  /** k: every client's degree in the neighbour graph (n - 1 = complete graph = classic SecAgg). */
  readonly neighbours: number;
  /** t: shares of b_u / s_u^SK (out of the k held by u's neighbours) needed to reconstruct. */
  readonly threshold: number;
  /** D: length of the Uint32Array input vector. */
  readonly vectorLength: number;
}

export interface ParamsConfig {
  readonly vectorLength: number;
  /** Default 'all' (k = n - 1). Capped at n - 1; bumped to k + 1 when n and k are both odd (see neighbourGraph). */
  readonly neighbours?: number | 'all';
  /** Default `defaultThreshold(k)`; a function receives the effective k. */
  readonly threshold?: number | ((neighbours: number) => number);
}

export const MIN_PARTICIPANTS = 3;
export const MAX_PARTICIPANTS = 1 << 16;
/** shamir-secret-sharing works over GF(2^8): at most 255 shares, so at most 255 neighbours. */
export const MAX_NEIGHBOURS = 255;
export const MAX_VECTOR_LENGTH = 1 << 26;

/**
 * t = floor(2k/3) + 1. Security against the server needs t > k/2: a neighbour reveals, per peer, either the b-share or
 * the s-share, never both, so a server showing different views to different neighbours still gets at most k shares in
 * total and cannot reach t of both kinds. With c corrupt neighbours colluding (revealing both) the condition becomes
 * 2t > k + c, so this default tolerates c < k/3; it leaves k - t (about a third) of each neighbourhood free to drop out.
 */
export function defaultThreshold(neighbours: number): number {
  return Math.floor((2 * neighbours) / 3) + 1;
}

/** SecAgg+ style sparse degree: 2 * ceil(log2 n), at most n - 1 (about 20 for n = 1000). */
export function suggestedNeighbours(participants: number): number {
  return Math.min(participants - 1, 2 * Math.ceil(Math.log2(Math.max(2, participants))));
}

export function resolveParams(participants: number, config: ParamsConfig): SecAggParams {
  const n = participants;
  const requested = config.neighbours === undefined || config.neighbours === 'all' ? n - 1 : config.neighbours;
  let k = Math.min(requested, n - 1);
  // A k-regular graph on n vertices needs n*k even; k < n - 1 here, so k + 1 <= n - 1.
  if (k % 2 === 1 && n % 2 === 1) k += 1;
  const t = typeof config.threshold === 'function' ? config.threshold(k) : (config.threshold ?? defaultThreshold(k));
  const params: SecAggParams = { neighbours: k, threshold: t, vectorLength: config.vectorLength };
  validateParams(n, params);
  return params;
}

export function validateParams(participants: number, p: SecAggParams): void {
  const bad = (message: string): never => {
    throw new SecAggError('INVALID_PARAMS', message, { participants, ...p });
  };
  const { neighbours: k, threshold: t, vectorLength: d } = p;
  const n = participants;
  if (![n, k, t, d].every(Number.isSafeInteger)) bad('parameters must be integers');
  if (n < MIN_PARTICIPANTS || n > MAX_PARTICIPANTS) bad(`participants must be in [${MIN_PARTICIPANTS}, ${MAX_PARTICIPANTS}]`);
  if (k < 2 || k > n - 1) bad('neighbours must be in [2, n - 1]');
  if (k > MAX_NEIGHBOURS) bad(`neighbours must be at most ${MAX_NEIGHBOURS} (GF(2^8) Shamir); use a sparse graph`);
  if ((n * k) % 2 !== 0) bad('n * neighbours must be even');
  if (t < 2 || t > k) bad('threshold must be in [2, neighbours]');
  if (2 * t <= k) bad('threshold must exceed neighbours / 2');
  if (d < 1 || d > MAX_VECTOR_LENGTH) bad(`vectorLength must be in [1, ${MAX_VECTOR_LENGTH}]`);
}
