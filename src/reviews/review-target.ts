import { DomainError } from '../event-sourcing/domain-error';
import type { LedgerDefinition } from '../ledgers/ledger-directory';
import { calendarEntryFor } from '../programmes/calendar';
import { parsePeriod, invalidPeriod } from '../programmes/period';

/** A review is of a report the ledger's programme owes, for a period its calendar reports on. Returns the period's id. */
export function assertReviewablePeriod(ledger: LedgerDefinition, reportId: string, period: string): string {
  const { programme } = ledger;
  if (!programme.reports.includes(reportId)) throw DomainError.notFound('reportId', `programme ${programme.id} owes no report "${reportId}" (its reports: ${programme.reports.join(', ')})`);
  const parsed = parsePeriod(period);
  if (!parsed.ok) throw invalidPeriod(parsed.error);
  if (!calendarEntryFor(programme, parsed.period)) throw DomainError.invalid('period', `${period}: programme ${programme.id} reports on ${programme.calendar.map((c) => c.period).join(', ')} periods only`);
  return parsed.period.id;
}

/** The unit whose figures are reviewed: one of the ledger's units, still reporting. */
export function assertReviewableUnit(ledger: LedgerDefinition, unitId: string): void {
  const unit = ledger.units.get(unitId);
  if (!unit) throw DomainError.notFound('unitId', `no unit "${unitId}" in ledger "${ledger.ledgerId}"`);
  if (unit.retired) throw DomainError.invalid('unitId', `unit "${unitId}" is retired from ledger "${ledger.ledgerId}"`);
}
