import { decode, encode } from '@msgpack/msgpack';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { modelVersionSchema, secureFitSchema, taskIdSchema } from '@huddle/shared/protocol';
import { noteInboundFrame } from '../transport/deadFrames.ts';
import { openFrame, sealFrame } from './busAuth.ts';
import { MAX_EACH_FRAMES } from './downBatcher.ts';

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes');
const clientIds = z.array(z.string().max(128)).max(200_000);

/** A cohort's result (engine type CohortResult, with its vector as bytes). */
const cohortResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('plain'), reported: clientIds, sum: bytes, weight: z.number().finite(), numExamples: z.number().finite(), trainLoss: z.number(), clipBits: z.number().finite() }),
  z.object({ status: z.literal('secure'), reported: clientIds, sum: bytes }),
  z.object({ status: z.literal('evaluation'), reported: clientIds, sum: bytes }),
  z.object({ status: z.literal('failed'), reason: z.string().max(1000), reported: clientIds, released: z.boolean() }),
]);

/** The leader's order to the node holding a cohort's sockets (engine type CohortOrder). */
export const cohortOrderSchema = z.object({
  roundId: z.string().max(128),
  cohort: z.string().max(128),
  task: taskIdSchema,
  members: z
    .array(z.object({ clientId: z.string().max(128), conn: z.string().max(64), nonce: bytes.nullable(), publicKey: bytes.nullable(), identity: z.object({ enrollmentPublicKey: bytes, auditorSignature: bytes.optional() }).nullable() }))
    .max(200_000),
  target: z.number().int().min(1),
  minSurvivors: z.number().int().min(1),
  remainingMs: z.number().min(0),
  clip: z.number().positive(),
  plain: z.object({ manifest: z.array(z.object({ name: z.string().max(200), shape: z.array(z.number().int().min(0)).max(8) })).max(1000), weighting: z.enum(['examples', 'uniform']) }).nullable(),
  secure: z
    .object({ encoding: secureFitSchema, neighbours: z.number().int().nullable(), threshold: z.number().int().nullable(), phaseTimeoutMs: z.number().int().positive(), maxStrikes: z.number().int().min(1) })
    .nullable(),
  /** Set: evaluate the round's candidate over the cohort instead of fitting. */
  evaluate: z.object({ expected: z.enum(['binary', 'regression']), model: modelVersionSchema }).nullable().optional(),
});

