/**
 * Who takes part in a round: the one rule the coordinator and the simulator both run.
 *
 * Under DP: Poisson check-in. Each eligible client (connected, opted in, idle) takes part independently with
 * probability q = min(1, target / population), population = the task's opted-in clients, so the Poisson-subsampled
 * Gaussian accountant (sampledGaussianRdp.ts) charges exactly the q the coins used. A client that is offline or busy
 * takes part with probability 0 <= q, which the accountant's bound also covers. The number taking part is random
 * (binomial), so rounds run below the target when many are offline.
 *
 * Without DP nothing is accounted, and a fixed-size sample of min(target, eligible) is drawn without replacement.
 *
 * Both draw from the given RandomSource: the platform CSPRNG in a deployment (a seeded source only in simulations).
 */
import { type RandomSource, secureRandom, uniform53, uniformInt } from './secureRandom.ts';

/** The accounted sampling mode of DP rounds (ledger entries record it). */
export const DP_SAMPLING = 'poisson' as const;

/** q of Poisson check-in: min(1, target / population); a population below the target takes everyone. */
export function checkInRate(target: number, population: number): number {
  if (!(target > 0)) throw new RangeError(`check-in target must be positive, got ${target}`);
  return Math.min(1, target / Math.max(population, target));
}

/** Each candidate independently with probability q. */
export function poissonCheckIn<T>(candidates: readonly T[], q: number, random: RandomSource = secureRandom): T[] {
  if (!(q > 0 && q <= 1)) throw new RangeError(`check-in probability must be in (0, 1], got ${q}`);
  if (q === 1) return [...candidates];
  return candidates.filter(() => uniform53(random) < q);
}

/** min(count, candidates) of them, uniformly without replacement (partial Fisher-Yates). */
export function uniformSample<T>(candidates: readonly T[], count: number, random: RandomSource = secureRandom): T[] {
  const pool = [...candidates];
  const take = Math.min(Math.max(0, Math.floor(count)), pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + uniformInt(pool.length - i, random);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take);
}
