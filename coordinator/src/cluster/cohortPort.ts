import type { Logger } from '@huddle/shared/util';
import { warmEd25519Key } from '../auth/ed25519.ts';
import type { ClientRegistry } from '../engine/clientRegistry.ts';
import type { CohortOrder, CohortPort, CohortResult } from '../engine/workflows/cohorts.ts';
import type { ClusterBus, UpEvent } from './clusterBus.ts';
import type { ClusterServerTransport } from './clusterServerTransport.ts';
import { MemberKeys } from './memberKeys.ts';
import { PRESENCE_TTL_MS } from './nodePresence.ts';

export interface ClusterCohortPortOptions {
  /** The leader's own node: its cohorts verify with the keys this process imported checking the hellos. */
  node: string;
  bus: ClusterBus;
  transport: ClusterServerTransport;
  registry: () => ClientRegistry;
  /** Enrolled federations: a client's enrollment key, which its messages are signed with. */
  publicKeyOf: (clientId: string) => Uint8Array | null;
  /** Whether a node is alive (its presence key in Redis, nodePresence.ts); a dead node's cohort is dropped. */
  presence: { alive(node: string): boolean };
  logger: Logger;
  /** Every cohort result the leader receives, repeats included (tests, metrics). */
  onResult?: (e: { node: string; roundId: string; cohort: string; result: CohortResult }) => void;
}

type CohortSumEvent = Extract<UpEvent, { kind: 'cohortSum' }>;

/**
 * The leader's cohort step over the cluster bus: orders go to one node's channel, sums come back on `up`
 * and are acknowledged (whatever the round, so a node stops resending); `close` stops listening.
 */
export type CohortPortHandle = CohortPort & { close(): void };

export function clusterCohortPort(o: ClusterCohortPortOptions): CohortPortHandle {
  const rounds = new Map<string, (node: string, cohort: string, result: CohortResult) => void>();
  let closed = false;
  const keys = new MemberKeys((node, list) => o.bus.publishDown(node, { kind: 'memberKeys', keys: list }));
  const stop = o.bus.onUp((event) => {
    if (event.kind !== 'cohortSum') return;
    o.bus.publishDown(event.node, { kind: 'cohortAck', roundId: event.roundId, cohort: event.cohort });
    const result = resultOf(event);
    if (!result) return o.logger.warn({ node: event.node, roundId: event.roundId, cohort: event.cohort }, 'cohort sum with a malformed vector refused');
    o.onResult?.({ node: event.node, roundId: event.roundId, cohort: event.cohort, result });
    rounds.get(event.roundId)?.(event.node, event.cohort, result);
  });
  return {
    locate(clientId) {
      const client = o.registry().byId(clientId);
      if (!client) return null;
      const holder = o.transport.holderOf(client.conn.id);
      if (!holder) return null;
      return { node: holder.node, member: { clientId, conn: client.conn.id, nonce: holder.nonce, publicKey: o.publicKeyOf(clientId) } };
    },
    dispatch(node, order: CohortOrder) {
      o.bus.publishDown(node, { kind: 'cohortFit', order });
    },
    subscribe(roundId, onResult) {
      rounds.set(roundId, onResult);
      return () => rounds.delete(roundId);
    },
    alive(node) {
      // A leader that stopped leading hears nothing any more and cannot tell: its open round runs to its deadline.
      // Dead only when both say so: its key is gone, and the leader has processed nothing from it for a key's lifetime
      // (a key refreshed late by a starved worker thread, or lost in a Redis restart, does not drop a node that talks).
      return closed || o.presence.alive(node) || o.transport.silentFor(node) < PRESENCE_TTL_MS;
    },
    release(node, roundId, cohort) {
      o.bus.publishDown(node, { kind: 'cohortAck', roundId, cohort });
    },
    joined(clientId, publicKey) {
      const client = o.registry().byId(clientId);
      const holder = client ? o.transport.holderOf(client.conn.id) : null;
      if (!holder) return;
      // The hello was checked without keeping its key (clusterNode.ts): this node's own cohort members need it now.
      if (holder.node === o.node) warmEd25519Key(publicKey);
      else keys.add(holder.node, publicKey);
    },
    close: () => {
      closed = true;
      keys.close();
      stop();
    },
  };
}

/** The vector's bytes as the typed array they were (copied: msgpack's views need not be aligned). */
function resultOf(event: CohortSumEvent): CohortResult | null {
  const r = event.result;
  switch (r.status) {
    case 'failed':
      return r;
    case 'plain':
      return r.sum.byteLength % 4 === 0 ? { ...r, sum: new Float32Array(Uint8Array.from(r.sum).buffer) } : null;
    case 'secure':
      return r.sum.byteLength % 4 === 0 ? { ...r, sum: new Uint32Array(Uint8Array.from(r.sum).buffer) } : null;
    case 'evaluation':
      return r.sum.byteLength % 8 === 0 ? { ...r, sum: new Float64Array(Uint8Array.from(r.sum).buffer) } : null;
    default: {
      const never: never = r;
      throw new Error(`unknown cohort result ${JSON.stringify(never)}`);
    }
  }
}

/** A cohort result as the bus carries it (vectors as bytes). */
export function wireResult(result: CohortResult): CohortSumEvent['result'] {
  if (result.status === 'failed') return result;
  return { ...result, sum: new Uint8Array(result.sum.buffer, result.sum.byteOffset, result.sum.byteLength) };
}
