import type { Decider, DomainEvent } from '../../event-sourcing/decider';
import type { JsonObject } from '../../event-sourcing/event-store.port';
import { streamName } from '../../event-sourcing/stream-name';
import type { TemplateDiff } from '../load-template';
import type { ProgrammeTemplate } from '../template';

export type ProgrammeRegistered = DomainEvent<'ProgrammeRegistered', { programmeId: string; digest: string; source: string; template: JsonObject }>;
export type ProgrammeAmended = DomainEvent<
  'ProgrammeAmended',
  { programmeId: string; digest: string; previousDigest: string; source: string; changes: JsonObject; template: JsonObject }
>;
export type ProgrammeEvent = ProgrammeRegistered | ProgrammeAmended;

export interface RegisterProgramme {
  template: ProgrammeTemplate;
  /** SHA-256 of the canonical template: equal digests mean nothing changed. */
  digest: string;
  /** Where it came from (file name), for the auditors. */
  source: string;
  diff: (before: ProgrammeTemplate, after: ProgrammeTemplate) => TemplateDiff;
}

export type ProgrammeState = { registered: false } | { registered: true; digest: string; template: ProgrammeTemplate };

export const programmeStream = (programmeId: string) => streamName('programme', programmeId);

/**
 * A programme's stream: registered once, then amended by each import of a changed template, so
 * that what the ledger required on any date can be replayed. An unchanged template decides nothing.
 */
export const programmeDecider: Decider<RegisterProgramme, ProgrammeEvent, ProgrammeState> = {
  initialState: () => ({ registered: false }),
  evolve: (_state, event) => ({ registered: true, digest: event.data.digest, template: event.data.template as unknown as ProgrammeTemplate }),
  decide(command, state) {
    const template = command.template as unknown as JsonObject;
    if (!state.registered) {
      return [{ type: 'ProgrammeRegistered', data: { programmeId: command.template.id, digest: command.digest, source: command.source, template } }];
    }
    if (state.digest === command.digest) return [];
    const changes = command.diff(state.template, command.template) as unknown as JsonObject;
    return [
      {
        type: 'ProgrammeAmended',
        data: { programmeId: command.template.id, digest: command.digest, previousDigest: state.digest, source: command.source, changes, template },
      },
    ];
  },
};
