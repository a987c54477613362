import { createRequire } from 'node:module';

interface WsReceiver {
  _mask: Buffer | undefined;
  getMask(): void;
}

let maskCopied = false;

/**
 * ws's Receiver keeps the 4-byte mask of a client's last frame as a view into the TCP read it arrived in, until the
 * next frame: every socket pinned its last read, a whole 40 kB update after its fitResult (2,500 sockets: ~100 MB held
 * through the round, found in a heap snapshot of a load-bench node). The mask is copied out instead, in the ws that
 * socket.io's engine.io loads; a ws without this method is left as it is. Called by every socket.io server the
 * coordinator starts (once per process is enough). Dropping each connection's `request`, as socket.io's "Memory usage"
 * guide suggests, frees nothing here: engine.io's upgrade response keeps it for the socket's life (heap snapshot).
 */
export function copyWsMasks(): void {
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
