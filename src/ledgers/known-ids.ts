import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import type { LedgerDefinition } from './ledger-directory';

/**
 * A filter naming a unit, task or metric the ledger does not know is an error (404 over HTTP, exit 1
 * on the CLI), never an empty answer: `status --unit nobody` must not look like "nothing to report". An empty
 * filter (`?unit=`) filters nothing.
 */
export function assertKnownIds(ledger: LedgerDefinition, ids: { unit?: string; task?: string; metric?: string }): void {
  if (ids.unit && !ledger.units.has(ids.unit)) throw new DomainError('not-found', [problem('unit', 'problem.unknownUnit', { id: ids.unit, ledger: ledger.ledgerId })]);
  if (ids.task && !ledger.programme.tasks.some((t) => t.number === ids.task)) {
    throw new DomainError('not-found', [problem('task', 'problem.unknownTask', { id: ids.task, programme: ledger.programme.id })]);
  }
  if (ids.metric && !(ledger.programme.metrics ?? []).some((m) => m.id === ids.metric)) {
    throw new DomainError('not-found', [problem('metric', 'problem.unknownMetric', { id: ids.metric, programme: ledger.programme.id })]);
  }
}
