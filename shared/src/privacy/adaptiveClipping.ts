/**
 * Adaptive clipping by private quantile estimation: Andrew, Thakkar, McMahan, Ramaswamy 2021,
 * "Differentially Private Learning with Adaptive Clipping" (Algorithm 1).
 *
 * Each round every participating client reports b_i = [||update_i|| <= C]. The bits are summed
 * centred, as b_i - 1/2, so one client moves the sum by at most 1/2 (the sensitivity Theorem 1
 * relies on); the server adds N(0, sigma_b^2), and estimates the unclipped fraction as
 * b_bar = noisy centred sum / m + 1/2 (m = expected clients), clamped to [0, 1]. The bound then
 * moves geometrically toward the target quantile gamma:
 *   C <- C * exp(-eta_C * (b_bar - gamma)).
 * Too many clients under the bound (b_bar > gamma) shrinks C; too few grows it. This mirrors
 * TF Privacy's QuantileEstimatorQuery with geometric_update=True.
 *
 * The bit count is a second Gaussian query on the same clients, so the update noise must be
 * raised to keep the round's total privacy at noise multiplier z (Theorem 1): use
 * `updateNoiseMultiplier(z, sigma_b)` for the updates. The paper suggests sigma_b = m / 20.
 */
import { requireFinitePositive } from './checks.ts';
import { gaussianNoise } from './gaussianNoise.ts';
import { type RandomSource, secureRandom } from './secureRandom.ts';

export interface AdaptiveClipState {
  /** Current clipping bound C. */
  clipBound: number;
  /** Target quantile gamma in [0, 1]: fraction of clients whose update should be unclipped (paper: 0.5). */
  targetQuantile: number;
  /** Geometric learning rate eta_C (paper: 0.2). */
  learningRate: number;
  /** Standard deviation sigma_b of the Gaussian noise on the sum of bits. */
  bitNoiseStd: number;
}

export function createAdaptiveClipState(state: AdaptiveClipState): AdaptiveClipState {
  requireFinitePositive('clipBound', state.clipBound);
  if (!(state.targetQuantile >= 0 && state.targetQuantile <= 1)) {
    throw new RangeError(`targetQuantile must be in [0, 1], got ${state.targetQuantile}`);
  }
  requireFinitePositive('learningRate', state.learningRate);
  requireFinitePositive('bitNoiseStd', state.bitNoiseStd);
  return { ...state };
}

/** The bit a client reports: 1 when its update norm is within the current bound, else 0. */
export function clientClipBit(updateNorm: number, clipBound: number): 0 | 1 {
  return updateNorm <= clipBound ? 1 : 0;
}

/** The value the server releases: sum_i (b_i - 1/2) + N(0, bitNoiseStd^2), noise from a CSPRNG by default. */
export function noiseCenteredBitSum(bits: ArrayLike<number>, bitNoiseStd: number, random: RandomSource = secureRandom): number {
  requireFinitePositive('bitNoiseStd', bitNoiseStd);
  let centredSum = 0;
  for (let i = 0; i < bits.length; i++) {
    const bit = bits[i];
    if (bit !== 0 && bit !== 1) throw new RangeError(`clip bits must be 0 or 1, got ${bit}`);
    centredSum += bit - 0.5;
  }
  return centredSum + gaussianNoise(1, bitNoiseStd, random)[0]!;
}

/**
 * The next state after a round. `noisedBitSum` is the released sum of *centred* bits,
 * sum_i (b_i - 1/2) + N(0, bitNoiseStd^2) (see `noiseCenteredBitSum`); `expectedClients` is m, the
 * expected (not the realised) number of participants, so the estimate does not reveal who took part.
 */
export function updateClipBound(state: AdaptiveClipState, noisedBitSum: number, expectedClients: number): AdaptiveClipState {
  if (!Number.isFinite(noisedBitSum)) throw new RangeError(`noisedBitSum must be finite, got ${noisedBitSum}`);
  requireFinitePositive('expectedClients', expectedClients);
  const fractionUnclipped = Math.min(1, Math.max(0, noisedBitSum / expectedClients + 0.5));
  const clipBound = state.clipBound * Math.exp(-state.learningRate * (fractionUnclipped - state.targetQuantile));
  return { ...state, clipBound };
}

/**
 * Theorem 1: the update noise multiplier z_Delta = (z^-2 - (2 sigma_b)^-2)^(-1/2) that, together
 * with the bit query at noise sigma_b (bits have sensitivity 1/2 once centred), composes to the same
 * privacy as a single Gaussian query with noise multiplier z. Requires sigma_b > z / 2.
 */
export function updateNoiseMultiplier(noiseMultiplier: number, bitNoiseStd: number): number {
  requireFinitePositive('noiseMultiplier', noiseMultiplier);
  requireFinitePositive('bitNoiseStd', bitNoiseStd);
  const remaining = noiseMultiplier ** -2 - (2 * bitNoiseStd) ** -2;
  if (!(remaining > 0)) {
    throw new RangeError(
      `bitNoiseStd ${bitNoiseStd} is too small for noise multiplier ${noiseMultiplier}: it must exceed ${noiseMultiplier / 2}`,
    );
  }
  return remaining ** -0.5;
}
