import type { Connection, ServerTransport, ServerTransportHandler } from '@huddle/shared/protocol';
import type { ClusterBus, UpEvent } from './clusterBus.ts';

/**
 * The leader's view of every socket in the cluster, as one ServerTransport: the round engine runs on
 * it unchanged. Client traffic arrives from the nodes over the bus; replies go back over the bus on
 * the channel of the node that announced the socket, so each node receives only its own sockets' frames.
 */
export class ClusterServerTransport implements ServerTransport {
  private readonly conns = new Map<string, Connection>();
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly bus: ClusterBus,
    private readonly leader: string,
    private readonly term: number,
  ) {}

  get connectionCount(): number {
    return this.conns.size;
  }

  async listen(handler: ServerTransportHandler): Promise<void> {
    this.unsubscribe = this.bus.onUp((event) => this.route(handler, event));
    this.resync();
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
  }

  private route(handler: ServerTransportHandler, event: UpEvent): void {
    switch (event.kind) {
      case 'connect': {
        const known = this.conns.get(event.sid);
        if (known) handler.onDisconnect(known, 'announced again');
        const conn = this.connection(event.sid, event.node);
        this.conns.set(event.sid, conn);
        handler.onConnection(conn);
        return;
      }
      case 'message': {
        const conn = this.conns.get(event.sid);
        if (conn) handler.onMessage(conn, event.bytes ?? undefined);
        return;
      }
      case 'foreign': {
        const conn = this.conns.get(event.sid);
        if (conn) handler.onForeign(conn, event.what);
        return;
      }
      case 'disconnect': {
        const conn = this.conns.get(event.sid);
        if (!conn) return;
        this.conns.delete(event.sid);
        handler.onDisconnect(conn, event.reason);
        return;
      }
      default: {
        const never: never = event;
        throw new Error(`unknown cluster event ${JSON.stringify(never)}`);
      }
    }
  }

  private connection(sid: string, node: string): Connection {
    return {
      id: sid,
      send: (bytes) => {
        if (!this.closed) this.bus.publishDown(node, { kind: 'send', sid, bytes });
      },
      close: () => {
        if (!this.closed) this.bus.publishDown(node, { kind: 'close', sid });
      },
    };
  }
}
