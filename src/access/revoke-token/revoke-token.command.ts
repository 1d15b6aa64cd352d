import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import type { RequestContext } from '../../event-sourcing/request-context';
import { EVENT_STORE } from '../../event-store/event-store.module';
import { assertAdmin } from '../admin-only';
import { TokenAuthenticator } from '../token-authenticator';
import { isTokenId } from '../token-format';
import { tokenDecider, tokenStream } from '../token.decider';

export interface RevokeTokenResult {
  tokenId: string;
  outcome: 'revoked' | 'already-revoked';
  /** Log position of TokenRevoked; 0 when the token was already revoked (nothing appended). */
  position: number;
}

/** Revoke a token, with a reason: records TokenRevoked; revoking it again appends nothing. */
export class RevokeTokenCommand extends Command<RevokeTokenResult> {
  constructor(
    readonly tokenId: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand, RevokeTokenResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly authenticator: TokenAuthenticator,
  ) {}

  async execute({ tokenId, reason, context }: RevokeTokenCommand): Promise<RevokeTokenResult> {
    assertAdmin(context, 'revoke tokens');
    if (!isTokenId(tokenId)) throw DomainError.invalid('tokenId', `"${tokenId}" is not a token id (12 characters a-z, 2-7: the part after clt_)`);
    const result = await handleCommand(this.store, tokenStream(tokenId), tokenDecider, { kind: 'revoke', tokenId, reason }, context);
    // In this process the revocation holds at once; other processes see it when their cache expires.
    this.authenticator.forget(tokenId);
    return { tokenId, outcome: result.events.length > 0 ? 'revoked' : 'already-revoked', position: result.position };
  }
}
