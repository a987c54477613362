/** Epsilon of repeated sampled-Gaussian rounds, and the noise multiplier that achieves a target epsilon. */
import { requireFinitePositive, requireOpenUnit, requirePositiveInteger, requireSamplingRate } from './checks.ts';
import { type Conversion, type EpsilonResult, epsilonFromRdp } from './rdpToDp.ts';
import { computeRdp, DEFAULT_RDP_ORDERS } from './sampledGaussianRdp.ts';
import { fixedSizeGaussianRdp } from './samplingWithoutReplacement.ts';

export interface EpsilonQuery {
  noiseMultiplier: number;
  samplingRate: number;
  rounds: number;
  delta: number;
  conversion?: Conversion;
  orders?: readonly number[];
  /** poisson (default): independent check-in with probability q; fixed-size: q n of n drawn without replacement. */
  sampling?: 'poisson' | 'fixed-size';
}

export interface NoiseQuery {
  targetEpsilon: number;
  samplingRate: number;
  rounds: number;
  delta: number;
  conversion?: Conversion;
  orders?: readonly number[];
}

export interface NoiseResult {
  noiseMultiplier: number;
  /** The epsilon actually achieved by `noiseMultiplier` (<= the target). */
  epsilon: number;
}

/** The search for a noise multiplier stays inside [2^-20, 2^20]. */
export const MIN_SEARCHED_NOISE_MULTIPLIER = 2 ** -20;
export const MAX_SEARCHED_NOISE_MULTIPLIER = 2 ** 20;
const RELATIVE_TOLERANCE = 1e-6;

export function computeEpsilon(query: EpsilonQuery): EpsilonResult {
  const { noiseMultiplier, samplingRate, rounds, delta, conversion = 'balle2020', orders = DEFAULT_RDP_ORDERS, sampling = 'poisson' } = query;
  requireFinitePositive('noiseMultiplier', noiseMultiplier);
  requireSamplingRate('samplingRate', samplingRate);
  requirePositiveInteger('rounds', rounds);
  requireOpenUnit('delta', delta);
  const rdp =
    sampling === 'fixed-size'
      ? orders.map((alpha) => rounds * fixedSizeGaussianRdp(samplingRate, noiseMultiplier, alpha))
      : computeRdp(samplingRate, noiseMultiplier, rounds, orders);
  return epsilonFromRdp(orders, rdp, delta, conversion);
}

/**
 * The smallest noise multiplier whose epsilon is at most `targetEpsilon`, to 1e-6 relative
 * (epsilon is non-increasing in the noise multiplier, so bisection applies). If even the smallest
 * searched multiplier meets the target, that floor is returned. Throws when even the largest
 * searched multiplier cannot meet it (e.g. mironov2017 never goes below log(1/delta) / (maxOrder - 1)).
 */
export function findNoiseMultiplier(query: NoiseQuery): NoiseResult {
  const { targetEpsilon, samplingRate, rounds, delta, conversion = 'balle2020', orders = DEFAULT_RDP_ORDERS } = query;
  requireFinitePositive('targetEpsilon', targetEpsilon);
  const epsilonAt = (noiseMultiplier: number): number =>
    computeEpsilon({ noiseMultiplier, samplingRate, rounds, delta, conversion, orders }).epsilon;

  let hi = 1;
  let epsilonHi = epsilonAt(hi);
  let lo = hi;
  if (epsilonHi > targetEpsilon) {
    while (epsilonHi > targetEpsilon) {
      if (hi >= MAX_SEARCHED_NOISE_MULTIPLIER) {
        throw new RangeError(
          `target epsilon ${targetEpsilon} is unreachable: even noise multiplier ${hi} gives epsilon ${epsilonHi} ` +
            `(sampling rate ${samplingRate}, ${rounds} rounds, delta ${delta}, ${conversion})`,
        );
      }
      lo = hi;
      hi *= 2;
      epsilonHi = epsilonAt(hi);
    }
  } else {
    do {
      if (lo <= MIN_SEARCHED_NOISE_MULTIPLIER) return { noiseMultiplier: lo, epsilon: epsilonAt(lo) };
      hi = lo;
      lo /= 2;
    } while (epsilonAt(lo) <= targetEpsilon);
    epsilonHi = epsilonAt(hi);
  }

  while (hi - lo > RELATIVE_TOLERANCE * hi) {
    const mid = (lo + hi) / 2;
    const epsilonMid = epsilonAt(mid);
    if (epsilonMid <= targetEpsilon) {
      hi = mid;
      epsilonHi = epsilonMid;
    } else {
      lo = mid;
    }
  }
  return { noiseMultiplier: hi, epsilon: epsilonHi };
}
