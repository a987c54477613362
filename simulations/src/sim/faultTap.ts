import type { GatewayTap } from '@huddle/coordinator';
import type { TaskId } from '@huddle/shared/model';
import type { FaultPlan } from './faultPlan.ts';
import { PendingWork } from './pendingWork.ts';
import { replyPhase } from './replyPhase.ts';
import type { VirtualClock } from './virtualClock.ts';

interface Held {
  deliver: () => void;
  key: string | null;
  delayMs: number;
  tiebreak: number;
}

interface ClientQueue {
  items: Held[];
  cancel: (() => void) | null;
}

/**
 * The simulated devices' faults on the coordinator gateway's typed traffic, leaving round logic alone:
 * a dropped-out client never receives its fit request, and each reply reaches the engine at its
 * virtual send time. A client's messages keep their order, so a straggler's later messages wait behind
 * its late update, as they would on a slow device. It also tells the virtual clock which replies the
 * coordinator waits for, so time only jumps once they are all computed.
 */
export function faultTap(plan: FaultPlan, work: PendingWork, clock: VirtualClock): GatewayTap {
  const rounds = new Map<string, { task: TaskId; round: number }>();
  /** `clientId/roundId` whose update (the one that waits for virtual training time) was already sent. */
  const updateSent = new Set<string>();
  const queues = new Map<string, ClientQueue>();

  const queueOf = (clientId: string): ClientQueue => {
    let q = queues.get(clientId);
    if (!q) queues.set(clientId, (q = { items: [], cancel: null }));
    return q;
  };

  const pump = (q: ClientQueue): void => {
    const head = q.items[0];
    if (q.cancel || !head) return;
    q.cancel = clock.schedule(head.delayMs, 0, head.tiebreak, () => {
      q.cancel = null;
      q.items.shift();
      clock.activity();
      head.deliver();
      if (head.key) {
        work.release(head.key);
        work.arrived(head.key);
      }
      pump(q);
    });
  };

  return {
    outbound(clientId, msg) {
      clock.activity();
      switch (msg.type) {
        case 'fitRequest':
          rounds.set(msg.roundId, { task: msg.task, round: msg.round });
          if (plan.dropsFit(clientId, msg.task, msg.round)) return false;
          work.expect(PendingWork.key(clientId, 'fit', msg.roundId));
          return true;
        case 'secagg':
          work.expect(PendingWork.key(clientId, 'fit', msg.roundId));
          return true;
        case 'evaluateRequest':
          if (!plan.answersEvaluate()) return false;
          work.expect(PendingWork.key(clientId, 'evaluate', msg.roundId));
          return true;
        case 'roundEnd':
          updateSent.delete(`${clientId}/${msg.roundId}`);
          return true;
        case 'challenge':
        case 'welcome':
        case 'error':
        // The simulator runs no twin-prior rounds (the bench sums the moments in-process).
        case 'statisticRequest':
          return true;
        default: {
          const never: never = msg;
          throw new Error(`unhandled message ${(never as { type: string }).type}`);
        }
      }
    },
    inbound(clientId, msg, deliver) {
      clock.activity();
      const reply = replyPhase(msg);
      const q = queueOf(clientId);
      if (!reply && q.items.length === 0) return deliver();
      const r = reply ? rounds.get(reply.roundId) : undefined;
      const sentKey = reply ? `${clientId}/${reply.roundId}` : '';
      const isUpdate = !!r && !updateSent.has(sentKey) && (msg.type === 'fitResult' || msg.type === 'secagg');
      if (isUpdate) updateSent.add(sentKey);
      const key = reply ? PendingWork.key(clientId, reply.phase, reply.roundId) : null;
      if (key) work.hold(key);
      q.items.push({ deliver, key, delayMs: isUpdate ? plan.fitDelayMs(clientId, r.task, r.round) : 0, tiebreak: r ? plan.tiebreak(clientId, r.task, r.round) : 0 });
      pump(q);
    },
    left(clientId) {
      const q = queues.get(clientId);
      q?.cancel?.();
      queues.delete(clientId);
      work.forgetClient(clientId);
    },
  };
}
