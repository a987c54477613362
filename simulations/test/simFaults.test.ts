import { describe, expect, it } from 'vitest';
import { buildCohort } from '../src/sim/cohort.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { FaultPlan } from '../src/sim/faultPlan.ts';
import { resolveOptions } from '../src/sim/options.ts';
import { runSimulation } from '../src/sim/runSimulation.ts';
import { parseStragglers } from '../src/sim/stragglers.ts';
import { derivedSeed } from '../src/sim/taskConfig.ts';
import type { DailyLogRow } from '@huddle/shared/log';
import { generateSyntheticFederation } from '../src/synthetic/index.ts';

const base = { dataset: 'synthetic', athletes: 16, days: 150, rounds: 3, clientsPerRound: 8, seed: 3 } as const;

describe('simulated faults', () => {
  it('drops exactly the clients the seeded fault plan drops, without changing round logic', async () => {
    const r = await runSimulation({ ...base, dropout: 0.4, roundTimeoutMs: 10_000 });
    const plan = new FaultPlan({ seed: derivedSeed(3, 'faults'), dropout: 0.4, stragglers: parseStragglers('none'), federatedEval: false });
    let dropped = 0;
    for (const round of r.rounds) {
      const expected = [...round.participants, ...round.dropped].filter((id) => plan.dropsFit(id, 'injury', round.round)).sort();
      expect([...round.dropped].sort()).toEqual(expected);
      expect(round.participants.length + round.dropped.length).toBe(round.selected);
      dropped += round.dropped.length;
      // Silent clients hold the round until its (virtual) deadline, then it goes on with the rest.
      if (round.dropped.length > 0) expect(round.virtualMs).toBeGreaterThanOrEqual(10_000);
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('counts stragglers past the round deadline as dropped', async () => {
    const patient = await runSimulation({ ...base, stragglers: 'exp:5000', roundTimeoutMs: 1_000_000 });
    expect(patient.rounds.every((x) => x.dropped.length === 0)).toBe(true);
    const strict = await runSimulation({ ...base, stragglers: 'exp:5000', roundTimeoutMs: 3000 });
    const late = strict.rounds.reduce((s, x) => s + x.dropped.length, 0);
    console.log(`stragglers exp:5000, deadline 3 s: ${late} of ${strict.rounds.reduce((s, x) => s + x.selected, 0)} updates late`);
    expect(late).toBeGreaterThan(0);
    expect(strict.rounds.every((x) => x.virtualMs < 3000 + 1000)).toBe(true);
  });

  it('trains each client on exactly the split the cohort expects', async () => {
    const r = await runSimulation({ ...base, rounds: 2 });
    const cohort = buildCohort(loadSimDataset(resolveOptions(base)), { task: 'injury', protocol: 'temporal', testFraction: 0.2, holdoutFraction: 0.2 });
    const n = new Map(cohort.clients.map((a) => [a.clientId, a.train.n]));
    for (const round of r.rounds) expect(round.numExamples).toBe(round.participants.reduce((s, id) => s + n.get(id)!, 0));
  });
});

describe('unseen-athlete protocol', () => {
  it('holds out the last athletes to join, by first log date', () => {
    const rows = generateSyntheticFederation({ athletes: 5, days: 60, seed: 2 });
    const joined = new Map([['syn-0001', '2024-01-31'], ['syn-0004', '2024-01-21']]);
    const shifted: DailyLogRow[] = rows.filter((row) => row.date >= (joined.get(row.athleteId) ?? ''));
    const cohort = buildCohort({ name: 't', rows: shifted, subgroups: new Map(), rowErrors: [], rowWarnings: [], skippedRows: 0 }, { task: 'readiness', protocol: 'unseen', testFraction: 0.2, holdoutFraction: 0.4 });
    expect(cohort.evaluated.map((a) => a.athleteId)).toEqual(['syn-0001', 'syn-0004']);
    expect(cohort.clients.map((a) => a.athleteId)).toEqual(['syn-0002', 'syn-0003', 'syn-0005']);
    expect(cohort.clientTestFraction).toBe(0);
    for (const a of cohort.evaluated) expect(a.train.n).toBe(0);
  });
});
