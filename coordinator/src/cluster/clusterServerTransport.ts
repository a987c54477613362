import { decodeServerMessage, type Connection, type ServerTransport, type ServerTransportHandler } from '@huddle/shared/protocol';
import { ByteSlab } from '@huddle/shared/util';
import type { ClusterBus, DownEvent, UpEvent } from './clusterBus.ts';
import { DownBatcher, type DownBatch } from './downBatcher.ts';

export interface FrameInterceptor {
  message(sid: string, bytes: Uint8Array | null): boolean;
  left(sid: string): void;
}

/**
 * The leader's view of every socket in the cluster, as one ServerTransport: the round engine runs on
 * it unchanged. Client traffic arrives from the nodes over the bus; replies go back over the bus on
 * the channel of the node that announced the socket, so each node receives only its own sockets' frames.
 */
export class ClusterServerTransport implements ServerTransport {
  private readonly conns = new Map<string, Connection>();
  /** Which node holds each known socket, to reconcile against that node's roster. */
  private readonly nodeOf = new Map<string, string>();
  /** Each socket's challenge nonce (the first frame the engine sends it), which its messages are signed over. */
  private readonly nonces = new Map<string, Uint8Array>();
  private readonly nonceSlab = new ByteSlab();
  /**
   * Each node's last roster stamp reconciled while the leader's view of that node's sockets stayed as the roster left
   * it: the same stamp again is skipped (2,500 sockets a node, every 2 s, on the leader's event loop mid-round).
   */
  private readonly reconciled = new Map<string, string>();
  /** When each node was last heard from (its roster comes every 2 s even when idle). */
  private readonly heard = new Map<string, number>();
  /** Takes the frames of sockets whose round messages a leader-side cohort handles (cohortPort.ts's relay). */
  private interceptor: FrameInterceptor | null = null;
  private unsubscribe: (() => void) | null = null;
  private handler: ServerTransportHandler | null = null;
  private closed = false;

  private readonly watchdogs = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly batcher = new DownBatcher((node, batch) => this.bus.publishDown(node, downEventOf(batch)));

  /**
   * `joined` says whether the engine has accepted a socket's hello: one that has not after
   * `handshakeMs` is challenged again (a challenge or hello lost while Redis was away), up to
   * `handshakeAttempts` times, then closed.
   */
  constructor(
    private readonly bus: ClusterBus,
    private readonly leader: string,
    private readonly term: number,
    private readonly joined: (sid: string) => boolean = () => true,
    private readonly handshakeMs = 3_000,
    private readonly handshakeAttempts = 3,
  ) {}

  get connectionCount(): number {
    return this.conns.size;
  }

  async listen(handler: ServerTransportHandler): Promise<void> {
    this.handler = handler;
    this.unsubscribe = this.bus.onUp((event) => this.route(handler, event));
    this.resync();
  }

  /** The node holding a socket, and the nonce its hello answered; null when unknown. */
  holderOf(sid: string): { node: string; nonce: Uint8Array | null } | null {
    const node = this.nodeOf.get(sid);
    return node === undefined ? null : { node, nonce: this.nonces.get(sid) ?? null };
  }

  /** Milliseconds since the node last published anything (Infinity if never). */
  silentFor(node: string): number {
    const at = this.heard.get(node);
    return at === undefined ? Infinity : Date.now() - at;
  }

  /** Frames `interceptor.message` accepts do not reach the engine; `left` hears of every socket that goes. */
  intercept(interceptor: FrameInterceptor | null): void {
    this.interceptor = interceptor;
  }

  /** Asks every node to announce its sockets again (after a takeover, or after Redis came back). */
  resync(): void {
    this.bus.publishControl({ kind: 'resync', leader: this.leader, term: this.term });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.conns.clear();
    this.nodeOf.clear();
    this.reconciled.clear();
    this.nonces.clear();
    for (const t of this.watchdogs.values()) clearTimeout(t);
    this.watchdogs.clear();
  }

