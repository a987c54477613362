import { decodeClientMessage, decodeEnvelope, decodeServerMessage, type ClientMessage, type ServerMessage } from '@huddle/shared/protocol';

/** A client message as the coordinator will read it, whether or not it travels in an envelope. */
export function peekClientMessage(bytes: unknown): ClientMessage | null {
  const envelope = decodeEnvelope(bytes);
  const decoded = decodeClientMessage(envelope.ok ? envelope.message.body : bytes);
  return decoded.ok ? decoded.message : null;
}

export function peekServerMessage(bytes: unknown): ServerMessage | null {
  const decoded = decodeServerMessage(bytes);
  return decoded.ok ? decoded.message : null;
}

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
    default:
      return null;
  }
}
