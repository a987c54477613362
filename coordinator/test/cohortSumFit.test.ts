import { describe, expect, it } from 'vitest';
import { silentLogger } from '@huddle/shared/util';
import { systemClock } from '../src/engine/clock.ts';
import { CohortSumFitWorkflow, type CohortSumFitOptions } from '../src/engine/workflows/cohortSumFit.ts';
import type { CohortOrder, CohortPort, CohortResult } from '../src/engine/workflows/cohorts.ts';

// The leader's "sum of cohort sums" step against an in-memory port (the cluster tests run it over Redis).
function harness(placement: Record<string, string>, over: Partial<CohortSumFitOptions> = {}) {
  const orders: [string, CohortOrder][] = [];
  const silent = new Set<string>();
  const released: string[] = [];
  let deliver: (node: string, cohort: string, result: CohortResult) => void = () => {};
  const port: CohortPort = {
    locate: (clientId) => {
      const node = placement[clientId];
      return node ? { node, member: { clientId, conn: `sid-${clientId}`, nonce: null, publicKey: null } } : null;
    },
    dispatch: (node, order) => orders.push([node, order]),
    subscribe: (_roundId, onResult) => {
      deliver = onResult;
      return () => {};
    },
    alive: (node) => !silent.has(node),
    release: (node, _roundId, cohort) => released.push(`${node} ${cohort}`),
  };
  const workflow = new CohortSumFitWorkflow({
    roundId: 'r-1',
    task: 'readiness',
    selected: new Set(Object.keys(placement)),
    target: Object.keys(placement).length,
    minClients: 2,
    deadline: Date.now() + 1_000,
    clip: 1,
    plain: { manifest: [], weighting: 'examples' },
    secure: null,
    identityOf: () => null,
    port,
    clock: systemClock,
    logger: silentLogger,
    ...over,
  });
  return { workflow, orders, silent, released, deliver: (node: string, cohort: string, result: CohortResult) => deliver(node, cohort, result) };
}

const plain = (reported: string[], sum: number[], weight: number): CohortResult => ({ status: 'plain', reported, sum: Float32Array.from(sum), weight, numExamples: weight, trainLoss: 1, clipBits: 0 });

describe('the leader adding cohort sums', () => {
  it('orders one cohort per node, and under SecAgg leaves out a cohort below the privacy floor before anyone trains', () => {
    const placement = { a1: 'A', a2: 'A', a3: 'A', b1: 'B', b2: 'B', b3: 'B', c1: 'C' };
    const secure = { encoding: { scale: 1, vectorLength: 4, noiseSigma: 0, minNeighbours: 2, releaseStats: true, exampleWeightCap: 0 }, neighbours: null, threshold: null, phaseTimeoutMs: 1_000, maxStrikes: 3 };
    const { workflow, orders } = harness(placement, { minClients: 3, plain: null, secure });
    expect(orders.map(([node, o]) => [node, o.members.map((m) => m.clientId), o.minSurvivors])).toEqual([
      ['A', ['a1', 'a2', 'a3'], 3],
      ['B', ['b1', 'b2', 'b3'], 3],
    ]);
    expect([...workflow.participants].sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    workflow.close();
  });

  it('counts a cohort sum received twice once', async () => {
    const { workflow, deliver } = harness({ a1: 'A', a2: 'A', b1: 'B' });
    const done = workflow.run();
    deliver('A', 'A/0', plain(['a1', 'a2'], [3, 6], 3));
    deliver('A', 'A/0', plain(['a1', 'a2'], [3, 6], 3));
    deliver('B', 'B/0', plain(['b1'], [1, 0], 1));
    const result = await done;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // (3 + 1) / (3 + 1) and (6 + 0) / 4; counted twice, A would give 7/7 and 12/7.
    expect([...result.fit.sum]).toEqual([1, 1.5]);
    expect(result.reported).toEqual(['a1', 'a2', 'b1']);
    expect(result.fit.stats.reporters).toBe(3);
  });

  it('refuses a cohort sum that names a client outside the cohort', async () => {
    const { workflow, deliver } = harness({ a1: 'A', a2: 'A', b1: 'B' });
    const done = workflow.run();
    deliver('A', 'A/0', plain(['a1', 'b1'], [1, 1], 2));
    deliver('B', 'B/0', plain(['b1'], [1, 0], 1));
    const result = await done;
    expect(result).toMatchObject({ ok: false, reported: ['b1'] });
    if (!result.ok) expect(result.reason).toMatch(/1 updates in 1 of 2 cohort sums, 2 needed.*named a client outside it/);
  });

  it('drops the cohort of a node that falls silent and completes from the others', async () => {
    const { workflow, deliver, silent, released } = harness({ a1: 'A', a2: 'A', b1: 'B' });
    const done = workflow.run();
    deliver('A', 'A/0', plain(['a1', 'a2'], [2, 2], 2));
    silent.add('B');
    const result = await done;
    // B is told to stop its cohort's fit, in case it was only slow.
    expect(released).toEqual(['B B/0']);
    expect(result.ok).toBe(true);
    if (result.ok) expect([...result.fit.sum]).toEqual([1, 1]);
    expect(result.reported).toEqual(['a1', 'a2']);
  });

  it('under SecAgg keeps the charge of a round abandoned because a cohort\'s node fell silent (it may have unmasked)', async () => {
    const placement = { a1: 'A', a2: 'A', a3: 'A', b1: 'B', b2: 'B', b3: 'B' };
    const secure = { encoding: { scale: 1, vectorLength: 4, noiseSigma: 0, minNeighbours: 2, releaseStats: true, exampleWeightCap: 0 }, neighbours: null, threshold: null, phaseTimeoutMs: 1_000, maxStrikes: 3 };
    const { workflow, silent } = harness(placement, { minClients: 3, plain: null, secure });
    silent.add('A');
    silent.add('B');
    const result = await workflow.run();
    expect(result).toMatchObject({ ok: false, released: true, reported: [] });
  });

  it('in a plain round refunds it (nothing was released, as on a single coordinator)', async () => {
    const { workflow, silent } = harness({ a1: 'A', a2: 'A', b1: 'B' });
    silent.add('A');
    silent.add('B');
    const result = await workflow.run();
    expect(result).toMatchObject({ ok: false, released: false });
  });
});
