import { createRequire } from 'node:module';
import type { Server, Socket } from 'socket.io';

interface WsReceiver {
  _mask: Buffer | undefined;
  getMask(): void;
}

let maskCopied = false;

/**
 * ws's Receiver keeps the 4-byte mask of a client's last frame as a view into the TCP read it arrived in, until the
 * next frame: every socket pinned its last read, a whole 40 kB update after its fitResult (2,500 sockets: ~100 MB
 * held through the round, found in a heap snapshot of a load-bench node). The mask is copied out instead. Applied to
 * the ws that socket.io's engine.io loads (one per process); a ws without this method is left as it is.
 */
function copyWsMasks(): void {
  if (maskCopied) return;
  maskCopied = true;
  const fromEngine = createRequire(createRequire(createRequire(import.meta.url).resolve('socket.io')).resolve('engine.io'));
  const { Receiver } = fromEngine('ws') as { Receiver?: { prototype: WsReceiver } };
  const original = Receiver?.prototype.getMask;
  if (!Receiver || typeof original !== 'function') return;
  Receiver.prototype.getMask = function (this: WsReceiver) {
    original.call(this);
    if (this._mask && this._mask.buffer.byteLength > this._mask.byteLength) this._mask = Buffer.from(this._mask);
  };
}

/**
 * What a socket.io server keeps per connection beyond what it needs: the ws masks above, and each connection's
 * reference to the HTTP request that opened it, dropped once socket.io has built the socket's handshake (address,
 * headers and query stay there). The request, with its parser state and closures, otherwise lives as long as the
 * connection (socket.io's "Memory usage" guide). Nothing here reads `socket.request` after the connection starts.
 */
export function leanSockets(io: Server): void {
  copyWsMasks();
  io.on('connection', (socket: Socket) => {
    (socket.conn as { request: unknown }).request = null;
  });
}
