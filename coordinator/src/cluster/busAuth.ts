import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SyncDb } from '../store/sql/syncDb.ts';

const TAG_BYTES = 32;

/**
 * The cluster's bus key: 32 random bytes in PostgreSQL's `server_secrets`, made by the first node that asks. Every
 * node reads it at start; a party that can reach Redis but not PostgreSQL does not have it.
 */
export function clusterBusKey(db: SyncDb): Uint8Array {
  const read = db.prepare<[], { value: Uint8Array }>("SELECT value FROM server_secrets WHERE name = 'cluster-bus-key'");
  let row = read.get();
  if (!row) {
    db.prepare("INSERT INTO server_secrets (name, value) VALUES ('cluster-bus-key', ?) ON CONFLICT DO NOTHING").run(randomBytes(32));
    row = read.get()!;
  }
  return new Uint8Array(row.value);
}

/** A bus frame: the body, then HMAC-SHA256 over the channel and the body (a frame cannot be moved to another channel). */
export function sealFrame(key: Uint8Array, channel: string, body: Uint8Array): Buffer {
  return Buffer.concat([body, tag(key, channel, body)]);
}

/** The frame's body when its tag is right for this channel; null otherwise (forged, altered, unsigned, or moved). */
export function openFrame(key: Uint8Array, channel: string, frame: Uint8Array): Uint8Array | null {
  if (frame.byteLength < TAG_BYTES) return null;
  const body = frame.subarray(0, frame.byteLength - TAG_BYTES);
  const expected = tag(key, channel, body);
  return timingSafeEqual(expected, frame.subarray(frame.byteLength - TAG_BYTES)) ? body : null;
}

function tag(key: Uint8Array, channel: string, body: Uint8Array): Buffer {
  return createHmac('sha256', key).update(channel).update(Buffer.of(0)).update(body).digest();
}
