import { RateLimiter, TokenBucket } from '../../../src/access/token-bucket';

describe('token bucket', () => {
  it('allows a burst, then refuses with the time until the next token, and refills at the rate', () => {
    const bucket = new TokenBucket(100, 200, 0);
    for (let i = 0; i < 200; i++) expect(bucket.take(0)).toEqual({ allowed: true });
    expect(bucket.take(0)).toEqual({ allowed: false, retryAfterMs: 10 });
    expect(bucket.take(5)).toEqual({ allowed: false, retryAfterMs: 5 });
    expect(bucket.take(10)).toEqual({ allowed: true });
    expect(bucket.take(10)).toEqual({ allowed: false, retryAfterMs: 10 });
    // one second idle: 100 more
    for (let i = 0; i < 100; i++) expect(bucket.take(1010).allowed).toBe(true);
    expect(bucket.take(1010).allowed).toBe(false);
  });

  it('never holds more than the burst, and a clock going backwards does not mint tokens', () => {
    const bucket = new TokenBucket(1, 2, 1000);
    expect(bucket.isFull(1_000_000)).toBe(true);
    expect(bucket.take(1_000_000).allowed).toBe(true);
    expect(bucket.take(1_000_000).allowed).toBe(true);
    expect(bucket.take(1_000_000)).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(bucket.take(0).allowed).toBe(false);
    expect(bucket.take(1_000_500)).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(bucket.take(1_001_000).allowed).toBe(true);
  });

  it('sustains exactly the rate over time', () => {
    const bucket = new TokenBucket(10, 1, 0);
    let allowed = 0;
    for (let t = 0; t < 10_000; t += 10) if (bucket.take(t).allowed) allowed++;
    expect(allowed).toBe(100); // 10/s over 10 s
  });

  it('refuses a rate or burst that cannot work', () => {
    expect(() => new TokenBucket(0, 10, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 0, 0)).toThrow(RangeError);
  });
});

describe('rate limiter', () => {
  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 2 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('b', 0).allowed).toBe(true);
  });

  it('is off at 0 requests per second', () => {
    const limiter = new RateLimiter({ perSecond: 0, burst: 1 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.size).toBe(0);
  });

  it('drops full buckets when it grows, keeping the ones still counting', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, 3);
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 500);
    expect(limiter.size).toBe(3);
    limiter.take('d', 1200); // a and b are full again by now; c is not
    expect(limiter.size).toBe(2);
    expect(limiter.take('c', 1200)).toEqual({ allowed: false, retryAfterMs: 300 });
  });
});
