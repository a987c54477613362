import type { Connection, ServerTransport } from '@huddle/shared/protocol';
import type { FaultPlan } from './faultPlan.ts';
import type { VirtualClock } from './virtualClock.ts';
import { PendingWork } from './pendingWork.ts';
import { peekClientMessage, peekServerMessage, replyPhase } from './peek.ts';

/**
 * Passes everything through unchanged and notes which replies the coordinator now waits for (from
 * clients the fault plan lets answer) and when they arrive, so the virtual clock knows when it may move.
 */
export function accountingServerTransport(inner: ServerTransport, plan: FaultPlan, work: PendingWork, clock: VirtualClock): ServerTransport {
  const clientOf = new Map<string, string>();
  const wrapped = new Map<string, Connection>();

  const account = (connId: string, bytes: Uint8Array): void => {
    const clientId = clientOf.get(connId);
    if (!clientId) return;
    const msg = peekServerMessage(bytes);
    if (msg?.type === 'fitRequest' && !plan.dropsFit(clientId, msg.task, msg.round)) work.expect(PendingWork.key(clientId, 'fit', msg.roundId));
    if (msg?.type === 'secagg') work.expect(PendingWork.key(clientId, 'fit', msg.roundId));
    if (msg?.type === 'evaluateRequest' && plan.answersEvaluate()) work.expect(PendingWork.key(clientId, 'evaluate', msg.roundId));
  };

  const wrap = (conn: Connection): Connection => {
    let w = wrapped.get(conn.id);
    if (!w) {
      w = {
        id: conn.id,
        send: (bytes) => {
          clock.activity();
          account(conn.id, bytes);
          conn.send(bytes);
        },
        close: (reason) => conn.close(reason),
      };
      wrapped.set(conn.id, w);
    }
    return w;
  };

  return {
    listen: (handler) =>
      inner.listen({
        onConnection: (conn) => handler.onConnection(wrap(conn)),
        onForeign: (conn, what) => handler.onForeign(wrap(conn), what),
        onMessage: (conn, bytes) => {
          clock.activity();
          const msg = peekClientMessage(bytes);
          if (msg?.type === 'hello') clientOf.set(conn.id, msg.clientId);
          handler.onMessage(wrap(conn), bytes);
          const reply = msg ? replyPhase(msg) : null;
          const clientId = clientOf.get(conn.id);
          if (reply && clientId) work.arrived(PendingWork.key(clientId, reply.phase, reply.roundId));
        },
        onDisconnect: (conn, reason) => {
          handler.onDisconnect(wrap(conn), reason);
          const clientId = clientOf.get(conn.id);
          clientOf.delete(conn.id);
          wrapped.delete(conn.id);
          if (clientId) work.forgetClient(clientId);
        },
      }),
    close: () => inner.close(),
  };
}
