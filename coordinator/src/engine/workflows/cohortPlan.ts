import type { CohortMember } from './cohorts.ts';

export interface PlannedCohort {
  /** The node that runs the cohort: the one holding its members' sockets, or the port's relay for a merged cohort. */
  node: string;
  members: CohortMember[];
  /** The nodes whose clients a merged (relay) cohort holds; empty for a node's own cohort. */
  merged: string[];
}

export interface CohortPlan {
  cohorts: PlannedCohort[];
  /** Clients that could not be put in a cohort of at least the floor (all selected clients together are fewer). */
  left: { node: string; members: number }[];
}

/**
 * The cohorts of one round step. A node holding at least `floor` of the selected clients runs their cohort. The
 * clients of nodes holding fewer are pooled into one cohort that `relay` runs (the leader, its frames relayed through
 * their nodes); while the pool is below the floor, the smallest node cohort joins it. So every selected client is in
 * a cohort of at least the floor, unless all of them together are fewer. Without a relay, small cohorts are left out.
 */
export function planCohorts(byNode: ReadonlyMap<string, CohortMember[]>, floor: number, relay: string | null): CohortPlan {
  const own = [...byNode].filter(([, m]) => m.length >= floor);
  const small = [...byNode].filter(([, m]) => m.length < floor);
  if (small.length === 0) return { cohorts: own.map(([node, members]) => ({ node, members, merged: [] })), left: [] };
  const total = [...byNode.values()].reduce((n, m) => n + m.length, 0);
  if (relay === null || total < floor) {
    return { cohorts: own.map(([node, members]) => ({ node, members, merged: [] })), left: small.map(([node, m]) => ({ node, members: m.length })) };
  }
  const pool = [...small];
  const size = (): number => pool.reduce((n, [, m]) => n + m.length, 0);
  while (size() < floor) {
    const smallest = own.reduce((best, c, i) => (c[1].length < own[best]![1].length ? i : best), 0);
    pool.push(...own.splice(smallest, 1));
  }
  const cohorts = own.map(([node, members]) => ({ node, members, merged: [] as string[] }));
  cohorts.push({ node: relay, members: pool.flatMap(([, m]) => m), merged: pool.map(([node]) => node) });
  return { cohorts, left: [] };
}
