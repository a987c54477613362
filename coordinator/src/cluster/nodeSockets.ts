import type { Server, Socket } from 'socket.io';
import { PROTOCOL_EVENT } from '@huddle/shared/protocol';
import { noteInboundFrame } from '../transport/deadFrames.ts';
import type { ClusterBus } from './clusterBus.ts';
import type { CohortJobs } from './cohortJobs.ts';

const asBytes = (v: unknown): Uint8Array | null => (v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : null);

/**
 * What every node does with the sockets it terminates: announce them, forward their protocol frames
 * untouched (the leader verifies and decodes them), announce them again when a leader asks, and send
 * the whole roster every `rosterMs` (pub/sub drops what is published while Redis is away).
 */
export function forwardSockets(io: Server, bus: ClusterBus, node: string, cohorts: CohortJobs | null = null, rosterMs = 2_000): () => void {
  const local = new Map<string, Socket>();
  const epoch = globalThis.crypto.randomUUID();
  let changes = 0;
  io.on('connection', (socket: Socket) => {
    local.set(socket.id, socket);
    changes++;
    bus.publishUp({ kind: 'connect', node, sid: socket.id });
    socket.onAny((event: string, ...args: unknown[]) => {
      if (event !== PROTOCOL_EVENT) return bus.publishUp({ kind: 'foreign', node, sid: socket.id, what: String(event).slice(0, 128) });
      const bytes = args.length === 1 ? asBytes(args[0]) : null;
      if (bytes) noteInboundFrame(bytes.byteLength);
      // A cohort member's round message stays on this node, whose cohort fit handles it.
      if (!cohorts?.intercept(socket.id, bytes)) bus.publishUp({ kind: 'message', node, sid: socket.id, bytes });
    });
    socket.on('disconnect', (reason) => {
      local.delete(socket.id);
      changes++;
      cohorts?.left(socket.id);
      bus.publishUp({ kind: 'disconnect', node, sid: socket.id, reason: String(reason).slice(0, 256) });
    });
  });
  const announceAll = () => {
    for (const sid of local.keys()) bus.publishUp({ kind: 'connect', node, sid });
  };
  // Frames published while Redis was away are lost: announcing again makes the leader start each socket afresh.
  bus.onReconnect(announceAll);
  const stopDown = deliverDown(io, bus, node, local, cohorts);
  const roster = setInterval(() => bus.publishUp({ kind: 'roster', node, sids: [...local.keys()], stamp: `${epoch}:${changes}` }), rosterMs);
  roster.unref();
  const stopControl = bus.onControl((event) => {
    switch (event.kind) {
      case 'resync':
        announceAll();
        return;
      default: {
        const never: never = event.kind;
        throw new Error(`unknown control event ${String(never)}`);
      }
    }
  });
  return () => {
    clearInterval(roster);
    stopControl();
    void stopDown.then((stop) => stop());
  };
}

/** The leader's frames for this node's sockets, delivered to the socket they name (a socket gone since is skipped). */
function deliverDown(io: Server, bus: ClusterBus, node: string, local: Map<string, Socket>, cohorts: CohortJobs | null): Promise<() => void> {
  return bus.onDown(node, (event) => {
    if (event.kind === 'cohortFit') return cohorts?.start(event.order);
    if (event.kind === 'cohortAck') return cohorts?.acknowledge(event.roundId, event.cohort);
    if (event.kind === 'memberKeys') return cohorts?.prepare(event.keys);
    if (event.kind === 'sendMany') return sendMany(io, local, event.sids, event.bytes);
    if (event.kind === 'sendEach') {
      for (const f of event.frames) local.get(f.sid)?.emit(PROTOCOL_EVENT, Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength));
      return;
    }
    const socket = local.get(event.sid);
    if (!socket) return;
    switch (event.kind) {
      case 'send':
        socket.emit(PROTOCOL_EVENT, Buffer.from(event.bytes.buffer, event.bytes.byteOffset, event.bytes.byteLength));
        return;
      case 'close':
        socket.disconnect(true);
        return;
      default: {
        const never: never = event;
        throw new Error(`unknown down event ${JSON.stringify(never)}`);
      }
    }
  });
}

/** One frame to many local sockets: socket.io encodes a broadcast once for all of them (`local`: not relayed to other nodes). */
function sendMany(io: Server, local: Map<string, Socket>, sids: string[], bytes: Uint8Array): void {
  const present = sids.filter((sid) => local.has(sid));
  if (present.length > 0) io.local.to(present).emit(PROTOCOL_EVENT, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
