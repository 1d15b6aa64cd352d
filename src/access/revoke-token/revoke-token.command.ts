import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { foldStream } from '../../event-sourcing/fold-stream';
import { assertMayActFor } from '../grants';
import { contextOf, type Principal } from '../principal';
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
    /** Who revokes it: an admin grant must reach the token's ledger. */
    readonly issuer: Principal,
    readonly correlationId?: string,
  ) {
    super();
  }
}

@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand, RevokeTokenResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ tokenId, reason, issuer, correlationId }: RevokeTokenCommand): Promise<RevokeTokenResult> {
    if (!isTokenId(tokenId)) throw new DomainError('invalid', [problem('tokenId', 'problem.notTokenId', { value: tokenId })]);
    const { state } = await foldStream(this.store, tokenStream(tokenId), tokenDecider);
    if (!state.issued) throw new DomainError('not-found', [problem('tokenId', 'problem.unknownToken', { id: tokenId })]);
    const context = contextOf(issuer, assertMayActFor(issuer, { action: 'administer', ledgerId: state.ledger }), correlationId);
    // Every process reads the token's stream on each request: the revocation holds on the next one.
    const result = await handleCommand(this.store, tokenStream(tokenId), tokenDecider, { kind: 'revoke', tokenId, reason }, context);
    return { tokenId, outcome: result.events.length > 0 ? 'revoked' : 'already-revoked', position: result.position };
  }
}
