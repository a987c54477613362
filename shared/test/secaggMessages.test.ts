import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  SecAggClient,
  SecAggServer,
  advertiseKeysSchema,
  parseMessage,
  secAggMessageSchema,
  type SecAggMessage,
} from '../src/secagg/index.ts';
import { clientIds, plainSum, randomVector } from './secaggHarness.ts';

/** What the coordinator's socket layer does: msgpack on the wire, schema-checked on arrival. */
function overTheWire<T extends SecAggMessage>(message: T): T {
  return parseMessage(secAggMessageSchema, decode(encode(message))) as T;
}

describe('secagg messages', () => {
  it('a full round survives msgpack encoding of every message', async () => {
    const roundId = 'wire-round';
    const ids = clientIds(7);
    const server = new SecAggServer({ roundId, vectorLength: 33, threshold: 4 });
    const clients = ids.map((id) => new SecAggClient({ roundId, clientId: id }));
    for (const c of clients) await server.acceptAdvertiseKeys(overTheWire(await c.advertiseKeys()));
    const roster = overTheWire(await server.roster());
    for (const c of clients) server.acceptShareKeys(overTheWire(await c.shareKeys(roster)));
    const relays = server.relay();
    const inputs = ids.map(() => randomVector(33));
    const survivors = clients.slice(0, 6);
    for (const [i, c] of survivors.entries()) {
      server.acceptMaskedInput(overTheWire(await c.maskInput(inputs[i]!, overTheWire(relays.get(c.clientId)!))));
    }
    const request = overTheWire(server.unmaskRequest());
    for (const c of survivors) server.acceptSurvivorSignature(overTheWire(await c.checkSurvivors(request)));
    const proof = overTheWire(server.consistencyProof());
    for (const c of survivors) server.acceptUnmaskResponse(overTheWire(await c.unmask(proof)));
    const sum = await server.finalize();
    expect(Array.from(sum)).toEqual(Array.from(plainSum(inputs.slice(0, 6), 33)));
  });

  it('accepts ArrayBuffer for binary fields and rejects bad ids, sizes and kinds', () => {
    const base = {
      kind: 'secagg/advertise-keys',
      roundId: 'r1',
      clientId: 'athlete-1',
      encPublicKey: new ArrayBuffer(32),
      maskPublicKey: new Uint8Array(32),
    };
    const parsed = parseMessage(advertiseKeysSchema, base);
    expect(parsed.encPublicKey).toBeInstanceOf(Uint8Array);
    expect(parsed.encPublicKey.length).toBe(32);
    for (const bad of [
      { ...base, clientId: 'has space' },
      { ...base, clientId: '' },
      { ...base, maskPublicKey: new Uint8Array(33) },
      { ...base, maskPublicKey: 'AAAA' },
      { ...base, kind: 'secagg/roster' },
      { ...base, roundId: undefined },
    ]) {
      expect(() => parseMessage(advertiseKeysSchema, bad)).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE' }));
    }
  });
});
