import { decodeClientMessage, decodeEnvelope, type ClientMessage } from '@huddle/shared/protocol';

/** Fields of a client message that carry one athlete's own statistic in plaintext. */
const PLAINTEXT_STATISTICS: Partial<Record<ClientMessage['type'], string[]>> = {
  fitResult: ['numExamples', 'trainLoss', 'clipBit'],
  evaluateResult: ['numExamples', 'sumLoss', 'summary', 'extras'],
  statisticResult: ['values'],
};

/** Payload kinds a client sends inside secure aggregation; anything else would be a new, unaudited channel. */
const SECAGG_CLIENT_KINDS = new Set(['secagg/advertise-keys', 'secagg/share-keys', 'secagg/masked-input', 'secagg/survivor-signature', 'secagg/unmask-response']);

/**
 * A masked input is uniform in Z/2^32: a coordinate within +-2^24 of 0 has probability 2^-7. A plaintext statistic
 * vector (counts, sums, mostly empty bins) is nearly all such small integers.
 */
function looksUnmasked(masked: Uint8Array): boolean {
  const n = Math.floor(masked.byteLength / 4);
  if (n === 0) return false;
  const view = new DataView(masked.buffer, masked.byteOffset, n * 4);
  let small = 0;
  for (let i = 0; i < n; i++) if (Math.abs(view.getInt32(i * 4, true)) < 2 ** 24) small++;
  return small / n > 0.25;
}

/** Every per-athlete plaintext statistic in one client's sent bytes, as "message type.field" findings. */
export function auditClientTraffic(sent: readonly Uint8Array[]): { messages: ClientMessage[]; findings: string[] } {
  const messages: ClientMessage[] = [];
  const findings: string[] = [];
  for (const bytes of sent) {
    const envelope = decodeEnvelope(bytes);
    if (!envelope.ok) {
      findings.push(`undecodable envelope: ${envelope.error}`);
      continue;
    }
    const decoded = decodeClientMessage(envelope.message.body);
    if (!decoded.ok) {
      findings.push(`undecodable message: ${decoded.error}`);
      continue;
    }
    const msg = decoded.message;
    messages.push(msg);
    for (const field of PLAINTEXT_STATISTICS[msg.type] ?? []) if (field in msg) findings.push(`${msg.type}.${field}`);
    if (msg.type === 'secagg') {
      const kind = String(msg.payload.kind);
      if (!SECAGG_CLIENT_KINDS.has(kind)) findings.push(`secagg payload ${kind}`);
      const masked = msg.payload.masked;
      if (kind === 'secagg/masked-input' && masked instanceof Uint8Array && looksUnmasked(masked)) findings.push('secagg/masked-input not masked');
    }
  }
  return { messages, findings };
}
