import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { t } from '../i18n/translate';
import type { EventStore } from '../event-sourcing/event-store.port';
import { upcast } from '../event-sourcing/upcasters';
import { EVENT_STORE } from '../event-sourcing/tokens';
import { ACCESS_OPTIONS, type AccessOptions } from './access-options';
import { tokenPrincipal, type Principal } from './principal';
import { parseToken, secretMatches } from './token-format';
import { tokenDecider, tokenStream, type TokenEvent, type TokenState } from './token.decider';

/** One answer for every token that does not open the door, so that a 401 tells nothing about which tokens exist. */
export const INVALID_TOKEN = t('en', 'problem.invalidToken');

const invalidToken = () => new DomainError('unauthenticated', [problem('Authorization', 'problem.invalidToken')]);

/**
 * Turns an `Authorization` header into a Principal. Tokens are read from their own stream in the log
 * on every request (a stream of one or two events: one indexed read of the embedded store), so a token
 * issued or revoked by any process — the CLI, another server — holds on the very next request.
 */
@Injectable()
export class TokenAuthenticator {
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

  private async readFromLog(tokenId: string): Promise<TokenState> {
    let state = tokenDecider.initialState();
    for await (const stored of this.store.readStream(tokenStream(tokenId))) {
      const event = upcast(stored);
      state = tokenDecider.evolve(state, { type: event.type, data: event.data } as TokenEvent);
    }
    return state;
  }
}
