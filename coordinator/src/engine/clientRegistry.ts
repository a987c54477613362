import type { TaskId } from '@huddle/shared/model';
import type { Connection, ModelVersion } from '@huddle/shared/protocol';

export interface ConnectedClient {
  conn: Connection;
  clientId: string;
  /** Small arrays and objects, not Sets and Maps: a leader holds one of these per client (10,000+), and a Map costs ~400 bytes. */
  tasks: readonly TaskId[];
  /** Tasks the enrollment allows; null = any hosted task. */
  allowedTasks: TaskId[] | null;
  /** Round the client is working on, if any: a client takes part in one round at a time. */
  busyWith: string | null;
  /** Global models this connection said it holds (hello, evaluateResult): they are not sent to it again. */
  models: Partial<Record<TaskId, ModelVersion>>;
}

/** Live connections and the clients that have said hello on them. */
export class ClientRegistry {
  private byConn = new Map<string, ConnectedClient>();
  private byClient = new Map<string, ConnectedClient>();

  register(conn: Connection, clientId: string, tasks: Iterable<TaskId>, allowedTasks: TaskId[] | null = null): ConnectedClient {
    const previous = this.byClient.get(clientId);
    if (previous && previous.conn.id !== conn.id) {
      this.byConn.delete(previous.conn.id);
      previous.conn.close('replaced by a newer connection of the same client');
    }
    const client: ConnectedClient = { conn, clientId, tasks: [...new Set(tasks)], allowedTasks, busyWith: previous?.busyWith ?? null, models: {} };
    this.byConn.set(conn.id, client);
    this.byClient.set(clientId, client);
    return client;
  }

  byConnection(connId: string): ConnectedClient | undefined {
    return this.byConn.get(connId);
  }

  byId(clientId: string): ConnectedClient | undefined {
    return this.byClient.get(clientId);
  }

  remove(connId: string): ConnectedClient | undefined {
    const client = this.byConn.get(connId);
    if (!client) return undefined;
    this.byConn.delete(connId);
    if (this.byClient.get(client.clientId) === client) this.byClient.delete(client.clientId);
    return client;
  }

  idleFor(task: TaskId): ConnectedClient[] {
    return [...this.byClient.values()].filter((c) => c.busyWith === null && c.tasks.includes(task));
  }

  optedIn(task: TaskId): ConnectedClient[] {
    return [...this.byClient.values()].filter((c) => c.tasks.includes(task));
  }

  get size(): number {
    return this.byClient.size;
  }
}
