import { v8Gc } from '../ops/heapCompaction.ts';

/**
 * Inbound socket frames are short-lived, but under a round's burst many survive two scavenges (they wait in
 * socket.io's and the round's queues), get promoted, and then only a full collection frees their buffers. V8
 * starts one only after about 64 MB of external growth, so a leader relaying 10,000 updates carried 60-70 MB
 * of dead frames at its peak. The pacer watches ArrayBuffer memory as frames arrive and, once it has grown
 * `growthBytes` above its low point since the last collection, starts an asynchronous major collection.
 */
export interface DeadFramePacerOptions {
  /** Read ArrayBuffer memory once per this many inbound bytes (the read costs about a microsecond). */
  checkEveryBytes?: number;
  /** Growth above the low point that starts a collection. */
  growthBytes?: number;
  /** Inbound bytes between two collections at least. */
  cooldownBytes?: number;
  arrayBuffers?: () => number;
  /** Starts a major collection; null when the runtime gives none (then the pacer only counts). */
  collect?: (() => void) | null;
}

const MB = 1 << 20;

export class DeadFramePacer {
  private readonly checkEvery: number;
  private readonly growth: number;
  private readonly cooldown: number;
  private readonly arrayBuffers: () => number;
  private readonly collect: (() => void) | null;
  private sinceCheck = 0;
  private sinceCollection = Number.POSITIVE_INFINITY;
  private low = Number.POSITIVE_INFINITY;
  collections = 0;

  constructor(options: DeadFramePacerOptions = {}) {
    this.checkEvery = options.checkEveryBytes ?? 4 * MB;
    this.growth = options.growthBytes ?? 24 * MB;
    this.cooldown = options.cooldownBytes ?? 16 * MB;
    this.arrayBuffers = options.arrayBuffers ?? (() => process.memoryUsage().arrayBuffers);
    this.collect = options.collect === undefined ? majorCollection() : options.collect;
  }

  note(bytes: number): void {
    this.sinceCheck += bytes;
    this.sinceCollection += bytes;
    if (this.sinceCheck < this.checkEvery) return;
    this.sinceCheck = 0;
    const now = this.arrayBuffers();
    if (now < this.low) this.low = now;
    if (now - this.low < this.growth || this.sinceCollection < this.cooldown || !this.collect) return;
    this.collect();
    this.collections++;
    this.sinceCollection = 0;
    this.low = Number.POSITIVE_INFINITY;
  }
}

/** An asynchronous major collection through V8's own gc(); null where the runtime refuses. */
export function majorCollection(): (() => void) | null {
  const gc = v8Gc();
  return gc ? () => void gc({ type: 'major', execution: 'async' }) : null;
}

const processPacer = new DeadFramePacer();

/** Every inbound frame this process receives from a socket or the cluster bus. */
export function noteInboundFrame(bytes: number): void {
  processPacer.note(bytes);
}

export function deadFrameCollections(): number {
  return processPacer.collections;
}
