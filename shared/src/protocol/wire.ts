import { Decoder, Encoder } from '@msgpack/msgpack';
import type { z } from 'zod';
import { clientMessageSchema, envelopeSchema, serverMessageSchema, type ClientMessage, type ClientMessageInput, type ServerMessage, type ServerMessageInput } from './messages.ts';
import type { Envelope } from './envelope.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from './version.ts';

// One of each, reused: a fresh Encoder starts at 2 kB and regrows for every model-sized message. `encode` returns an
// exact-size copy of the reused buffer; both clone themselves if re-entered.
const encoder = new Encoder();
const decoder = new Decoder();
// Encodes the bodies of encodeSealedMessage into its own buffer, which `encoder` then copies into the envelope.
const bodyEncoder = new Encoder();

export type Decoded<T> = { ok: true; message: T } | { ok: false; code: 'malformed' | 'too-large'; error: string };

export function encodeMessage(message: ClientMessageInput | ServerMessageInput): Uint8Array {
  return encoder.encode(message);
}

function decodeWith<T>(schema: z.ZodType<T>, bytes: unknown, maxBytes: number): Decoded<T> {
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) return { ok: false, code: 'malformed', error: 'message must be binary (msgpack)' };
  if (data.byteLength > maxBytes) return { ok: false, code: 'too-large', error: `message of ${data.byteLength} bytes exceeds the ${maxBytes}-byte limit` };
  let raw: unknown;
  try {
    raw = decoder.decode(data);
  } catch (err) {
    return { ok: false, code: 'malformed', error: `not valid msgpack: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'malformed', error: `invalid message: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'schema mismatch'}` };
  }
  return { ok: true, message: parsed.data };
}

export function decodeClientMessage(bytes: unknown, maxBytes = DEFAULT_MAX_MESSAGE_BYTES): Decoded<ClientMessage> {
  return decodeWith(clientMessageSchema, bytes, maxBytes);
}

/** Outer layer of every client message: the envelope, before its signature is checked. */
export function decodeEnvelope(bytes: unknown, maxBytes = DEFAULT_MAX_MESSAGE_BYTES): Decoded<z.infer<typeof envelopeSchema>> {
  return decodeWith(envelopeSchema, bytes, maxBytes);
}

export function encodeEnvelope(envelope: { body: Uint8Array; seq: number; sig?: Uint8Array }): Uint8Array {
  return encoder.encode(envelope);
}

/**
 * A client message encoded and sealed in one go, the same bytes as encodeEnvelope(seal(encodeMessage(message))).
 * `seal` gets the encoded body as a view into a reused buffer, valid only during the call, and returns the envelope
 * around it; the body is then copied once, into the envelope's bytes, instead of three times.
 */
export function encodeSealedMessage(message: ClientMessageInput, seal: (body: Uint8Array) => Envelope): Uint8Array {
  return encoder.encode(seal(bodyEncoder.encodeSharedRef(message)));
}

export function decodeServerMessage(bytes: unknown, maxBytes = DEFAULT_MAX_MESSAGE_BYTES): Decoded<ServerMessage> {
  return decodeWith(serverMessageSchema, bytes, maxBytes);
}
