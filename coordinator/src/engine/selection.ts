import { Prng } from '@huddle/shared/random';

/** Uniform sample without replacement of `count` items. */
export function sampleClients<T>(candidates: readonly T[], count: number, seed: number): T[] {
  const pool = [...candidates];
  new Prng(seed).shuffle(pool);
  return pool.slice(0, Math.min(count, pool.length));
}

export function selectionSize(clientsPerRound: number, overSelection: number): number {
  return Math.ceil(clientsPerRound * overSelection);
}
