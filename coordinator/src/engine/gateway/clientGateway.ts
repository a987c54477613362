import {
  decodeClientMessage,
  decodeEnvelope,
  encodeMessage,
  PROTOCOL_VERSION,
  type ClientMessage,
  type ModelVersion,
  type Connection,
  type ErrorCode,
  type MessageOf,
  type ServerMessageInput,
  type ServerTransport,
} from '@huddle/shared/protocol';
import type { TaskId } from '@huddle/shared/model';
import { ByteSlab, type Logger } from '@huddle/shared/util';
import type { ClientAuthenticator, ConnectionAuthState } from '../authenticator.ts';
import type { ClientRegistry, ConnectedClient } from '../clientRegistry.ts';
import type { GatewayEvent, GatewayTap } from './gatewayEvents.ts';

export interface WelcomeTask {
  task: TaskId;
  featureCount: number;
  parameterCount: number;
  round: number;
  /** The task's committed global model. */
  model: ModelVersion;
}

export interface ClientGatewayOptions {
  registry: ClientRegistry;
  auth: ClientAuthenticator;
  logger: Logger;
  maxMessageBytes?: number;
  /** Whether this coordinator hosts a task (others are filtered from a client's opt-ins). */
  hosts(task: TaskId): boolean;
  /** The hosted tasks as a welcome describes them. */
  welcomeTasks(): WelcomeTask[];
  /** Rounds a crash abandoned, which clients may still hold state for. */
  abandonedRounds(): string[];
  onEvent(event: GatewayEvent): void;
  tap?: GatewayTap;
}

interface Link {
  nonce: Uint8Array;
  state: ConnectionAuthState | null;
  lastSeq: number;
}

/**
 * The coordinator's edge: challenge, envelopes, sequence numbers, signatures and schema decoding.
 * Everything past it is a typed GatewayEvent; nothing past it sees bytes.
 */
/** How long the challenge of a connection that has not said hello is kept for that connection, should it be challenged again. */
const CHALLENGE_KEPT_MS = 30_000;

export class ClientGateway {
  private readonly links = new Map<string, Link>();
  /**
   * Challenges of connections that left before their hello, in two generations (each lives CHALLENGE_KEPT_MS to
   * twice that). The cluster transport challenges a slow socket again under the same connection id; its hello, signed
   * over the first challenge, may arrive after that. The same id gets the same nonce, so the hello still verifies.
   * A nonce is never given to another connection id, so nothing becomes replayable across connections.
   */
  private pendingChallenges = new Map<string, Uint8Array>();
  private olderChallenges = new Map<string, Uint8Array>();
  private challengesRotatedAt = Date.now();
  private readonly nonceSlab = new ByteSlab();
  private transport: ServerTransport | null = null;

  constructor(private readonly o: ClientGatewayOptions) {}

  async attach(transport: ServerTransport): Promise<void> {
    this.transport = transport;
    await transport.listen({
      onConnection: (conn) => this.onConnection(conn),
      onMessage: (conn, bytes) => this.onMessage(conn, bytes),
      onForeign: (conn, what) => this.reject(conn, 'unknown-event', `unknown event "${what.slice(0, 64)}": only "huddle" carries protocol messages`),
      onDisconnect: (conn, reason) => this.onDisconnect(conn, reason),
    });
  }

  async close(): Promise<void> {
    await this.transport?.close();
  }

  /** Sends to one joined client (through the tap, if any). */
  sendTo(client: ConnectedClient, msg: ServerMessageInput): void {
    if (this.o.tap && !this.o.tap.outbound(client.clientId, msg)) return;
    client.conn.send(encodeMessage(msg));
  }

  /** One encoding for a message many clients receive (weights, rosters): it is the same bytes for all. */
  sendToClients(clientIds: Iterable<string>, msg: ServerMessageInput): void {
    let bytes: Uint8Array | null = null;
    for (const id of clientIds) {
      const client = this.o.registry.byId(id);
      if (!client || (this.o.tap && !this.o.tap.outbound(id, msg))) continue;
      bytes ??= encodeMessage(msg);
      client.conn.send(bytes);
    }
  }

  reject(conn: Connection, code: ErrorCode, message: string, roundId?: string): void {
    const client = this.o.registry.byConnection(conn.id);
    this.o.logger.warn({ conn: conn.id, client: client?.clientId, code, roundId }, message);
    const msg: ServerMessageInput = { type: 'error', code, message: message.slice(0, 500), ...(roundId ? { roundId } : {}) };
    if (client && client.conn.id === conn.id) this.sendTo(client, msg);
    else conn.send(encodeMessage(msg));
  }

  private onConnection(conn: Connection): void {
    const nonce = this.pendingChallenges.get(conn.id) ?? this.olderChallenges.get(conn.id) ?? this.nonceSlab.random(32);
    this.pendingChallenges.delete(conn.id);
    this.olderChallenges.delete(conn.id);
    this.links.set(conn.id, { nonce, state: null, lastSeq: -1 });
    conn.send(encodeMessage({ type: 'challenge', protocol: PROTOCOL_VERSION, nonce }));
  }

