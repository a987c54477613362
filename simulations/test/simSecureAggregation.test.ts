import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/sim/runSimulation.ts';
import type { SimOptionsInput } from '../src/sim/options.ts';

const base: SimOptionsInput = {
  dataset: 'synthetic',
  task: 'readiness',
  athletes: 12,
  days: 200,
  rounds: 4,
  clientsPerRound: 8,
  seed: 3,
};

describe('secure aggregation on and off', () => {
  it('give the same model up to quantization', async () => {
    const plain = await runSimulation(base);
    const secure = await runSimulation({ ...base, secureAggregation: true });
    const maes = (r: typeof plain) => r.rounds.map((x) => x.metrics.mae as number);
    console.log('held-out MAE per round, plain vs secure:', maes(plain).map((v) => v.toFixed(6)).join(' '), '|', maes(secure).map((v) => v.toFixed(6)).join(' '));
    expect(secure.rounds.map((r) => r.participants.length)).toEqual(plain.rounds.map((r) => r.participants.length));
    maes(secure).forEach((mae, i) => expect(Math.abs(mae - maes(plain)[i]!)).toBeLessThan(1e-4));
    const final = (r: typeof plain) => (r.final.federated as { mae: number }).mae;
    expect(Math.abs(final(secure) - final(plain))).toBeLessThan(1e-4);
    // The runs did differ in how updates travelled: the engine's own round records say every secure round
    // was aggregated from masked inputs (secureAggregation is set from the SecAgg session it ran) and no plain one was.
    expect(secure.rounds.map((r) => [r.status, r.secureAggregation])).toEqual(secure.rounds.map(() => ['completed', true]));
    expect(plain.rounds.map((r) => [r.status, r.secureAggregation])).toEqual(plain.rounds.map(() => ['completed', false]));
    expect(secure.rounds).toHaveLength(base.rounds!);
    expect(secure.warnings.filter((w) => /secure aggregation/.test(w))).toEqual([]);
  });
});

describe('reproducibility with noise and masking', () => {
  it('repeats a secure run with distributed DP noise exactly from its seed', async () => {
    const options: SimOptionsInput = { ...base, rounds: 2, secureAggregation: true, noiseMultiplier: 0.5, delta: 1e-5, dpMode: 'distributed', clip: 0.5 };
    const a = await runSimulation(options);
    const b = await runSimulation(options);
    expect(a.rounds.map((r) => r.epsilon)).toEqual(b.rounds.map((r) => r.epsilon));
    expect(JSON.stringify({ ...a, timing: null })).toBe(JSON.stringify({ ...b, timing: null }));
    const c = await runSimulation({ ...options, seed: 4 });
    expect(JSON.stringify(c.final)).not.toBe(JSON.stringify(a.final));
  });
});
