import type { Logger } from '@huddle/shared/util';
import type { ClientRegistry } from '../engine/clientRegistry.ts';
import type { Clock } from '../engine/clock.ts';
import type { CohortResult } from '../engine/workflows/cohorts.ts';
import { CohortJobs } from './cohortJobs.ts';
import type { ClusterServerTransport } from './clusterServerTransport.ts';
import type { CohortPortHandle } from './cohortPort.ts';

/** The relay's name in cohort ids and logs (startClusterNode refuses it as a node id). */
export const RELAY_NODE = '(leader relay)';

export interface RelayCohortsOptions {
  transport: ClusterServerTransport;
  registry: () => ClientRegistry;
  clock: Clock;
  logger: Logger;
  /** Every result the relay's cohorts produce (tests, metrics), as for the nodes' cohorts. */
  onResult?: (e: { node: string; roundId: string; cohort: string; result: CohortResult }) => void;
}

/**
 * Gives the leader's cohort port a relay: a cohort merged from the clients of nodes holding fewer than the privacy
 * floor (cohortPlan.ts) runs here, on the leader, with the same CohortJobs a node uses. Its members' sockets stay on
 * their nodes, which relay their frames as they do for any client; the leader's transport hands the members' round
 * messages to the relay cohort instead of the engine, and the cohort's sum goes to the round like a node's.
 */
export function withRelayCohorts(port: CohortPortHandle, o: RelayCohortsOptions): CohortPortHandle {
  const rounds = new Map<string, (node: string, cohort: string, result: CohortResult) => void>();
  const jobs = new CohortJobs({
    node: RELAY_NODE,
    clock: o.clock,
    logger: o.logger,
    send: (sid, bytes) => o.registry().byConnection(sid)?.conn.send(bytes),
    publish: (roundId, cohort, result) => {
      o.onResult?.({ node: RELAY_NODE, roundId, cohort, result });
      rounds.get(roundId)?.(RELAY_NODE, cohort, result);
      // Delivered in-process: no resending.
      queueMicrotask(() => jobs.acknowledge(roundId, cohort));
    },
  });
  o.transport.intercept({ message: (sid, bytes) => jobs.intercept(sid, bytes), left: (sid) => jobs.left(sid) });
  return {
    relay: RELAY_NODE,
    locate: (clientId) => port.locate(clientId),
    dispatch: (node, order) => (node === RELAY_NODE ? jobs.start(order) : port.dispatch(node, order)),
    subscribe(roundId, onResult) {
      rounds.set(roundId, onResult);
      const stop = port.subscribe(roundId, onResult);
      return () => {
        if (rounds.get(roundId) === onResult) rounds.delete(roundId);
        stop();
      };
    },
    alive: (node) => node === RELAY_NODE || port.alive(node),
    joined: (clientId, publicKey) => port.joined?.(clientId, publicKey),
    release: (node, roundId, cohort) => (node === RELAY_NODE ? jobs.acknowledge(roundId, cohort) : port.release(node, roundId, cohort)),
    close() {
      o.transport.intercept(null);
      jobs.close();
      port.close();
    },
  };
}
