/**
 * A token bucket: holds up to `burst` tokens, refills at `perSecond`, and each request takes one.
 * Pure: the caller passes the time in milliseconds.
 */
export class TokenBucket {
  /** Kept in thousandths of a token, so that whole-millisecond times and whole rates count exactly. */
  private milliTokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    now: number,
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError('a token bucket needs a positive rate and a burst of at least 1');
    this.milliTokens = burst * 1000;
    this.last = now;
  }

  /** Takes one token; when none is left, says how long until one is (in milliseconds). */
  take(now: number): { allowed: true } | { allowed: false; retryAfterMs: number } {
    this.refill(now);
    if (this.milliTokens >= 1000) {
      this.milliTokens -= 1000;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1000 - this.milliTokens) / this.perSecond) };
  }

  /** Full again: nothing is lost by forgetting the bucket. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.milliTokens >= this.burst * 1000;
  }

  private refill(now: number): void {
    // One millisecond at `perSecond` tokens a second adds `perSecond` thousandths of a token.
    const elapsed = Math.max(0, now - this.last);
    this.milliTokens = Math.min(this.burst * 1000, this.milliTokens + elapsed * this.perSecond);
    this.last = Math.max(this.last, now);
  }
}

export interface RateLimit {
  /** Requests per second a token may sustain; 0 turns the limit off. */
  perSecond: number;
  /** Requests a token may make at once after being idle. */
  burst: number;
}

/** One bucket per key (token id), in memory; full buckets are dropped when the map grows, so memory stays bounded by the active keys. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly maxIdleBuckets = 10_000,
  ) {}

  take(key: string, now: number): { allowed: true } | { allowed: false; retryAfterMs: number } {
    if (this.limit.perSecond === 0) return { allowed: true };
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxIdleBuckets) this.dropFull(now);
      bucket = new TokenBucket(this.limit.perSecond, this.limit.burst, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  get size(): number {
    return this.buckets.size;
  }

  private dropFull(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }
}
