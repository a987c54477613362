import type { Clock } from '@huddle/coordinator';

interface Timer {
  due: number;
  /** At equal due times, replies (0) fire before the coordinator's own timers (1). */
  rank: number;
  tiebreak: number;
  seq: number;
  fn: () => void;
}

export interface VirtualClockOptions {
  start: number;
  /** True when nothing real is in progress, so jumping to the next timer changes no outcome. */
  canAdvance: () => boolean;
  /** Real milliseconds without progress after which the clock advances anyway (a client that crashed never answers). */
  stallMs?: number;
  onStall?: (outstanding: string) => void;
  describeOutstanding?: () => string;
}

/**
 * Discrete-event time for the coordinator's deadlines and the simulated clients' send delays. Time
 * jumps to the next timer as soon as all real work (training, messages in flight) has settled, so a
 * 60-second deadline costs nothing and which replies beat it depends only on their virtual delays.
 */
export class VirtualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private seq = 0;
  private scheduled = false;
  private closed = false;
  private lastProgress = performance.now();
  private readonly watchdog: ReturnType<typeof setInterval>;

  constructor(private readonly o: VirtualClockOptions) {
    this.time = o.start;
    const stallMs = o.stallMs ?? 120_000;
    this.watchdog = setInterval(() => {
      if (this.timers.length > 0 && performance.now() - this.lastProgress > stallMs) {
        o.onStall?.(o.describeOutstanding?.() ?? '');
        this.fireNext();
      }
    }, Math.min(1000, stallMs));
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): () => void {
    return this.schedule(ms, 1, 0, fn);
  }

  /** A client's send `ms` from now; `tiebreak` orders sends due at the same instant. */
  schedule(ms: number, rank: number, tiebreak: number, fn: () => void): () => void {
    const timer: Timer = { due: this.time + Math.max(0, ms), rank, tiebreak, seq: this.seq++, fn };
    this.timers.splice(this.insertionIndex(timer), 0, timer);
    this.poke();
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** A message was sent or received somewhere in the federation. */
  activity(): void {
    this.poke();
  }

  /** Re-checks, after pending I/O and microtasks, whether time can move on. */
  poke(): void {
    this.lastProgress = performance.now();
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.closed || this.timers.length === 0 || !this.o.canAdvance()) return;
      this.fireNext();
    });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    this.timers = [];
  }

  private fireNext(): void {
    const timer = this.timers.shift();
    if (!timer) return;
    this.time = Math.max(this.time, timer.due);
    timer.fn();
    this.poke();
  }

  private insertionIndex(t: Timer): number {
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.timers[mid]!, t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function before(a: Timer, b: Timer): boolean {
  if (a.due !== b.due) return a.due < b.due;
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.tiebreak !== b.tiebreak) return a.tiebreak < b.tiebreak;
  return a.seq < b.seq;
}
