import { noiseCenteredBitSum, updateClipBound, type RandomSource } from '@huddle/shared/privacy';
import type { TaskConfig } from '@huddle/shared/protocol';

/**
 * Next round's clip bound from this round's bits (Andrew et al. 2021); unchanged without adaptive clipping. Under
 * distributed DP the devices noised the bit sum (deviceNoiseStd > 0) and the coordinator only ever saw it noisy;
 * otherwise it sees the exact sum (plain rounds: each bit) and adds the Gaussian bit noise itself.
 */
export function nextClipBound(config: TaskConfig, clip: number, bitSum: number, reporters: number, random: RandomSource, deviceNoiseStd = 0): number {
  const a = config.privacy.adaptiveClipping;
  if (!a || reporters === 0) return clip;
  const centred = deviceNoiseStd > 0 ? bitSum - reporters / 2 : noiseCenteredBitSum(Array.from({ length: reporters }, (_, i) => (i < bitSum ? 1 : 0)), Math.max(a.bitNoiseStd, 1e-9), random);
  return updateClipBound({ clipBound: clip, targetQuantile: a.targetQuantile, learningRate: a.learningRate, bitNoiseStd: Math.max(a.bitNoiseStd, 1e-9) }, centred, reporters).clipBound;
}
