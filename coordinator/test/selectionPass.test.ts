import { describe, expect, it } from 'vitest';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { Prng } from '@huddle/shared/random';
import { selectRound, type SelectionPass } from '../src/engine/selection.ts';

const clients = Array.from({ length: 50 }, (_, i) => `c${i}`);
const config = { ...defaultTaskConfig('readiness'), clientsPerRound: 10, overSelection: 1 };
const newPass = (): SelectionPass<string> => ({ chosen: new Set(), idOf: (c) => c });

describe('client passes (selection without replacement across rounds, no DP)', () => {
  it('30 rounds of 10 of 50 clients choose every client exactly 6 times, each pass a fresh draw', () => {
    const pass = newPass();
    const random = new Prng(4);
    const counts = new Map<string, number>();
    const rounds: string[][] = [];
    for (let r = 0; r < 30; r++) {
      const { chosen } = selectRound(config, clients, 50, random, pass);
      expect(new Set(chosen).size).toBe(10);
      rounds.push([...chosen].sort());
      for (const c of chosen) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual(clients.map(() => 6));
    // A new pass is not the previous pass's groups replayed.
    expect(rounds.slice(5, 10)).not.toEqual(rounds.slice(0, 5));
  });

  it('a pass short of a full round takes every client it has left, then the rest from the others, never one twice', () => {
    const pass = newPass();
    for (const c of clients.slice(0, 46)) pass.chosen.add(c);
    const { chosen } = selectRound(config, clients, 50, new Prng(2), pass);
    expect(chosen).toHaveLength(10);
    expect(new Set(chosen).size).toBe(10);
    expect(chosen).toEqual(expect.arrayContaining(clients.slice(46)));
    expect(pass.chosen.size).toBe(6);
    for (const c of clients.slice(46)) expect(pass.chosen.has(c)).toBe(false);
  });

  it('an offline client is not skipped: it is first in line when it returns', () => {
    const pass = newPass();
    const random = new Prng(9);
    const online = clients.filter((c) => c !== 'c7');
    for (let r = 0; r < 4; r++) selectRound(config, online, 50, random, pass);
    const { chosen } = selectRound(config, clients, 50, random, pass);
    expect(chosen).toContain('c7');
  });

  it('under DP the Poisson check-in is kept and the pass is not used', () => {
    const pass = newPass();
    const dp = { ...config, privacy: { ...config.privacy, noise: 'central' as const, noiseMultiplier: 1, epsilonBudget: null } };
    const { checkInRate } = selectRound(dp, clients, 50, new Prng(1), pass);
    expect(checkInRate).toBe(10 / 50);
    expect(pass.chosen.size).toBe(0);
  });
});
