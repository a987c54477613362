import type { Prng } from '@huddle/shared/random';

/** How long a client takes to send its update after the request, in (virtual) milliseconds. */
export type StragglerModel =
  | { kind: 'none' }
  | { kind: 'exp'; meanMs: number }
  | { kind: 'lognormal'; mu: number; sigma: number };

export const STRAGGLER_SYNTAX = 'none | exp:MEAN_MS | lognormal:MU,SIGMA (MU, SIGMA of ln milliseconds)';

export function parseStragglers(spec: string): StragglerModel {
  const s = spec.trim();
  if (s === 'none') return { kind: 'none' };
  const [kind, args = ''] = s.split(':', 2) as [string, string?];
  const nums = args.split(',').map((a) => (a.trim() === '' ? NaN : Number(a)));
  if (kind === 'exp' && nums.length === 1 && nums[0]! > 0 && Number.isFinite(nums[0])) return { kind: 'exp', meanMs: nums[0]! };
  if (kind === 'lognormal' && nums.length === 2 && nums.every(Number.isFinite) && nums[1]! >= 0) return { kind: 'lognormal', mu: nums[0]!, sigma: nums[1]! };
  throw new RangeError(`stragglers "${spec}" is not one of: ${STRAGGLER_SYNTAX}`);
}

export function formatStragglers(m: StragglerModel): string {
  switch (m.kind) {
    case 'none':
      return 'none';
    case 'exp':
      return `exp:${m.meanMs}`;
    case 'lognormal':
      return `lognormal:${m.mu},${m.sigma}`;
  }
}

export function sampleDelayMs(m: StragglerModel, rng: Prng): number {
  switch (m.kind) {
    case 'none':
      return 0;
    case 'exp':
      return -m.meanMs * Math.log(1 - rng.next());
    case 'lognormal':
      return Math.exp(rng.normal(m.mu, m.sigma));
  }
}
