export interface BucketRate {
  /** Most requests allowed at once. */
  burst: number;
  /** Sustained requests per second. */
  perSecond: number;
}

/** Classic token bucket; time is passed in (epoch ms) so it stays pure. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: BucketRate,
    now: number,
  ) {
    if (!(rate.burst >= 1) || !(rate.perSecond > 0)) throw new RangeError('a token bucket needs burst >= 1 and perSecond > 0');
    this.tokens = rate.burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
      this.last = now;
    }
  }

  /** Spends `cost` tokens if there are enough. */
  take(now: number, cost = 1): boolean {
    this.refill(now);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `cost` tokens will be available. */
  waitMs(now: number, cost = 1): number {
    this.refill(now);
    return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) / this.rate.perSecond) * 1000);
  }

  /** True when the bucket has refilled completely: forgetting it changes nothing. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.rate.burst;
  }
}

/** One bucket per key (an IP, a connection), with memory bounded by `maxKeys`. */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: BucketRate,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, now: number, cost = 1): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      bucket = new TokenBucket(this.rate, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now, cost);
  }

  waitMs(key: string, now: number, cost = 1): number {
    return this.buckets.get(key)?.waitMs(now, cost) ?? 0;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops refilled buckets; if every bucket is busy, drops the oldest half (they restart full). */
  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
    if (this.buckets.size < this.maxKeys) return;
    let drop = Math.ceil(this.buckets.size / 2);
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
