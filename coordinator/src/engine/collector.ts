import type { Clock } from './clock.ts';

export type AcceptOutcome = 'accepted' | 'not-selected' | 'duplicate' | 'closed';

/**
 * Gathers one reply per selected client until `target` replies arrived, every selected client has
 * replied or dropped, or the deadline passed, whichever comes first.
 */
export class Collector<T> {
  readonly replies = new Map<string, T>();
  readonly dropped = new Set<string>();
  readonly done: Promise<void>;
  private closed = false;
  private finish!: () => void;
  private cancelTimer: () => void;

  constructor(
    private readonly selected: ReadonlySet<string>,
    private readonly target: number,
    deadline: number,
    clock: Clock,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.cancelTimer = clock.setTimer(Math.max(0, deadline - clock.now()), () => this.close());
    this.check();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  accept(clientId: string, value: T): AcceptOutcome {
    if (this.closed) return 'closed';
    if (!this.selected.has(clientId) || this.dropped.has(clientId)) return 'not-selected';
    if (this.replies.has(clientId)) return 'duplicate';
    this.replies.set(clientId, value);
    this.check();
    return 'accepted';
  }

  drop(clientId: string): void {
    if (this.closed || !this.selected.has(clientId) || this.replies.has(clientId)) return;
    this.dropped.add(clientId);
    this.check();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer();
    this.finish();
  }

  private check(): void {
    if (this.replies.size >= this.target || this.replies.size + this.dropped.size >= this.selected.size) this.close();
  }
}