  private route(handler: ServerTransportHandler, event: UpEvent): void {
    this.heard.set(event.node, Date.now());
    switch (event.kind) {
      case 'cohortSum':
        // For the round's cohort step (cohortPort.ts), not a socket's traffic.
        return;
      case 'connect': {
        const known = this.conns.get(event.sid);
        if (known) handler.onDisconnect(known, 'announced again');
        this.open(handler, event.node, event.sid);
        return;
      }
      case 'roster': {
        if (event.stamp !== undefined && this.reconciled.get(event.node) === event.stamp) return;
        const held = new Set(event.sids);
        for (const [sid, node] of this.nodeOf) {
          if (node !== event.node || held.has(sid)) continue;
          this.forget(handler, sid, 'missing from its node roster');
        }
        for (const sid of held) if (!this.conns.has(sid)) this.open(handler, event.node, sid);
        if (event.stamp !== undefined) this.reconciled.set(event.node, event.stamp);
        return;
      }
      case 'message': {
        const conn = this.conns.get(event.sid);
        if (conn && !this.interceptor?.message(event.sid, event.bytes)) handler.onMessage(conn, event.bytes ?? undefined);
        return;
      }
      case 'foreign': {
        const conn = this.conns.get(event.sid);
        if (conn) handler.onForeign(conn, event.what);
        return;
      }
      case 'disconnect':
        this.forget(handler, event.sid, event.reason);
        return;
      default: {
        const never: never = event;
        throw new Error(`unknown cluster event ${JSON.stringify(never)}`);
      }
    }
  }

  private open(handler: ServerTransportHandler, node: string, sid: string, attempt = 1): void {
    this.reconciled.delete(node);
    const conn = this.connection(sid, node);
    this.conns.set(sid, conn);
    this.nodeOf.set(sid, node);
    handler.onConnection(conn);
    this.watch(handler, node, sid, conn, attempt);
  }

  private watch(handler: ServerTransportHandler, node: string, sid: string, conn: Connection, attempt: number): void {
    clearTimeout(this.watchdogs.get(sid));
    const timer = setTimeout(() => {
      this.watchdogs.delete(sid);
      if (this.closed || this.conns.get(sid) !== conn || this.joined(sid)) return;
      if (attempt >= this.handshakeAttempts) {
        this.forget(handler, sid, 'no hello after repeated challenges');
        this.batcher.flush();
        this.bus.publishDown(node, { kind: 'close', sid });
        return;
      }
      this.conns.delete(sid);
      handler.onDisconnect(conn, 'challenged again: no hello yet');
      this.open(handler, node, sid, attempt + 1);
    }, this.handshakeMs);
    timer.unref();
    this.watchdogs.set(sid, timer);
  }

  private forget(handler: ServerTransportHandler, sid: string, reason: string): void {
    const conn = this.conns.get(sid);
    if (!conn) return;
    const node = this.nodeOf.get(sid);
    if (node !== undefined) this.reconciled.delete(node);
    this.conns.delete(sid);
    this.nodeOf.delete(sid);
    this.nonces.delete(sid);
    clearTimeout(this.watchdogs.get(sid));
    this.watchdogs.delete(sid);
    this.interceptor?.left(sid);
    handler.onDisconnect(conn, reason);
  }

  private connection(sid: string, node: string): Connection {
    let first = true;
    const conn: Connection = {
      id: sid,
      send: (bytes) => {
        if (first) {
          first = false;
          const msg = decodeServerMessage(bytes);
          if (msg.ok && msg.message.type === 'challenge') this.nonces.set(sid, this.nonceSlab.copy(msg.message.nonce));
        }
        if (!this.closed) this.batcher.send(node, sid, bytes);
      },
      close: () => {
        if (this.closed) return;
        this.batcher.flush();
        this.bus.publishDown(node, { kind: 'close', sid });
        // If Redis loses the disconnect, the socket is still in its node's roster and is then
        // challenged afresh instead of hanging as a connection the engine has given up on.
        if (this.conns.get(sid) === conn && this.handler) this.forget(this.handler, sid, 'closed by the coordinator');
      },
    };
    return conn;
  }
}

function downEventOf(batch: DownBatch): DownEvent {
  if (batch.kind === 'many') return batch.sids.length === 1 ? { kind: 'send', sid: batch.sids[0]!, bytes: batch.bytes } : { kind: 'sendMany', sids: batch.sids, bytes: batch.bytes };
  return batch.frames.length === 1 ? { kind: 'send', ...batch.frames[0]! } : { kind: 'sendEach', frames: batch.frames };
}
