import type { Server, Socket } from 'socket.io';
import { encodeMessage, PROTOCOL_EVENT } from '@huddle/shared/protocol';
import { ConnectionCap } from './connectionCap.ts';
import { MessageRateLimiter } from './messageRateLimiter.ts';
import type { BucketRate } from './tokenBucket.ts';

export interface SocketIoGuardOptions {
  maxConnectionsPerAddress: number;
  messages: BucketRate;
  /** Remote address of a socket; the TCP peer by default (set this behind a trusted proxy). */
  address?: (socket: Socket) => string;
  now?: () => number;
}

/**
 * Applies the per-address connection cap and the per-connection message budget to a socket.io
 * server. Over-budget packets are dropped before any handler sees them, with a `rate-limited`
 * protocol error; a connection that keeps flooding is closed.
 */
export function guardSocketIo(io: Server, options: SocketIoGuardOptions): void {
  const cap = new ConnectionCap(options.maxConnectionsPerAddress);
  const limiter = new MessageRateLimiter(options.messages);
  const address = options.address ?? ((socket: Socket) => socket.handshake.address);
  const now = options.now ?? Date.now;

  io.use((socket, next) => {
    const addr = address(socket);
    if (!cap.tryAcquire(addr)) {
      next(new Error('too many connections from this address'));
      return;
    }
    socket.once('disconnect', () => {
      cap.release(addr);
      limiter.forget(socket.id);
    });
    next();
  });

  io.on('connection', (socket) => {
    socket.on('error', () => undefined);
    socket.use((_packet, next) => {
      const verdict = limiter.check(socket.id, now());
      if (verdict === 'allow') {
        next();
        return;
      }
      if (verdict === 'disconnect') {
        socket.disconnect(true);
        return;
      }
      socket.emit(PROTOCOL_EVENT, encodeMessage({ type: 'error', code: 'rate-limited', message: 'too many messages; this one was dropped' }));
    });
  });
}
