import type { ClientMessage } from '@huddle/shared/protocol';

/**
 * Which exchange a reply belongs to. Fit: a fitResult or decline answers the fit request; under secure
 * aggregation the first secagg message (sent after training) answers it, and each later one answers
 * one secagg message of the coordinator. Evaluate: an evaluateResult.
 */
export type Phase = 'fit' | 'evaluate';

export function replyPhase(msg: ClientMessage): { phase: Phase; roundId: string } | null {
  switch (msg.type) {
    case 'fitResult':
    case 'decline':
    case 'secagg':
      return { phase: 'fit', roundId: msg.roundId };
    case 'evaluateResult':
      return { phase: 'evaluate', roundId: msg.roundId };
    case 'hello':
    case 'setTasks':
    case 'statisticResult':
      return null;
    default: {
      const never: never = msg;
      throw new Error(`unhandled message ${(never as { type: string }).type}`);
    }
  }
}
