import { noiseCenteredBitSum, updateClipBound, type RandomSource } from '@huddle/shared/privacy';
import type { TaskConfig } from '@huddle/shared/protocol';

/** Next round's clip bound from this round's bits (Andrew et al. 2021); unchanged without adaptive clipping. */
export function nextClipBound(config: TaskConfig, clip: number, bitSum: number, reporters: number, random: RandomSource): number {
  const a = config.privacy.adaptiveClipping;
  if (!a || reporters === 0) return clip;
  // The coordinator sees the bits' exact sum (plain rounds: each bit); it adds the Gaussian bit noise itself.
  const centred = noiseCenteredBitSum(Array.from({ length: reporters }, (_, i) => (i < bitSum ? 1 : 0)), Math.max(a.bitNoiseStd, 1e-9), random);
  return updateClipBound({ clipBound: clip, targetQuantile: a.targetQuantile, learningRate: a.learningRate, bitNoiseStd: Math.max(a.bitNoiseStd, 1e-9) }, centred, reporters).clipBound;
}
