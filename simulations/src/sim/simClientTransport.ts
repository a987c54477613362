import type { ClientTransport } from '@huddle/shared/protocol';
import type { TaskId } from '@huddle/shared/model';
import type { FaultPlan } from './faultPlan.ts';
import { PendingWork } from './pendingWork.ts';
import { peekClientMessage, peekServerMessage, replyPhase } from './peek.ts';
import type { VirtualClock } from './virtualClock.ts';

export interface SimulatedClientOptions {
  clientId: string;
  plan: FaultPlan;
  clock: VirtualClock;
  work: PendingWork;
}

interface Outgoing {
  bytes: Uint8Array;
  key: string | null;
  delayMs: number;
  tiebreak: number;
}

/**
 * Wraps a real client transport with the simulated device's faults, leaving round logic alone:
 * a dropped-out client never sees its fit request, and every reply leaves at its virtual send time.
 * Outgoing messages keep their order (the coordinator refuses out-of-sequence envelopes), so a
 * straggler's later messages wait behind its late update, as they would on a slow device.
 */
export function simulatedClientTransport(inner: ClientTransport, o: SimulatedClientOptions): ClientTransport {
  const rounds = new Map<string, { task: TaskId; round: number; updateSent: boolean }>();
  const queue: Outgoing[] = [];
  let armed = false;

  const pump = (): void => {
    const head = queue[0];
    if (armed || !head) return;
    armed = true;
    o.clock.schedule(head.delayMs, 0, head.tiebreak, () => {
      armed = false;
      queue.shift();
      o.clock.activity();
      inner.send(head.bytes);
      if (head.key) o.work.release(head.key);
      pump();
    });
  };

  return {
    open(handler) {
      inner.open({
        onOpen: () => handler.onOpen(),
        onClose: (reason) => handler.onClose(reason),
        onMessage: (bytes) => {
          o.clock.activity();
          const msg = peekServerMessage(bytes);
          if (msg?.type === 'fitRequest') {
            rounds.set(msg.roundId, { task: msg.task, round: msg.round, updateSent: false });
            if (o.plan.dropsFit(o.clientId, msg.task, msg.round)) return;
          }
          if (msg?.type === 'evaluateRequest' && !o.plan.answersEvaluate()) return;
          handler.onMessage(bytes);
        },
      });
    },
    send(bytes) {
      const msg = peekClientMessage(bytes);
      const reply = msg ? replyPhase(msg) : null;
      if (!reply && queue.length === 0) {
        o.clock.activity();
        inner.send(bytes);
        return;
      }
      const r = reply ? rounds.get(reply.roundId) : undefined;
      // The first fitResult or secagg message of a round is the one that waits for (virtual) training time.
      const isUpdate = !!r && !r.updateSent && (msg?.type === 'fitResult' || msg?.type === 'secagg');
      if (isUpdate) r.updateSent = true;
      const delayMs = isUpdate ? o.plan.fitDelayMs(o.clientId, r.task, r.round) : 0;
      const tiebreak = r ? o.plan.tiebreak(o.clientId, r.task, r.round) : 0;
      const key = reply ? PendingWork.key(o.clientId, reply.phase, reply.roundId) : null;
      if (key) o.work.hold(key);
      queue.push({ bytes, key, delayMs, tiebreak });
      pump();
    },
    close() {
      inner.close();
    },
  };
}
