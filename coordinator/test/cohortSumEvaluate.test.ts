import { describe, expect, it } from 'vitest';
import { evaluationVectorFromResult, readEvaluationSums, sumEvaluationVectors } from '@huddle/shared/aggregation';
import { silentLogger } from '@huddle/shared/util';
import { systemClock } from '../src/engine/clock.ts';
import { evaluationOutcome } from '../src/engine/evaluation.ts';
import { CohortSumEvaluateWorkflow } from '../src/engine/workflows/cohortSumEvaluate.ts';
import type { CohortOrder, CohortPort, CohortResult } from '../src/engine/workflows/cohorts.ts';

// The leader's evaluation over cohorts against an in-memory port (the cluster tests run it over Redis).
function harness(placement: Record<string, string>) {
  const orders: [string, CohortOrder][] = [];
  let deliver: (node: string, cohort: string, result: CohortResult) => void = () => {};
  const port: CohortPort = {
    locate: (clientId) => (placement[clientId] ? { node: placement[clientId]!, member: { clientId, conn: `sid-${clientId}`, nonce: null, publicKey: null } } : null),
    dispatch: (node, order) => orders.push([node, order]),
    subscribe: (_roundId, onResult) => {
      deliver = onResult;
      return () => {};
    },
    alive: () => true,
    release: () => {},
  };
  const workflow = new CohortSumEvaluateWorkflow({
    roundId: 'r-1',
    task: 'readiness',
    selected: new Set(Object.keys(placement)),
    deadline: Date.now() + 1_000,
    expected: 'regression',
    model: { round: 1, checksum: 'abc' },
    centralNoise: null,
    secure: null,
    identityOf: () => null,
    port,
    clock: systemClock,
    logger: silentLogger,
  });
  return { workflow, orders, deliver: (node: string, cohort: string, result: CohortResult) => deliver(node, cohort, result) };
}

const vector = (days: number, err: number): Float64Array => {
  const v = evaluationVectorFromResult('regression', { numExamples: days, sumLoss: days * err * err, summary: { kind: 'regression', sumAbsError: days * err, sumSquaredError: days * err * err } });
  if (typeof v === 'string') throw new Error(v);
  return v;
};

describe('the leader adding cohort evaluation sums', () => {
  it('orders an evaluation per node and reads the total as one coordinator reads the sum over all evaluators', async () => {
    const { workflow, orders, deliver } = harness({ a1: 'A', a2: 'A', b1: 'B' });
    expect(orders.map(([node, o]) => [node, o.cohort, o.evaluate?.expected, o.members.length])).toEqual([
      ['A', 'A/e', 'regression', 2],
      ['B', 'B/e', 'regression', 1],
    ]);
    const [a1, a2, b1] = [vector(10, 0.5), vector(20, 1), vector(5, 2)];
    const done = workflow.run();
    deliver('A', 'A/e', { status: 'evaluation', reported: ['a1', 'a2'], sum: sumEvaluationVectors('regression', [a1, a2]) });
    deliver('A', 'A/e', { status: 'evaluation', reported: ['a1', 'a2'], sum: sumEvaluationVectors('regression', [a1, a2]) });
    // A late fit sum of the same round is not an evaluation's.
    deliver('B', 'B/0', { status: 'evaluation', reported: ['b1'], sum: b1 });
    deliver('B', 'B/e', { status: 'evaluation', reported: ['b1'], sum: b1 });
    const outcome = await done;
    const single = evaluationOutcome(readEvaluationSums('regression', sumEvaluationVectors('regression', [a1, a2, b1])), 'none');
    expect(outcome).toEqual(single);
    expect(outcome.metrics.evalExamples).toBe(35);
    expect(outcome.metrics.evalClients).toBe(3);
  });

  it('learns nothing from a cohort sum of the wrong length', async () => {
    const { workflow, deliver } = harness({ a1: 'A', b1: 'B' });
    const done = workflow.run();
    deliver('A', 'A/e', { status: 'evaluation', reported: ['a1'], sum: vector(10, 0.5) });
    deliver('B', 'B/e', { status: 'evaluation', reported: ['b1'], sum: Float64Array.of(1, 2) });
    const outcome = await done;
    expect(outcome.metrics).toEqual({ loss: null, evalExamples: 0, evalClients: 0 });
    expect(workflow.failure).toMatch(/length/);
  });
});
