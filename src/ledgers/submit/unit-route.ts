import type { Decider, DomainEvent } from '../../event-sourcing/decider';
import type { CorrectionFields, MetricFields, ProgressFields } from './record-types';
import { registerRoute } from './record-routes';
import { recordedFigure, unitStream, unitSubmissionsDecider, type UnitSubmissionCommand, type UnitSubmissionState } from './unit-submissions.decider';

/** Progress, metric figures and corrections go to the submitting unit's own stream in the ledger. */
registerRoute({
  types: ['progress', 'metric', 'correction'],
  stream: (record) => unitStream(record.ledger, record.unit),
  decider: unitSubmissionsDecider as unknown as Decider<unknown, DomainEvent, unknown>,
  command: (record, ledger, moment) => ({
    record: record as ProgressFields | MetricFields | CorrectionFields,
    setting: { programme: ledger.programme, unitRole: ledger.units.get(record.unit)!.role, today: moment.today, lockOf: moment.lockOf, heldOf: (period: string) => moment.heldOf?.(record.unit, period) ?? null, callerRole: moment.role },
  }),
  recorded: (command, state) => recordedFigure(command as UnitSubmissionCommand, state as UnitSubmissionState),
});
