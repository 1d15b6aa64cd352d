import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { t } from '../i18n/translate';
import type { EventStore } from '../event-sourcing/event-store.port';
import { foldStream, type FoldedStream } from '../event-sourcing/fold-stream';
import { EVENT_STORE } from '../event-sourcing/tokens';
import { ACCESS_OPTIONS, type AccessOptions } from './access-options';
import { tokenPrincipal, type Principal } from './principal';
import { parseToken, secretMatches } from './token-format';
import { tokenDecider, tokenStream, type TokenState } from './token.decider';

/** Issued tokens whose folded state this process keeps. */
const MAX_KNOWN_TOKENS = 10_000;

/** One answer for every token that does not open the door, so that a 401 tells nothing about which tokens exist. */
export const INVALID_TOKEN = t('en', 'problem.invalidToken');

const invalidToken = () => new DomainError('unauthenticated', [problem('Authorization', 'problem.invalidToken')]);

/**
 * Turns an `Authorization` header into a Principal. Tokens are read from their own stream in the log
 * on every request (only the events after those this process has already folded: one indexed read of
 * the embedded store), so a token issued or revoked by any process — the CLI, another server — holds
 * on the very next request.
 */
@Injectable()
export class TokenAuthenticator {
  private readonly known = new Map<string, FoldedStream<TokenState>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async authenticate(header: string | undefined): Promise<Principal> {
    if (header === undefined || header.trim() === '') {
      throw new DomainError('unauthenticated', [problem('Authorization', 'problem.noCaller')]);
    }
    const match = /^Bearer +(\S+)\s*$/i.exec(header);
    if (!match) throw new DomainError('unauthenticated', [problem('Authorization', 'problem.notBearer')]);
    const parsed = parseToken(match[1]);
    if (!parsed) throw invalidToken();
    const state = await this.readFromLog(parsed.tokenId);
    if (!state.issued || !secretMatches(parsed.secret, state.tokenHash) || state.revoked) throw invalidToken();
    if (state.expiresAt !== null && Date.parse(state.expiresAt) <= this.options.clock.now().getTime()) throw invalidToken();
    return tokenPrincipal(state);
  }

  /** The token's state, read on from where this process last read its stream (its decider folds without mutating, so concurrent requests may share it). */
  private async readFromLog(tokenId: string): Promise<TokenState> {
    const known = this.known.get(tokenId);
    const folded = await foldStream(this.store, tokenStream(tokenId), tokenDecider, known);
    // Only issued tokens are kept (random ids cannot fill the map), the least recently asked dropped beyond the bound.
    if (folded.state.issued) {
      this.known.delete(tokenId);
      this.known.set(tokenId, folded);
      if (this.known.size > MAX_KNOWN_TOKENS) this.known.delete(this.known.keys().next().value!);
    }
    return folded.state;
  }
}
