import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { foldStream } from '../../event-sourcing/fold-stream';
import { handleCommand } from '../../event-sourcing/handle-command';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { contextOf, type Principal } from '../principal';
import { SessionStore } from '../sessions/session-store';
import { hashPassword, passwordMatches, passwordProblem } from './password';
import { personDecider, personStream } from './person.decider';

/** A signed-in person replaces their password (the one-time one, or their own): every session of theirs ends. */
export class ChangeOwnPasswordCommand extends Command<{ position: number; passwordVersion: number }> {
  constructor(
    readonly person: Principal,
    readonly current: unknown,
    readonly next: unknown,
    readonly correlationId?: string,
  ) {
    super();
  }
}

@CommandHandler(ChangeOwnPasswordCommand)
export class ChangeOwnPasswordHandler implements ICommandHandler<ChangeOwnPasswordCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly sessions: SessionStore,
  ) {}

  async execute({ person, current, next, correlationId }: ChangeOwnPasswordCommand) {
    if (person.kind !== 'person') throw new DomainError('forbidden', [problem(undefined, 'problem.passwordOnlyForPeople')]);
    const { state } = await foldStream(this.store, personStream(person.id), personDecider);
    if (!state.exists) throw new DomainError('not-found', [problem('login', 'problem.noSuchPerson')]);
    if (typeof current !== 'string' || !(await passwordMatches(current, state.passwordHash))) throw new DomainError('invalid', [problem('currentPassword', 'problem.notCurrentPassword')]);
    const weakness = passwordProblem(next, state.login);
    if (weakness) throw new DomainError('invalid', [weakness]);
    if (next === current) throw new DomainError('invalid', [problem('password', 'problem.passwordUnchanged')]);
    const result = await handleCommand(this.store, personStream(state.login), personDecider, { kind: 'change-password', passwordHash: await hashPassword(next as string) }, contextOf(person, person.grants[0], correlationId));
    this.sessions.endAllOf(state.login);
    return { position: result.position, passwordVersion: state.passwordVersion + 1 };
  }
}
