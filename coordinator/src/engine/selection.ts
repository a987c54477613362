import { Prng } from '@huddle/shared/random';
import { checkInRate, poissonCheckIn, uniformSample, type RandomSource } from '@huddle/shared/privacy';
import type { TaskConfig } from '@huddle/shared/protocol';

/** Uniform sample without replacement of `count` items. */
export function sampleClients<T>(candidates: readonly T[], count: number, random: RandomSource): T[] {
  return uniformSample(candidates, count, random);
}

export function selectionSize(clientsPerRound: number, overSelection: number): number {
  return Math.ceil(clientsPerRound * overSelection);
}

/**
 * The clients already chosen in the current pass over a task's clients, with how to name one: without DP a round
 * samples first from those not yet chosen in the pass, so 30 rounds of 10 of 50 clients see every client 6 times
 * rather than a binomial 6 +- 2.2 (docs/models.md, "client passes").
 */
export interface SelectionPass<T> {
  chosen: Set<string>;
  idOf: (candidate: T) => string;
}

/**
 * `count` of `candidates`, uniformly among those the pass has not chosen yet; when fewer remain, all of them, the
 * pass starts again and the rest of the round is drawn from the others. The pass records the round's choice.
 */
export function samplePass<T>(candidates: readonly T[], count: number, random: RandomSource, pass: SelectionPass<T>): T[] {
  const fresh = candidates.filter((c) => !pass.chosen.has(pass.idOf(c)));
  if (fresh.length >= count) {
    const chosen = sampleClients(fresh, count, random);
    for (const c of chosen) pass.chosen.add(pass.idOf(c));
    return chosen;
  }
  pass.chosen.clear();
  const others = candidates.filter((c) => !fresh.includes(c));
  const rest = sampleClients(others, count - fresh.length, random);
  for (const c of rest) pass.chosen.add(pass.idOf(c));
  return [...fresh, ...rest];
}

export interface RoundSelection<T> {
  chosen: T[];
  /** Poisson check-in probability under DP (what the accountant charges); null without DP. */
  checkInRate: number | null;
}

/**
 * The round's participants (shared/src/privacy/participantSampling.ts): under DP each eligible client checks in with
 * q = selectionSize / population (the accountant's amplification needs that coin, so no pass); without DP a
 * fixed-size uniform sample, from the clients the pass has not chosen yet when a pass is given.
 */
export function selectRound<T>(config: TaskConfig, eligible: readonly T[], population: number, random: RandomSource, pass?: SelectionPass<T>): RoundSelection<T> {
  const target = selectionSize(config.clientsPerRound, config.overSelection);
  if (config.privacy.noise === 'none') return { chosen: pass ? samplePass(eligible, target, random, pass) : sampleClients(eligible, target, random), checkInRate: null };
  const q = checkInRate(target, population);
  return { chosen: poissonCheckIn(eligible, q, random), checkInRate: q };
}

/** The selection randomness: the CSPRNG, or (simulations and tests only) a seeded generator. */
export function selectionRandom(secure: RandomSource, seed: number | undefined): RandomSource {
  return seed === undefined ? secure : new Prng(seed);
}

/**
 * Who evaluates a candidate model: `evaluateClients` of the idle clients (0 = every idle client). Under DP by Poisson
 * check-in like a round, with q = evaluateClients / population, or q = 1 when every idle client is asked: being
 * online is not a secret coin, so it earns no amplification.
 */
export function selectEvaluators<T>(config: TaskConfig, idle: readonly T[], population: number, random: RandomSource): RoundSelection<T> {
  const target = config.evaluateClients;
  if (config.privacy.noise === 'none') return { chosen: target > 0 ? sampleClients(idle, target, random) : [...idle], checkInRate: null };
  const q = target > 0 ? checkInRate(target, population) : 1;
  return { chosen: poissonCheckIn(idle, q, random), checkInRate: q };
}
