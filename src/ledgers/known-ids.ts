import { DomainError } from '../event-sourcing/domain-error';
import type { LedgerDefinition } from './ledger-directory';

/**
 * A filter naming a unit, task or metric the ledger does not know is an error (404 over HTTP, exit 1
 * on the CLI), never an empty answer: `status --unit nobody` must not look like "nothing to report". An empty
 * filter (`?unit=`) filters nothing.
 */
export function assertKnownIds(ledger: LedgerDefinition, ids: { unit?: string; task?: string; metric?: string }): void {
  if (ids.unit && !ledger.units.has(ids.unit)) throw DomainError.notFound('unit', `no unit "${ids.unit}" in ledger "${ledger.ledgerId}"`);
  if (ids.task && !ledger.programme.tasks.some((t) => t.number === ids.task)) {
    throw DomainError.notFound('task', `no task "${ids.task}" in programme ${ledger.programme.id}`);
  }
  if (ids.metric && !(ledger.programme.metrics ?? []).some((m) => m.id === ids.metric)) {
    throw DomainError.notFound('metric', `no metric "${ids.metric}" in programme ${ledger.programme.id}`);
  }
}
