import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_EVENT, protocolFrames } from '@huddle/shared/protocol';
import { SocketIoServerTransport } from '../../coordinator/src/transport/socketIoServer.ts';

/** The ws Receiver under a server socket (engine.io's websocket transport): what it keeps between frames. */
const receiverOf = (socket: { conn: unknown }) => (socket.conn as unknown as { transport: { socket: { _receiver: { _mask?: Buffer } } } }).transport.socket._receiver;

describe('per-socket memory a coordinator socket keeps after its messages', () => {
  it('does not keep the TCP read a 40 kB frame arrived in', async () => {
    const http = createServer();
    const { io } = new SocketIoServerTransport(http);
    const served = new Promise<{ socket: { conn: unknown }; bytes: number }>((resolve) =>
      io.on('connection', (socket) => socket.on(PROTOCOL_EVENT, (m: Buffer) => resolve({ socket, bytes: m.byteLength }))),
    );
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false, parser: protocolFrames });
    try {
      client.on('connect', () => client.emit(PROTOCOL_EVENT, new Uint8Array(40_000).fill(7)));
      const { socket, bytes } = await served;
      expect(bytes).toBe(40_000);
      // The mask of the last frame read: a copy of its 4 bytes, not a view pinning the 40 kB read behind it.
      const mask = receiverOf(socket)._mask!;
      expect(mask.byteLength).toBe(4);
      expect(mask.buffer.byteLength).toBeLessThan(40_000);
    } finally {
      client.disconnect();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    }
  });
});
