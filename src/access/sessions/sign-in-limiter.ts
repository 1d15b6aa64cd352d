/**
 * Failed sign-ins, counted per login and per client address in a sliding window. After
 * `maxPerLogin` failures a login is locked for `lockMs` (whether or not such a login exists, so the
 * lock reveals nothing); after `maxPerAddress` failures from one address, that address is. Pure:
 * the caller passes the time.
 */
export interface SignInLimits {
  windowMs: number;
  lockMs: number;
  maxPerLogin: number;
  maxPerAddress: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxPerLogin: 5, maxPerAddress: 20 };

interface Counter {
  failures: number[];
  lockedUntil: number;
}

export class SignInLimiter {
  private readonly counters = new Map<string, Counter>();
  private readonly maxKeys = 100_000;

  constructor(readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {}

  /** Milliseconds until the login or address may try again; 0 when it may now. */
  retryAfter(login: string, address: string, now: number): number {
    return Math.max(0, this.lockOf(`login:${login}`, now), this.lockOf(`address:${address}`, now));
  }

  recordFailure(login: string, address: string, now: number): void {
    this.fail(`login:${login}`, this.limits.maxPerLogin, now);
    this.fail(`address:${address}`, this.limits.maxPerAddress, now);
  }

  /** A correct password clears the login's failures (not the address's: one good account does not vouch for the address). */
  recordSuccess(login: string): void {
    this.counters.delete(`login:${login}`);
  }

  private lockOf(key: string, now: number): number {
    const counter = this.counters.get(key);
    return counter && counter.lockedUntil > now ? counter.lockedUntil - now : 0;
  }

  private fail(key: string, max: number, now: number): void {
    if (this.counters.size >= this.maxKeys) this.prune(now);
    const counter = this.counters.get(key) ?? { failures: [], lockedUntil: 0 };
    counter.failures = counter.failures.filter((at) => now - at < this.limits.windowMs);
    counter.failures.push(now);
    if (counter.failures.length >= max) {
      counter.lockedUntil = now + this.limits.lockMs;
      counter.failures = [];
    }
    this.counters.set(key, counter);
  }

  private prune(now: number): void {
    for (const [key, counter] of this.counters) {
      if (counter.lockedUntil <= now && counter.failures.every((at) => now - at >= this.limits.windowMs)) this.counters.delete(key);
    }
  }
}
