import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeServerMessage, PROTOCOL_EVENT, protocolFrames } from '@huddle/shared/protocol';
import { guardSocketIo } from '../../coordinator/src/limits/socketIoGuard.ts';
import { SocketIoServerTransport } from '../../coordinator/src/transport/socketIoServer.ts';

describe('socket.io guard', () => {
  let http: HttpServer;
  let io: SocketIoServerTransport['io'];
  const sockets: Socket[] = [];
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });

  async function start(options: Parameters<typeof guardSocketIo>[1]) {
    http = createServer();
    io = new SocketIoServerTransport(http).io;
    guardSocketIo(io, options);
    const received: unknown[] = [];
    io.on('connection', (socket) => socket.on(PROTOCOL_EVENT, (m: unknown) => received.push(m)));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, received };
  }

  function open(url: string): Promise<{ socket: Socket; error: Error | null }> {
    const socket = connect(url, { transports: ['websocket'], reconnection: false, parser: protocolFrames });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ socket, error: null }));
      socket.once('connect_error', (error) => resolve({ socket, error }));
    });
  }

  it('caps connections per address and frees the slot on disconnect', async () => {
    const { url } = await start({ maxConnectionsPerAddress: 2, messages: { burst: 10, perSecond: 10 } });
    const a = await open(url);
    const b = await open(url);
    const c = await open(url);
    expect([a.error, b.error]).toEqual([null, null]);
    expect(c.error?.message).toMatch(/too many connections/);
    a.socket.disconnect();
    await new Promise((r) => setTimeout(r, 100));
    expect((await open(url)).error).toBeNull();
  });

  it('drops messages over the budget with a rate-limited error, then closes a flooding connection', async () => {
    const { url, received } = await start({ maxConnectionsPerAddress: 5, messages: { burst: 3, perSecond: 0.001 }, now: () => 0 });
    const { socket } = await open(url);
    const errors: string[] = [];
    socket.on(PROTOCOL_EVENT, (bytes: Uint8Array) => {
      const m = decodeServerMessage(bytes);
      if (m.ok && m.message.type === 'error') errors.push(m.message.code);
    });
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    for (let i = 0; i < 30; i++) socket.emit(PROTOCOL_EVENT, new Uint8Array([i]));
    expect(await closed).toBe('io server disconnect');
    expect(received).toHaveLength(3);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors)).toEqual(new Set(['rate-limited']));
  });
});
