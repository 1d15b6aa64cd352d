import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import type { RequestContext } from '../../event-sourcing/request-context';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { diffTemplates, parseTemplate, type TemplateDiff } from '../load-template';
import { programmeDecider, programmeStream } from './programme.decider';

export interface RegisterProgrammeResult {
  programmeId: string;
  outcome: 'registered' | 'amended' | 'unchanged';
  version: number;
  position: number;
  changes?: TemplateDiff;
}

/** Import a programme template file: registers it, records an amendment if it changed, or does nothing. */
export class RegisterProgrammeCommand extends Command<RegisterProgrammeResult> {
  constructor(
    readonly text: string,
    readonly fileName: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterProgrammeCommand)
export class RegisterProgrammeHandler implements ICommandHandler<RegisterProgrammeCommand, RegisterProgrammeResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ text, fileName, context }: RegisterProgrammeCommand): Promise<RegisterProgrammeResult> {
    const loaded = parseTemplate(text, fileName);
    if (!loaded.ok) {
      throw new DomainError(
        'invalid',
        loaded.errors.map((e) => ({ field: `${fileName}${e.line ? `:${e.line}:${e.column ?? 1}` : ''} ${e.path}`, reason: e.reason, message: e.message })),
      );
    }
    const { template, digest } = loaded;
    const result = await handleCommand(
      this.store,
      programmeStream(template.id),
      programmeDecider,
      { template, digest, source: fileName.split(/[\\/]/).pop() ?? fileName, diff: diffTemplates },
      context,
    );
    const event = result.events[0];
    return {
      programmeId: template.id,
      outcome: !event ? 'unchanged' : event.type === 'ProgrammeRegistered' ? 'registered' : 'amended',
      version: result.revision + 1,
      position: result.position,
      ...(event?.type === 'ProgrammeAmended' ? { changes: event.data.changes as unknown as TemplateDiff } : {}),
    };
  }
}
