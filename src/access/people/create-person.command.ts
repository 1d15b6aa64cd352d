import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { contextOf, type Grant, type Principal } from '../principal';
import { UNIT_DIRECTORY, type UnitDirectory } from '../unit-directory';
import { hashPassword, oneTimePassword } from './password';
import { assertGrantsAllowed } from './person-grants';
import { detailsProblems, grantProblems, loginProblem, personDecider, personStream, type Language } from './person.decider';

export interface NewPerson {
  login: string;
  name: string;
  contact: string;
  language: Language;
  grants: Grant[];
}

export interface CreatePersonResult {
  login: string;
  /** Shown this once: the person signs in with it and must then choose a password. */
  oneTimePassword: string;
  position: number;
}

/** Create a person's account with a one-time password (PersonCreated records its scrypt hash only). */
export class CreatePersonCommand extends Command<CreatePersonResult> {
  constructor(
    readonly person: NewPerson,
    readonly issuer: Principal,
    readonly correlationId?: string,
  ) {
    super();
  }
}

@CommandHandler(CreatePersonCommand)
export class CreatePersonHandler implements ICommandHandler<CreatePersonCommand, CreatePersonResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNIT_DIRECTORY) private readonly units: UnitDirectory,
  ) {}

  async execute({ person, issuer, correlationId }: CreatePersonCommand): Promise<CreatePersonResult> {
    const loginIssue = loginProblem(person.login);
    const problems = [...(loginIssue ? [loginIssue] : []), ...detailsProblems(person), ...grantProblems(person.grants)];
    if (problems.length > 0) throw new DomainError('invalid', problems);
    const context = contextOf(issuer, await assertGrantsAllowed(issuer, person.grants, this.units), correlationId);
    const password = oneTimePassword();
    const command = { kind: 'create' as const, ...person, passwordHash: await hashPassword(password) };
    const result = await handleCommand(this.store, personStream(person.login), personDecider, command, context);
    return { login: person.login, oneTimePassword: password, position: result.position };
  }
}
