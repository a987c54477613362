/**
 * Noise sizing for distributed DP under secure aggregation: each client adds discrete Gaussian
 * noise to its integer-encoded (clipped, scaled, rounded) update, and only the sum is revealed.
 *
 * The sum of n independent N_Z(0, s^2) is not exactly N_Z(0, n s^2) but is close to it: Kairouz,
 * Liu, Steinke 2021, "The Distributed Discrete Gaussian Mechanism for Federated Learning with
 * Secure Aggregation", Theorem 1, bounds the gap by tau = 10 * sum_{k=1}^{n-1} exp(-2 pi^2 s^2 k/(k+1)),
 * which enters their privacy bound (Proposition 14). It falls off like exp(-pi^2 s^2), its largest
 * term: about 6e-4 for s = 1 and a thousand clients, below 1e-12 for s = 2; per-client sigmas in the
 * scaled integer domain are normally far larger, making it negligible. A single discrete Gaussian is exactly as private as the continuous one
 * of the same sigma (Canonne, Kamath, Steinke 2020, Theorem 4), so the RDP accountant applies to
 * the summed noise with `effectiveNoiseMultiplier`.
 *
 * Dropouts: a client that drops after being sampled contributes neither its update nor its noise.
 * The per-client sigma is therefore sized so that `minSurvivors` clients alone already reach the
 * target; when more survive the noise only grows (more privacy, less accuracy). A round with fewer
 * than `minSurvivors` survivors falls short of the target and must not be released.
 */
import { requireFinitePositive, requirePositiveInteger } from './checks.ts';

export interface DistributedNoiseParams {
  /** Target noise multiplier z of the central mechanism (std / L2 sensitivity). */
  noiseMultiplier: number;
  /** L2 clip bound of one client's update, before scaling (in model units). */
  clip: number;
  /** Factor applied to updates before rounding to integers (integer units per model unit). */
  scale: number;
  /** Clients expected to be sampled in a round. */
  expectedClients: number;
  /** Fewest survivors for which the round may still be released. */
  minSurvivors: number;
}

export interface DistributedNoiseScale {
  /** Std of the discrete Gaussian each client adds, in integer units. */
  perClientSigma: number;
  /** Std the sum must carry: noiseMultiplier * clip * scale. */
  targetSigma: number;
  /** Noise multiplier actually obtained when all expected clients survive (>= noiseMultiplier). */
  noiseMultiplierIfAllSurvive: number;
  /** KLS21 Theorem 1 gap between the sum of all expected clients' noise and one discrete Gaussian. */
  tau: number;
}

export function distributedNoiseScale(params: DistributedNoiseParams): DistributedNoiseScale {
  const { noiseMultiplier, clip, scale, expectedClients, minSurvivors } = params;
  requireFinitePositive('noiseMultiplier', noiseMultiplier);
  requireFinitePositive('clip', clip);
  requireFinitePositive('scale', scale);
  requirePositiveInteger('expectedClients', expectedClients);
  requirePositiveInteger('minSurvivors', minSurvivors);
  if (minSurvivors > expectedClients) {
    throw new RangeError(`minSurvivors (${minSurvivors}) cannot exceed expectedClients (${expectedClients})`);
  }
  const targetSigma = noiseMultiplier * clip * scale;
  const perClientSigma = targetSigma / Math.sqrt(minSurvivors);
  return {
    perClientSigma,
    targetSigma,
    noiseMultiplierIfAllSurvive: effectiveNoiseMultiplier({ perClientSigma, clip, scale, survivors: expectedClients }),
    tau: discreteGaussianSumTau(perClientSigma, expectedClients),
  };
}

export interface SurvivorNoise {
  perClientSigma: number;
  clip: number;
  scale: number;
  /** Clients whose noise actually made it into the sum. */
  survivors: number;
}

/** Noise multiplier of the released sum: sqrt(survivors) * perClientSigma / (clip * scale). */
export function effectiveNoiseMultiplier({ perClientSigma, clip, scale, survivors }: SurvivorNoise): number {
  requireFinitePositive('perClientSigma', perClientSigma);
  requireFinitePositive('clip', clip);
  requireFinitePositive('scale', scale);
  requirePositiveInteger('survivors', survivors);
  return (Math.sqrt(survivors) * perClientSigma) / (clip * scale);
}

/** KLS21 Theorem 1: tau = 10 * sum_{k=1}^{n-1} exp(-2 pi^2 sigma^2 k / (k + 1)) for n clients each adding N_Z(0, sigma^2). */
export function discreteGaussianSumTau(perClientSigma: number, clients: number): number {
  requireFinitePositive('perClientSigma', perClientSigma);
  requirePositiveInteger('clients', clients);
  const a = 2 * Math.PI * Math.PI * perClientSigma * perClientSigma;
  let sum = 0;
  for (let k = 1; k < clients; k++) sum += Math.exp((-a * k) / (k + 1));
  return 10 * sum;
}
