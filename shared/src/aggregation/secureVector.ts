import { discreteGaussian, distributedNoiseScale, type RandomSource } from '../privacy/index.ts';
import { SECURE_EXTRA_COORDINATES, type SecureFit } from '../protocol/messages.ts';
import { chooseScale, dequantizeSum, quantize } from '../secagg/index.ts';

/**
 * The one codec of the secure-sum vector: the client encodes its update into Z/2^32 with
 * `encodeSecureVector`, the coordinator decodes the survivors' sum with `decodeSecureVector`.
 * Layout: d update coordinates (fixed point, times the FedAvg weight when examples weigh), then the
 * example count (or weight), train loss x 1000 and the adaptive-clipping bit.
 */

/** Fixed-point scale of a device-noised clip bit: noise of std well above 1 in integer units keeps the discrete Gaussian close to the continuous one (small KLS21 term). */
export const CLIP_BIT_SCALE = 256;

/** Example counts above this weigh like this (11 years of daily logs): bounds the integers in the secure sum. */
export const EXAMPLE_WEIGHT_CAP = 4096;

export interface SecureEncodingContext {
  /** Task's DP noise: none, central (the coordinator adds it) or distributed (clients add shares). */
  noise: 'none' | 'central' | 'distributed';
  /** This round's L2 clip bound. */
  clip: number;
  parameters: number;
  /** Fewest survivors the round accepts (the task's minClients). */
  minClients: number;
  /** The strategy needs individual updates (never true under secure aggregation; kept for the weighting rule). */
  needsIndividualUpdates: boolean;
  /** Noise multiplier on the update sum, null without DP this round. */
  updateNoiseMultiplier: number | null;
  /** Adaptive clipping: std of the noise on the clip-bit count (the task's bitNoiseStd); null without adaptive clipping. */
  clipBitNoiseStd?: number | null;
}

/** How this round's clients encode their updates into Z/2^32: scale, weighting and distributed noise. */
export function planSecureEncoding(c: SecureEncodingContext, selected: number): SecureFit {
  const { clip } = c;
  const minSurvivors = Math.min(c.minClients, selected);
  const z = c.noise === 'distributed' && c.updateNoiseMultiplier !== null ? c.updateNoiseMultiplier : 0;
  // FedAvg's example weighting travels inside the sum; under DP every client weighs the same.
  const weightCap = c.noise === 'none' && !c.needsIndividualUpdates ? EXAMPLE_WEIGHT_CAP : 0;
  // Headroom so that n clipped (weighted) updates plus ~8 sigma of summed noise stay inside int32.
  const noiseBound = z > 0 ? (8 * z * Math.sqrt(selected / minSurvivors)) / selected : 0;
  let scale = chooseScale({ clip: clip * Math.max(1, weightCap) * (1 + noiseBound), maxClients: selected, headroomBits: 1 });
  // Keep each client's integer noise below the sampler's 2^24 sigma cap.
  while (z > 0 && (z * clip * scale) / Math.sqrt(minSurvivors) > 2 ** 22) scale /= 2;
  const noiseSigma = z > 0 ? distributedNoiseScale({ noiseMultiplier: z, clip, scale, expectedClients: selected, minSurvivors }).perClientSigma : 0;
  // Any minSurvivors survivors together carry at least the task's bit noise.
  const clipBitNoiseSigma = z > 0 && c.clipBitNoiseStd ? (c.clipBitNoiseStd * CLIP_BIT_SCALE) / Math.sqrt(minSurvivors) : 0;
  return {
    scale,
    vectorLength: c.parameters + SECURE_EXTRA_COORDINATES,
    noiseSigma,
    minNeighbours: Math.min(2, selected - 1),
    releaseStats: c.noise === 'none',
    exampleWeightCap: weightCap,
    ...(clipBitNoiseSigma > 0 ? { clipBitNoiseSigma } : {}),
  };
}

/** The client's integer input (plus, under distributed DP, its share of discrete Gaussian noise). */
export function encodeSecureVector(update: Float32Array, numExamples: number, trainLoss: number, clipBit: 0 | 1 | null, enc: SecureFit, random?: RandomSource): Uint32Array {
  if (update.length + SECURE_EXTRA_COORDINATES !== enc.vectorLength) throw new Error(`secure vector needs ${enc.vectorLength} values, the update has ${update.length}`);
  const out = new Uint32Array(enc.vectorLength);
  const weight = enc.exampleWeightCap > 0 ? Math.min(numExamples, enc.exampleWeightCap) : 1;
  out.set(quantize(weight === 1 ? update : update.map((v) => v * weight), enc.scale, random));
  if (enc.noiseSigma > 0) {
    const noise = discreteGaussian(update.length, enc.noiseSigma, random);
    for (let i = 0; i < update.length; i++) out[i] = (out[i]! + noise[i]!) >>> 0;
  }
  const d = update.length;
  out[d] = enc.exampleWeightCap > 0 ? weight : enc.releaseStats ? Math.min(numExamples, 1_000_000) : 0;
  out[d + 1] = enc.releaseStats && Number.isFinite(trainLoss) ? Math.min(Math.round(trainLoss * 1000), 1_000_000) : 0;
  const bitSigma = enc.clipBitNoiseSigma ?? 0;
  out[d + 2] = bitSigma > 0 ? ((clipBit ?? 0) * CLIP_BIT_SCALE + discreteGaussian(1, bitSigma, random)[0]!) >>> 0 : (clipBit ?? 0);
  return out;
}

/** What the coordinator may learn from the survivors' summed vector. */
export interface DecodedSecureSum {
  /** Sum of the (weighted) updates, dequantized. */
  sum: Float32Array;
  /** What `sum` is divided by for the mean: summed FedAvg weights, or the survivor count. */
  weight: number;
  /** Released only when the round releases statistics (no DP); else 0. */
  numExamples: number;
  /** Mean train loss; NaN when statistics are withheld. */
  trainLoss: number;
  /** Summed clip bits; under device bit noise a noisy real number (std `clipBitNoiseStd`). */
  clipBits: number;
  /** Std of the devices' noise on `clipBits`; 0 when they added none. */
  clipBitNoiseStd: number;
}

export function decodeSecureVector(total: Uint32Array, enc: SecureFit, survivors: number): DecodedSecureSum {
  const d = enc.vectorLength - SECURE_EXTRA_COORDINATES;
  if (total.length !== enc.vectorLength) throw new Error(`secure sum has ${total.length} values, expected ${enc.vectorLength}`);
  return {
    sum: dequantizeSum(total.subarray(0, d), enc.scale),
    weight: enc.exampleWeightCap > 0 ? total[d]! | 0 : survivors,
    numExamples: enc.releaseStats ? total[d]! | 0 : 0,
    trainLoss: enc.releaseStats ? (total[d + 1]! | 0) / 1000 / survivors : Number.NaN,
    ...clipBitsOf(total[d + 2]! | 0, enc, survivors),
  };
}

function clipBitsOf(raw: number, enc: SecureFit, survivors: number): { clipBits: number; clipBitNoiseStd: number } {
  const sigma = enc.clipBitNoiseSigma ?? 0;
  if (sigma === 0) return { clipBits: raw, clipBitNoiseStd: 0 };
  return { clipBits: raw / CLIP_BIT_SCALE, clipBitNoiseStd: (Math.sqrt(survivors) * sigma) / CLIP_BIT_SCALE };
}
