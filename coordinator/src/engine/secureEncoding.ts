import { distributedNoiseScale } from '@huddle/shared/privacy';
import { SECURE_EXTRA_COORDINATES, type SecureFit, type TaskConfig } from '@huddle/shared/protocol';
import { chooseScale } from '@huddle/shared/secagg';
import type { RoundPrivacy } from './privacyPlan.ts';

/** Example counts above this weigh like this (11 years of daily logs): bounds the integers in the secure sum. */
export const EXAMPLE_WEIGHT_CAP = 4096;

export interface EncodingContext {
  config: TaskConfig;
  /** This round's L2 clip bound. */
  clip: number;
  parameters: number;
  needsIndividualUpdates: boolean;
}

/** How this round's clients encode their updates into Z/2^32: scale, weighting and distributed noise. */
export function secureEncoding(c: EncodingContext, selected: number, privacy: RoundPrivacy | null): SecureFit {
  const { config, clip } = c;
  const minSurvivors = Math.min(config.minClients, selected);
  const z = config.privacy.noise === 'distributed' && privacy ? privacy.updateNoiseMultiplier : 0;
  // FedAvg's example weighting travels inside the sum; under DP every client weighs the same.
  const weightCap = config.privacy.noise === 'none' && !c.needsIndividualUpdates ? EXAMPLE_WEIGHT_CAP : 0;
  // Headroom so that n clipped (weighted) updates plus ~8 sigma of summed noise stay inside int32.
  const noiseBound = z > 0 ? (8 * z * Math.sqrt(selected / minSurvivors)) / selected : 0;
  let scale = chooseScale({ clip: clip * Math.max(1, weightCap) * (1 + noiseBound), maxClients: selected, headroomBits: 1 });
  // Keep each client's integer noise below the sampler's 2^24 sigma cap.
  while (z > 0 && (z * clip * scale) / Math.sqrt(minSurvivors) > 2 ** 22) scale /= 2;
  const noiseSigma = z > 0 ? distributedNoiseScale({ noiseMultiplier: z, clip, scale, expectedClients: selected, minSurvivors }).perClientSigma : 0;
  return {
    scale,
    vectorLength: c.parameters + SECURE_EXTRA_COORDINATES,
    noiseSigma,
    minNeighbours: Math.min(2, selected - 1),
    releaseStats: config.privacy.noise === 'none',
    exampleWeightCap: weightCap,
  };
}
