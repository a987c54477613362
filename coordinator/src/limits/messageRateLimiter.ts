import { KeyedRateLimiter, type BucketRate } from './tokenBucket.ts';

export type MessageVerdict = 'allow' | 'drop' | 'disconnect';

/**
 * Per-connection message budget. Messages over the budget are dropped; a connection that keeps
 * pushing after `disconnectAfterDrops` consecutive drops is flooding and should be closed.
 */
export class MessageRateLimiter {
  private readonly buckets: KeyedRateLimiter;
  private readonly drops = new Map<string, number>();

  constructor(
    rate: BucketRate,
    private readonly disconnectAfterDrops = Math.max(10, rate.burst),
  ) {
    this.buckets = new KeyedRateLimiter(rate, Number.MAX_SAFE_INTEGER);
  }

  check(connectionId: string, now: number): MessageVerdict {
    if (this.buckets.take(connectionId, now)) {
      this.drops.delete(connectionId);
      return 'allow';
    }
    const drops = (this.drops.get(connectionId) ?? 0) + 1;
    this.drops.set(connectionId, drops);
    return drops > this.disconnectAfterDrops ? 'disconnect' : 'drop';
  }

  /** Call on disconnect. */
  forget(connectionId: string): void {
    this.buckets.forget(connectionId);
    this.drops.delete(connectionId);
  }
}
