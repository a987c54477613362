import { describe, expect, it } from 'vitest';
import { planCohorts } from '../src/engine/workflows/cohortPlan.ts';
import type { CohortMember } from '../src/engine/workflows/cohorts.ts';

const members = (node: string, n: number): CohortMember[] => Array.from({ length: n }, (_, i) => ({ clientId: `${node}${i + 1}`, conn: `s-${node}${i + 1}`, nonce: null, publicKey: null, identity: null }));
const placement = (sizes: Record<string, number>) => new Map(Object.entries(sizes).map(([node, n]) => [node, members(node, n)]));
const shape = (plan: ReturnType<typeof planCohorts>) => plan.cohorts.map((c) => [c.node, c.members.length, c.merged]);

describe('cohorts of a round step', () => {
  it('gives each node holding at least the floor its own cohort', () => {
    expect(shape(planCohorts(placement({ A: 3, B: 4 }), 3, 'R'))).toEqual([
      ['A', 3, []],
      ['B', 4, []],
    ]);
  });

  it('pools the clients of nodes below the floor into one relay cohort when the pool reaches the floor', () => {
    const plan = planCohorts(placement({ A: 5, B: 2, C: 1 }), 3, 'R');
    expect(shape(plan)).toEqual([
      ['A', 5, []],
      ['R', 3, ['B', 'C']],
    ]);
    expect(plan.cohorts[1]!.members.map((m) => m.clientId)).toEqual(['B1', 'B2', 'C1']);
    expect(plan.left).toEqual([]);
  });

  it('adds the smallest node cohort to a pool still below the floor, so that no cohort is smaller than it', () => {
    const plan = planCohorts(placement({ A: 4, B: 3, C: 1 }), 3, 'R');
    expect(shape(plan)).toEqual([
      ['A', 4, []],
      ['R', 4, ['C', 'B']],
    ]);
    for (const c of plan.cohorts) expect(c.members.length).toBeGreaterThanOrEqual(3);
    expect(new Set(plan.cohorts.flatMap((c) => c.members.map((m) => m.clientId))).size).toBe(8);
  });

  it('leaves the small cohorts out without a relay, or when all clients together are fewer than the floor', () => {
    expect(planCohorts(placement({ A: 3, B: 1 }), 3, null)).toEqual({ cohorts: [{ node: 'A', members: members('A', 3), merged: [] }], left: [{ node: 'B', members: 1 }] });
    expect(planCohorts(placement({ A: 1, B: 1 }), 3, 'R')).toEqual({ cohorts: [], left: [{ node: 'A', members: 1 }, { node: 'B', members: 1 }] });
  });
});
