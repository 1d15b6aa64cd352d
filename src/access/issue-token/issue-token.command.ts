import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { assertMayGrant } from '../grants';
import { contextOf, type Principal } from '../principal';
import type { Role } from '../roles';
import { newToken } from '../token-format';
import { issueProblems, tokenDecider, tokenStream } from '../token.decider';
import { UNIT_DIRECTORY, type UnitDirectory } from '../unit-directory';
import { ACCESS_OPTIONS, type AccessOptions } from '../access-options';

export interface IssueTokenFields {
  unit: string;
  role: string;
  /** The one ledger the token may act on; null: any ledger that has the unit. */
  ledger: string | null;
  label: string | null;
  /** When the token stops working (ISO-8601); null: the default lifetime (LEDGER_TOKEN_DAYS, 90 days) from now. */
  expiresAt?: string | null;
}

export interface IssueTokenResult {
  /** The whole token, `clt_<tokenId>_<secret>`: shown once, never stored. */
  token: string;
  tokenId: string;
  unit: string;
  ledger: string | null;
  role: Role;
  label: string | null;
  expiresAt: string;
  position: number;
}

/** Issue an API token for a unit and role: records TokenIssued with the secret's hash only. */
export class IssueTokenCommand extends Command<IssueTokenResult> {
  constructor(
    readonly fields: IssueTokenFields,
    /** Who issues it: an admin grant must reach the token's ledger (every ledger for an unbound token). */
    readonly issuer: Principal,
    readonly correlationId?: string,
  ) {
    super();
  }
}

@CommandHandler(IssueTokenCommand)
export class IssueTokenHandler implements ICommandHandler<IssueTokenCommand, IssueTokenResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNIT_DIRECTORY) private readonly units: UnitDirectory,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async execute({ fields, issuer, correlationId }: IssueTokenCommand): Promise<IssueTokenResult> {
    const problems = issueProblems(fields);
    if (problems.length > 0) throw new DomainError('invalid', problems);
    const now = this.options.clock.now().getTime();
    const expiresAt = fields.expiresAt ?? new Date(now + this.options.tokenDays * 86_400_000).toISOString();
    if (Number.isNaN(Date.parse(expiresAt)) || Date.parse(expiresAt) <= now) throw new DomainError('invalid', [problem('expiresAt', 'problem.expiresNotFuture', { value: expiresAt })]);
    const context = contextOf(issuer, assertMayGrant(issuer, { ledger: fields.ledger, unit: fields.unit, role: fields.role as Role }), correlationId);
    // A submitter submits for its unit, which must be one of a ledger; readers and admins name their
    // own organisation (an inspection team, the regulator, the IT team), so the first admin token can
    // be issued on an empty store.
    if ((fields.role === 'submitter' || fields.role === 'reviewer') && !(await this.units.unitExists(fields.unit, fields.ledger))) {
      throw new DomainError('not-found', [fields.ledger === null ? problem('unit', 'problem.noLedgerHasUnit', { unit: fields.unit }) : problem('unit', 'problem.unknownUnit', { id: fields.unit, ledger: fields.ledger })]);
    }
    const { token, tokenId, tokenHash } = newToken();
    const result = await handleCommand(this.store, tokenStream(tokenId), tokenDecider, { kind: 'issue', tokenId, tokenHash, ...fields, expiresAt: new Date(expiresAt).toISOString() }, context);
    return { token, tokenId, unit: fields.unit, ledger: fields.ledger, role: fields.role as Role, label: fields.label, expiresAt: new Date(expiresAt).toISOString(), position: result.position };
  }
}
