import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import type { RequestContext } from '../../event-sourcing/request-context';
import { EVENT_STORE } from '../../event-store/event-store.module';
import { assertAdmin } from '../admin-only';
import type { Role } from '../roles';
import { newToken } from '../token-format';
import { issueProblems, tokenDecider, tokenStream } from '../token.decider';
import { UNIT_DIRECTORY, type UnitDirectory } from '../unit-directory';

export interface IssueTokenFields {
  unit: string;
  role: string;
  /** The one ledger the token may act on; null: any ledger that has the unit. */
  ledger: string | null;
  label: string | null;
}

export interface IssueTokenResult {
  /** The whole token, `clt_<tokenId>_<secret>`: shown once, never stored. */
  token: string;
  tokenId: string;
  unit: string;
  ledger: string | null;
  role: Role;
  label: string | null;
  position: number;
}

/** Issue an API token for a unit and role: records TokenIssued with the secret's hash only. */
export class IssueTokenCommand extends Command<IssueTokenResult> {
  constructor(
    readonly fields: IssueTokenFields,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(IssueTokenCommand)
export class IssueTokenHandler implements ICommandHandler<IssueTokenCommand, IssueTokenResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNIT_DIRECTORY) private readonly units: UnitDirectory,
  ) {}

  async execute({ fields, context }: IssueTokenCommand): Promise<IssueTokenResult> {
    assertAdmin(context, 'issue tokens');
    const problems = issueProblems(fields);
    if (problems.length > 0) throw new DomainError('invalid', problems);
    // A submitter submits for its unit, which must be one of a ledger; readers and admins name their
    // own organisation (an inspection team, the regulator, the IT team), so the first admin token can
    // be issued on an empty store.
    if (fields.role === 'submitter' && !(await this.units.unitExists(fields.unit, fields.ledger))) {
      throw DomainError.notFound('unit', fields.ledger === null ? `no ledger has unit "${fields.unit}"` : `ledger "${fields.ledger}" has no unit "${fields.unit}"`);
    }
    const { token, tokenId, tokenHash } = newToken();
    const result = await handleCommand(this.store, tokenStream(tokenId), tokenDecider, { kind: 'issue', tokenId, tokenHash, ...fields }, context);
    return { token, tokenId, unit: fields.unit, ledger: fields.ledger, role: fields.role as Role, label: fields.label, position: result.position };
  }
}