  private onMessage(conn: Connection, bytes: unknown): void {
    const link = this.links.get(conn.id);
    if (!link) return;
    const envelope = decodeEnvelope(bytes, this.o.maxMessageBytes);
    if (!envelope.ok) return this.reject(conn, envelope.code, envelope.error);
    if (envelope.message.seq <= link.lastSeq) {
      return this.reject(conn, 'unauthorized', `message sequence ${envelope.message.seq} was already used on this connection (replay refused)`);
    }
    if (link.state) {
      const verdict = this.o.auth.isActive(link.state.clientId) ? this.o.auth.verifyMessage(link.state, envelope.message) : { ok: false as const, reason: 'enrollment revoked' };
      if (!verdict.ok) return this.reject(conn, 'unauthorized', `message refused: ${verdict.reason}`);
    }
    link.lastSeq = envelope.message.seq;
    if (link.state) link.state.lastSeq = envelope.message.seq;
    const decoded = decodeClientMessage(envelope.message.body, this.o.maxMessageBytes);
    if (!decoded.ok) return this.reject(conn, decoded.code, decoded.error);
    const msg = decoded.message;
    if (msg.type === 'hello') return this.onHello(conn, link, msg);
    const client = this.o.registry.byConnection(conn.id);
    if (!client || !link.state) return this.reject(conn, 'not-ready', `"${msg.type}" before "hello"`);
    if (this.o.tap) this.o.tap.inbound(client.clientId, msg, () => this.dispatch(client, msg));
    else this.dispatch(client, msg);
  }

  private dispatch(client: ConnectedClient, msg: Exclude<ClientMessage, { type: 'hello' }>): void {
    switch (msg.type) {
      case 'setTasks':
        client.tasks = [...new Set(msg.tasks.filter((task) => this.o.hosts(task) && (client.allowedTasks === null || client.allowedTasks.includes(task))))];
        return;
      case 'fitResult':
      case 'evaluateResult':
      case 'secagg':
      case 'decline':
      case 'statisticResult':
        return this.o.onEvent({ type: 'roundMessage', client, message: msg });
      default: {
        const never: never = msg;
        throw new Error(`unhandled message ${(never as { type: string }).type}`);
      }
    }
  }

  private onHello(conn: Connection, link: Link, msg: MessageOf<ClientMessage, 'hello'>): void {
    if (msg.protocol !== PROTOCOL_VERSION) {
      return this.reject(conn, 'protocol-version', `protocol ${msg.protocol} is not supported; this coordinator speaks ${PROTOCOL_VERSION}`);
    }
    if (link.state) return this.reject(conn, 'unexpected', 'hello was already received on this connection');
    const verdict = this.o.auth.verifyHello(msg.clientId, link.nonce, msg.signature, msg.tasks);
    if (!verdict.ok) {
      this.reject(conn, 'unauthorized', `join refused: ${verdict.reason}`);
      conn.close('unauthorized');
      return;
    }
    link.state = { clientId: msg.clientId, publicKey: verdict.publicKey, nonce: link.nonce, lastSeq: link.lastSeq };
    const tasks = msg.tasks.filter((task) => this.o.hosts(task) && (verdict.allowedTasks === null || verdict.allowedTasks.includes(task)));
    const client = this.o.registry.register(conn, msg.clientId, tasks, verdict.allowedTasks);
    for (const held of msg.models ?? []) client.models[held.task] = { round: held.round, checksum: held.checksum };
    this.o.logger.info({ client: msg.clientId, tasks, sdk: msg.sdk }, 'client joined');
    this.sendTo(client, { type: 'welcome', protocol: PROTOCOL_VERSION, clientId: msg.clientId, tasks: this.o.welcomeTasks(), abandonedRounds: this.o.abandonedRounds() });
    this.o.onEvent({ type: 'joined', client, sdk: msg.sdk, enrollmentKey: verdict.publicKey ?? null });
  }

  private keepChallenge(connId: string, nonce: Uint8Array): void {
    const now = Date.now();
    if (now - this.challengesRotatedAt >= CHALLENGE_KEPT_MS) {
      this.olderChallenges = this.pendingChallenges;
      this.pendingChallenges = new Map();
      this.challengesRotatedAt = now;
    }
    this.pendingChallenges.set(connId, nonce);
  }

  private onDisconnect(conn: Connection, reason: string): void {
    const link = this.links.get(conn.id);
    this.links.delete(conn.id);
    if (link && !link.state) this.keepChallenge(conn.id, link.nonce);
    const client = this.o.registry.remove(conn.id);
    if (!client) return;
    this.o.logger.info({ client: client.clientId, reason }, 'client left');
    this.o.tap?.left(client.clientId);
    this.o.onEvent({ type: 'left', client, reason });
  }
}
