/**
 * The twin-prior statistic on the secure-sum path: one device's bounded moment vector (`twinMomentVector`, count then
 * per parameter its posterior mean and second moment on the prior's scales), checked against its bounds, normalized by
 * them and put through the same secure-sum codec as weight updates and evaluation vectors.
 */
import type { SecureFit } from '../protocol/index.ts';
import { MOMENT_FIELDS, MOMENT_LENGTH } from '../twin/prior.ts';
import { clipL2InPlace, gaussianNoise, type RandomSource } from '../privacy/index.ts';
import { decodeSecureVector, encodeSecureVector, planSecureEncoding } from './secureVector.ts';

/** Per-coordinate bound: 1 for the count, the largest |value| for a mean, its square for a second moment. */
function normalizers(): Float64Array {
  const out = new Float64Array(MOMENT_LENGTH);
  out[0] = 1;
  MOMENT_FIELDS.forEach(({ bounds }, i) => {
    const b = Math.max(Math.abs(bounds[0]), Math.abs(bounds[1]));
    out[1 + 2 * i] = b;
    out[2 + 2 * i] = b * b;
  });
  return out;
}
const NORM = normalizers();

/** L2 bound of one device's normalized vector: every coordinate is at most 1 in absolute value. */
export const PRIOR_MOMENT_CLIP = Math.sqrt(MOMENT_LENGTH);

/** Slack for float rounding when a vector is checked against its bounds. */
const EPS = 1e-9;

/**
 * Why one device's moment vector is outside its bounds (null when it is fine): the device checks its own before sending,
 * the coordinator every plaintext one. A device without a personal fit sends zeros.
 */
export function twinMomentProblem(v: ArrayLike<number>): string | null {
  if (v.length !== MOMENT_LENGTH) return `has ${v.length} values, expected ${MOMENT_LENGTH}`;
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return `value ${i} is not a finite number`;
  const count = v[0]!;
  if (count !== 0 && count !== 1) return `count is ${count}, must be 0 or 1 (one athlete)`;
  for (let i = 0; i < MOMENT_FIELDS.length; i++) {
    const { field, bounds } = MOMENT_FIELDS[i]!;
    const mean = v[1 + 2 * i]!;
    const second = v[2 + 2 * i]!;
    if (count === 0) {
      if (mean !== 0 || second !== 0) return `${field}: a vector with count 0 must be all zeros`;
      continue;
    }
    if (mean < bounds[0] - EPS || mean > bounds[1] + EPS) return `${field} mean ${mean.toPrecision(4)} is outside [${bounds[0].toPrecision(4)}, ${bounds[1].toPrecision(4)}]`;
    const max2 = NORM[2 + 2 * i]!;
    if (second < mean * mean - EPS * max2 || second > max2 * (1 + EPS)) return `${field} second moment ${second.toPrecision(4)} is outside [mean^2, ${max2.toPrecision(4)}]`;
  }
  return null;
}

/** The secure-sum encoding of a prior round's moment vectors: the update codec, no statistics slots. */
export function planPriorEncoding(c: { noise: 'none' | 'central' | 'distributed'; noiseMultiplier: number | null; minClients: number }, selected: number): SecureFit {
  const enc = planSecureEncoding(
    { noise: c.noise, clip: PRIOR_MOMENT_CLIP, parameters: MOMENT_LENGTH, minClients: c.minClients, needsIndividualUpdates: true, updateNoiseMultiplier: c.noiseMultiplier },
    selected,
  );
  return { ...enc, releaseStats: false, exampleWeightCap: 0 };
}

/** The device's secure input: the vector normalized by its bounds (L2 <= PRIOR_MOMENT_CLIP), quantized, with its noise share. */
export function encodePriorMoments(vector: ArrayLike<number>, enc: SecureFit, random?: RandomSource): Uint32Array {
  const u = Float32Array.from({ length: MOMENT_LENGTH }, (_, i) => vector[i]! / NORM[i]!);
  clipL2InPlace(u, PRIOR_MOMENT_CLIP);
  return encodeSecureVector(u, 0, 0, null, enc, random);
}

/** The survivors' summed moments in natural units, and the std of the devices' noise on each coordinate. */
export function decodePriorSum(total: Uint32Array, enc: SecureFit, survivors: number): { sum: Float64Array; noiseStd: Float64Array } {
  const decoded = decodeSecureVector(total, enc, survivors);
  const perUnit = enc.noiseSigma > 0 ? (Math.sqrt(survivors) * enc.noiseSigma) / enc.scale : 0;
  return { sum: Float64Array.from(decoded.sum, (x, i) => x * NORM[i]!), noiseStd: Float64Array.from(NORM, (b) => perUnit * b) };
}

/** Central DP: Gaussian noise of std z x clip (normalized units) on the summed moments, added by the coordinator. */
export function addCentralPriorNoise(sum: Float64Array, noiseMultiplier: number, random?: RandomSource): Float64Array {
  const sigma = noiseMultiplier * PRIOR_MOMENT_CLIP;
  const noise = gaussianNoise(sum.length, sigma, random);
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + noise[i]! * NORM[i]!;
  return Float64Array.from(NORM, (b) => sigma * b);
}

/** The secure-aggregation instance of a prior round: its own id, so nothing of another round's keys carries over. */
export const priorSecAggId = (roundId: string): string => `${roundId}:prior`;

/**
 * Why a summed moment vector cannot come from `contributors` devices within their bounds (null when it can), with 6
 * noise SDs of slack under DP. Under secure aggregation the coordinator cannot check one device's vector, but a device
 * that put an out-of-range vector into the sum shows up here when it moved the sum past what honest ones can reach.
 */
export function priorSumProblem(sum: ArrayLike<number>, contributors: number, noiseStd: ArrayLike<number>): string | null {
  if (sum.length !== MOMENT_LENGTH) return `has ${sum.length} values, expected ${MOMENT_LENGTH}`;
  const slack = (i: number) => 6 * (noiseStd[i] ?? 0) + 1e-6 * NORM[i]! * Math.max(1, contributors);
  const count = sum[0]!;
  if (!(count >= -slack(0) && count <= contributors + slack(0))) return `count ${count.toFixed(2)} is outside [0, ${contributors}]`;
  const n = Math.max(0, Math.min(contributors, Math.round(count)));
  for (let i = 0; i < MOMENT_FIELDS.length; i++) {
    const { field, bounds } = MOMENT_FIELDS[i]!;
    const lo = Math.min(0, n * bounds[0]);
    const hi = Math.max(0, n * bounds[1]);
    const mean = sum[1 + 2 * i]!;
    if (!(mean >= lo - slack(1 + 2 * i) && mean <= hi + slack(1 + 2 * i))) return `${field}: the sum ${mean.toPrecision(4)} is outside what ${n} athletes within [${bounds[0].toPrecision(4)}, ${bounds[1].toPrecision(4)}] can add up to`;
    const second = sum[2 + 2 * i]!;
    if (!(second >= -slack(2 + 2 * i) && second <= n * NORM[2 + 2 * i]! + slack(2 + 2 * i))) return `${field}: the sum of squares ${second.toPrecision(4)} is outside [0, ${(n * NORM[2 + 2 * i]!).toPrecision(4)}]`;
  }
  return null;
}
