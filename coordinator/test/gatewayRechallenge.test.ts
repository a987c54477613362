import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeServerMessage, encodeEnvelope, encodeMessage, PROTOCOL_VERSION, sealMessage, signHello, type Connection, type ServerMessage, type ServerTransport, type ServerTransportHandler } from '@huddle/shared/protocol';
import { silentLogger } from '@huddle/shared/util';
import { EnrollmentVerifier } from '../src/auth/clientVerifier.ts';
import { ClientRegistry } from '../src/engine/clientRegistry.ts';
import { ClientGateway } from '../src/engine/gateway/clientGateway.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';
import { enrollDevice, type EnrolledDevice } from './helpers/enrolled.ts';
import { tempDir } from './helpers/tempDir.ts';

// The cluster transport challenges a socket again (same connection id) when its hello is slow; a hello signed over
// the first challenge may then arrive on the second. Under load this refused every slow joiner (and closed it).
function fakeTransport() {
  let handler: ServerTransportHandler | null = null;
  const transport: ServerTransport = {
    listen: async (h) => void (handler = h),
    close: async () => {},
  } as ServerTransport;
  const inbox = new Map<string, ServerMessage[]>();
  const connection = (id: string): Connection => ({
    id,
    send: (bytes) => {
      const decoded = decodeServerMessage(bytes, 1 << 20);
      if (!decoded.ok) throw new Error(decoded.error);
      inbox.set(id, [...(inbox.get(id) ?? []), decoded.message]);
    },
    close: () => {},
  });
  return { transport, inbox, connection, handler: () => handler! };
}

const nonceOf = (m: ServerMessage | undefined): Uint8Array => {
  if (m?.type !== 'challenge') throw new Error(`expected a challenge, got ${m?.type}`);
  return m.nonce;
};

describe('a connection challenged again before its hello', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let device: EnrolledDevice;
  let net: ReturnType<typeof fakeTransport>;

  beforeEach(async () => {
    tmp = tempDir();
    store = SqliteStore.inDirectory(tmp.dir);
    device = enrollDevice(store, ['injury']);
    net = fakeTransport();
    const gateway = new ClientGateway({
      registry: new ClientRegistry(),
      auth: new EnrollmentVerifier(store),
      logger: silentLogger,
      hosts: (task) => task === 'injury',
      welcomeTasks: () => [],
      abandonedRounds: () => [],
      onEvent: () => {},
    });
    await gateway.attach(net.transport);
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  const hello = (nonce: Uint8Array) =>
    encodeEnvelope(sealMessage(device.keys.secretKey, nonce, 1, encodeMessage({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: device.clientId, tasks: ['injury'], signature: signHello(device.keys.secretKey, nonce, device.clientId, ['injury']), sdk: 'test' })));

  it('gets the same nonce again, so a hello signed over the first challenge is welcomed', () => {
    const h = net.handler();
    const first = net.connection('sid-a');
    h.onConnection(first);
    const nonce = nonceOf(net.inbox.get('sid-a')?.[0]);
    h.onDisconnect(first, 'challenged again: no hello yet');
    const second = net.connection('sid-a');
    h.onConnection(second);
    expect(Buffer.from(nonceOf(net.inbox.get('sid-a')?.[1])).equals(Buffer.from(nonce))).toBe(true);
    h.onMessage(second, hello(nonce));
    expect(net.inbox.get('sid-a')?.map((m) => m.type)).toEqual(['challenge', 'challenge', 'welcome']);
  });

  it('never hands that nonce to another connection: a hello replayed there is refused', () => {
    const h = net.handler();
    const a = net.connection('sid-a');
    h.onConnection(a);
    const nonce = nonceOf(net.inbox.get('sid-a')?.[0]);
    h.onDisconnect(a, 'challenged again: no hello yet');
    const b = net.connection('sid-b');
    h.onConnection(b);
    expect(Buffer.from(nonceOf(net.inbox.get('sid-b')?.[0])).equals(Buffer.from(nonce))).toBe(false);
    h.onMessage(b, hello(nonce));
    const reply = net.inbox.get('sid-b')?.[1];
    expect(reply?.type === 'error' && reply.code).toBe('unauthorized');
  });

  it('gives a fresh nonce to a connection id that had already joined and left', () => {
    const h = net.handler();
    const a = net.connection('sid-a');
    h.onConnection(a);
    const nonce = nonceOf(net.inbox.get('sid-a')?.[0]);
    h.onMessage(a, hello(nonce));
    expect(net.inbox.get('sid-a')?.[1]?.type).toBe('welcome');
    h.onDisconnect(a, 'transport close');
    h.onConnection(net.connection('sid-a'));
    expect(Buffer.from(nonceOf(net.inbox.get('sid-a')?.[2])).equals(Buffer.from(nonce))).toBe(false);
  });
});
