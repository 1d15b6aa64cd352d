import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../event-sourcing/domain-error';
import type { EventStore } from '../event-sourcing/event-store.port';
import { upcast } from '../event-sourcing/upcasters';
import { EVENT_STORE } from '../event-store/event-store.module';
import { ACCESS_OPTIONS, type AccessOptions } from './access-options';
import type { Principal } from './principal';
import { parseToken, secretMatches } from './token-format';
import { tokenDecider, tokenStream, type TokenEvent, type TokenState } from './token.decider';

interface CacheEntry {
  readAt: number;
  state: Promise<TokenState>;
}

const unauthenticated = (reason: string) => new DomainError('unauthenticated', [{ field: 'Authorization', reason }]);

/**
 * Turns an `Authorization` header into a Principal. Tokens are read from their own stream in the
 * log, not from a projection, so a token issued a moment ago (by the CLI, in another process)
 * works at once. Each token's state is kept for `tokenCacheMs` (default 5 s) so hot paths do not
 * read the store on every request: a revocation recorded by another process takes effect within
 * that time; one recorded in this process takes effect at once (`forget`).
 */
@Injectable()
export class TokenAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly maxEntries = 10_000;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async authenticate(header: string | undefined): Promise<Principal> {
    if (header === undefined || header.trim() === '') {
      throw unauthenticated('no Authorization header; send "Authorization: Bearer <token>" with a token from `token create`');
    }
    const match = /^Bearer +(\S+)\s*$/i.exec(header);
    if (!match) throw unauthenticated('the Authorization header is not "Bearer <token>"');
    const parsed = parseToken(match[1]);
    if (!parsed) throw unauthenticated('the bearer token is not a compliance-ledger token (clt_<id>_<secret>)');
    const state = await this.lookUp(parsed.tokenId);
    if (!state.issued) throw unauthenticated(`token ${parsed.tokenId} is unknown`);
    if (!secretMatches(parsed.secret, state.tokenHash)) throw unauthenticated(`token ${parsed.tokenId}: the secret does not match`);
    if (state.revoked) throw unauthenticated(`token ${parsed.tokenId} was revoked: ${state.revoked.reason}`);
    return { tokenId: state.tokenId, unit: state.unit, ledger: state.ledger, role: state.role };
  }

  /** Drops a token's cached state: the next request reads it from the log again. */
  forget(tokenId: string): void {
    this.cache.delete(tokenId);
  }

  private lookUp(tokenId: string): Promise<TokenState> {
    const now = this.options.clock.now().getTime();
    const cached = this.cache.get(tokenId);
    if (cached && now - cached.readAt < this.options.tokenCacheMs) return cached.state;
    if (this.cache.size >= this.maxEntries) this.evictStale(now);
    const entry: CacheEntry = { readAt: now, state: this.readFromLog(tokenId) };
    this.cache.set(tokenId, entry);
    // A failed read (store unreachable) is not remembered: the next request tries again.
    entry.state.catch(() => this.cache.get(tokenId) === entry && this.cache.delete(tokenId));
    return entry.state;
  }

  private async readFromLog(tokenId: string): Promise<TokenState> {
    let state = tokenDecider.initialState();
    for await (const stored of this.store.readStream(tokenStream(tokenId))) {
      const event = upcast(stored);
      state = tokenDecider.evolve(state, { type: event.type, data: event.data } as TokenEvent);
    }
    return state;
  }

  private evictStale(now: number): void {
    for (const [tokenId, entry] of this.cache) if (now - entry.readAt >= this.options.tokenCacheMs) this.cache.delete(tokenId);
    // Still full of fresh entries (a flood of distinct ids): drop the oldest half.
    if (this.cache.size >= this.maxEntries) [...this.cache.keys()].slice(0, this.maxEntries / 2).forEach((key) => this.cache.delete(key));
  }
}
