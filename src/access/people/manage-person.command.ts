import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { foldStream } from '../../event-sourcing/fold-stream';
import { handleCommand } from '../../event-sourcing/handle-command';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { contextOf, type Grant, type Principal } from '../principal';
import { SessionStore } from '../sessions/session-store';
import { UNIT_DIRECTORY, type UnitDirectory } from '../unit-directory';
import { hashPassword, oneTimePassword } from './password';
import { assertGrantsAllowed, assertMayManage } from './person-grants';
import { grantProblems, personDecider, personStream, type PersonDetails } from './person.decider';

/** What an admin does to an existing account. */
export type PersonChange =
  | { kind: 'reset-password' }
  | { kind: 'set-grants'; grants: Grant[] }
  | ({ kind: 'change-details' } & PersonDetails)
  | { kind: 'disable'; reason: string }
  | { kind: 'enable' };

export interface ManagePersonResult {
  login: string;
  /** Only after a reset: the new one-time password, shown this once. */
  oneTimePassword?: string;
  /** Log position of the event recorded; 0 when nothing changed (nothing appended). */
  position: number;
  /** Sessions ended by the change (a reset or disable signs the person out everywhere). */
  sessionsEnded: number;
}

export class ManagePersonCommand extends Command<ManagePersonResult> {
  constructor(
    readonly login: string,
    readonly change: PersonChange,
    readonly issuer: Principal,
    readonly correlationId?: string,
  ) {
    super();
  }
}

/**
 * An admin's changes to an account. The admin must reach every grant the person holds (and, for new
 * grants, every new one): an admin of one ledger cannot touch a person of another.
 */
@CommandHandler(ManagePersonCommand)
export class ManagePersonHandler implements ICommandHandler<ManagePersonCommand, ManagePersonResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNIT_DIRECTORY) private readonly units: UnitDirectory,
    private readonly sessions: SessionStore,
  ) {}

  async execute({ login, change, issuer, correlationId }: ManagePersonCommand): Promise<ManagePersonResult> {
    const { state } = await foldStream(this.store, personStream(login), personDecider);
    if (!state.exists) throw new DomainError('not-found', [problem('login', 'problem.unknownPerson', { login })]);
    // People change their own name, contact and language; everything else is an admin's.
    const ownDetails = change.kind === 'change-details' && issuer.kind === 'person' && issuer.id === login;
    let grant = ownDetails ? issuer.grants[0] : assertMayManage(issuer, state.grants);
    if (change.kind === 'set-grants') {
      const problems = grantProblems(change.grants);
      if (problems.length > 0) throw new DomainError('invalid', problems);
      grant = await assertGrantsAllowed(issuer, change.grants, this.units);
    }
    const password = change.kind === 'reset-password' ? oneTimePassword() : undefined;
    const command = change.kind === 'reset-password' ? { kind: change.kind, passwordHash: await hashPassword(password!) } : change;
    const result = await handleCommand(this.store, personStream(login), personDecider, command, contextOf(issuer, grant, correlationId));
    const signsOut = result.events.length > 0 && (change.kind === 'reset-password' || change.kind === 'disable');
    return { login, ...(password ? { oneTimePassword: password } : {}), position: result.position, sessionsEnded: signsOut ? this.sessions.endAllOf(login) : 0 };
  }
}