/** What a node tells the leader about the sockets it terminates (bytes are forwarded untouched). */
export const upEventSchema = z.discriminatedUnion('kind', [
  /** One cohort's sum; resent until the leader acknowledges it, counted once (round, node, cohort). */
  z.object({ kind: z.literal('cohortSum'), node: z.string(), roundId: z.string().max(128), cohort: z.string().max(128), result: cohortResultSchema }),
  z.object({ kind: z.literal('connect'), node: z.string(), sid: z.string() }),
  z.object({ kind: z.literal('message'), node: z.string(), sid: z.string(), bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes').nullable() }),
  z.object({ kind: z.literal('foreign'), node: z.string(), sid: z.string(), what: z.string().max(128) }),
  z.object({ kind: z.literal('disconnect'), node: z.string(), sid: z.string(), reason: z.string().max(256) }),
  /** Every socket a node holds, sent periodically so the leader heals announcements lost while Redis was away. */
  // stamp: changes whenever the node's sockets change (and at every node start), so an unchanged roster can be skipped.
  z.object({ kind: z.literal('roster'), node: z.string(), sids: z.array(z.string().max(64)).max(200_000), stamp: z.string().max(64).optional() }),
]);
export type UpEvent = z.infer<typeof upEventSchema>;

/** What the leader announces to every node. */
export const controlEventSchema = z.discriminatedUnion('kind', [
  /** A new leader took over: every node re-announces its sockets so the leader can challenge them. */
  z.object({ kind: z.literal('resync'), leader: z.string(), term: z.number().int().positive() }),
]);
export type ControlEvent = z.infer<typeof controlEventSchema>;

/** What the leader sends to the one node that terminates a socket: a protocol frame for it, or an order to close it. */
export const downEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('send'), sid: z.string(), bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes') }),
  /** One frame for many of the node's sockets (a fit or evaluate request is the same bytes for all): sent once over Redis. */
  z.object({ kind: z.literal('sendMany'), sids: z.array(z.string().max(64)).min(1).max(200_000), bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes') }),
  /** Frames that differ per socket (each sealed for its connection), for several of the node's sockets, in order. */
  z.object({ kind: z.literal('sendEach'), frames: z.array(z.object({ sid: z.string().max(64), bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes') })).min(1).max(MAX_EACH_FRAMES) }),
  z.object({ kind: z.literal('close'), sid: z.string() }),
  /** Run the fit (or evaluate) workflow over this cohort of the node's sockets and send back its sum. */
  z.object({ kind: z.literal('cohortFit'), order: cohortOrderSchema }),
  z.object({ kind: z.literal('cohortAck'), roundId: z.string().max(128), cohort: z.string().max(128) }),
  /** Enrollment keys of clients that joined on this node: imported now, so that a round's messages import none. */
  z.object({ kind: z.literal('memberKeys'), keys: z.array(z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.byteLength === 32, 'a 32-byte key')).min(1).max(10_000) }),
]);
export type DownEvent = z.infer<typeof downEventSchema>;

export interface ClusterChannels {
  up: string;
  control: string;
  /** Each node's own channel: a frame for one socket travels to its node only, not to every node. */
  down(node: string): string;
  /** Redis key where the leader says where it serves HTTP (it expires with the lease). */
  leader: string;
}

export const channelsFor = (cluster: string): ClusterChannels => ({
  up: `huddle:${cluster}:up`,
  control: `huddle:${cluster}:control`,
  down: (node) => `huddle:${cluster}:down:${node}`,
  leader: `huddle:${cluster}:leader-http`,
});

const leaderEntrySchema = z.object({ node: z.string(), term: z.number().int().positive(), url: z.string().url() });
export type LeaderEntry = z.infer<typeof leaderEntrySchema>;

/** Node-to-leader and leader-to-node events over Redis pub/sub, msgpack-framed and validated on arrival. */
export class ClusterBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = { up: new Set<(e: UpEvent) => void>(), control: new Set<(e: ControlEvent) => void>() };
  private readonly downHandlers = new Map<string, (e: DownEvent) => void>();

  constructor(
    redisUrl: string,
    readonly channels: ClusterChannels,
    private readonly onInvalid: (channel: string, error: string) => void = () => {},
    onRedisError: (error: string) => void = () => {},
    /** The cluster's bus key (busAuth.ts): every frame is sealed with it, and one without a valid tag is refused. */
    private readonly key: Uint8Array | null = null,
  ) {
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
    this.sub = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
    for (const r of [this.pub, this.sub]) r.on('error', (err: Error) => onRedisError(err.message));
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      noteInboundFrame(message.byteLength);
      this.dispatch(channel.toString(), message);
    });
  }

  /**
   * Called whenever Redis came back after going away, once both the publishing and the subscribing
   * connection are ready again (announcements sent before then would be lost); register after `start`.
   */
  onReconnect(handler: () => void): void {
    const down = new Set<string>();
    for (const [name, r] of [['pub', this.pub], ['sub', this.sub]] as const) {
      r.on('close', () => down.add(name));
      r.on('ready', () => {
        if (!down.delete(name) || down.size > 0) return;
        handler();
      });
    }
  }

  async start(): Promise<void> {
    await this.sub.subscribe(this.channels.up, this.channels.control);
  }

  onUp(handler: (e: UpEvent) => void): () => void {
    this.handlers.up.add(handler);
    return () => this.handlers.up.delete(handler);
  }

  onControl(handler: (e: ControlEvent) => void): () => void {
    this.handlers.control.add(handler);
    return () => this.handlers.control.delete(handler);
  }

  /** Receives the frames the leader sends to this node's sockets (ioredis subscribes again after a reconnect). */
  async onDown(node: string, handler: (e: DownEvent) => void): Promise<() => void> {
    const channel = this.channels.down(node);
    this.downHandlers.set(channel, handler);
    await this.sub.subscribe(channel);
    return () => {
      this.downHandlers.delete(channel);
      void this.sub.unsubscribe(channel).catch(() => {});
    };
  }

  publishDown(node: string, event: DownEvent): void {
    void this.pub.publish(this.channels.down(node), this.frame(this.channels.down(node), encode(event))).catch(() => {});
  }

  publishUp(event: UpEvent): void {
    void this.pub.publish(this.channels.up, this.frame(this.channels.up, encode(event))).catch(() => {});
  }

  publishControl(event: ControlEvent): void {
    void this.pub.publish(this.channels.control, this.frame(this.channels.control, encode(event))).catch(() => {});
  }

  /** The leader says where its HTTP API is; refreshed on every lease renewal, gone when it stops. */
  announceLeader(entry: LeaderEntry, ttlMs: number): void {
    // Sealed like a frame: followers relay requests, credentials included, to this address.
    void this.pub.set(this.channels.leader, this.frame(this.channels.leader, Buffer.from(JSON.stringify(entry))), 'PX', Math.max(1, Math.round(ttlMs))).catch(() => {});
  }

  async currentLeader(): Promise<LeaderEntry | null> {
    const raw = await this.pub.getBuffer(this.channels.leader);
    if (raw === null) return null;
    const body = this.key ? openFrame(this.key, this.channels.leader, raw) : raw;
    if (body === null) {
      this.onInvalid(this.channels.leader, 'leader address without a valid tag under the cluster bus key: ignored');
      return null;
    }
    try {
      const parsed = leaderEntrySchema.safeParse(JSON.parse(Buffer.from(body).toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** The publishing connection, for socket.io's Redis adapter to share. */
  get publisher(): Redis {
    return this.pub;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }

  private frame(channel: string, body: Uint8Array): Buffer {
    return this.key ? sealFrame(this.key, channel, body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }

  private dispatch(channel: string, message: Buffer): void {
    // Only the leader listens to client traffic: a follower does not decode every node's frames to drop them.
    if (channel === this.channels.up && this.handlers.up.size === 0) return;
    const body = this.key ? openFrame(this.key, channel, message) : message;
    if (body === null) return this.onInvalid(channel, 'no valid tag under the cluster bus key (forged, altered or unsigned): refused');
    let raw: unknown;
    try {
      raw = decode(body);
    } catch {
      this.onInvalid(channel, 'not msgpack');
      return;
    }
    if (channel === this.channels.up) {
      const parsed = upEventSchema.safeParse(raw);
      if (!parsed.success) return this.onInvalid(channel, parsed.error.message.slice(0, 200));
      for (const h of this.handlers.up) h(parsed.data);
    } else if (channel === this.channels.control) {
      const parsed = controlEventSchema.safeParse(raw);
      if (!parsed.success) return this.onInvalid(channel, parsed.error.message.slice(0, 200));
      for (const h of this.handlers.control) h(parsed.data);
    } else {
      const handler = this.downHandlers.get(channel);
      if (!handler) return;
      const parsed = downEventSchema.safeParse(raw);
      if (!parsed.success) return this.onInvalid(channel, parsed.error.message.slice(0, 200));
      handler(parsed.data);
    }
  }
}
