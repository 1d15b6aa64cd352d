import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import type { LedgerDefinition } from '../ledgers/ledger-directory';
import { calendarEntryFor } from '../programmes/calendar';
import { parsePeriod, invalidPeriod } from '../programmes/period';

/** A review is of a report the ledger's programme owes, for a period its calendar reports on. Returns the period's id. */
export function assertReviewablePeriod(ledger: LedgerDefinition, reportId: string, period: string): string {
  const { programme } = ledger;
  if (!programme.reports.includes(reportId)) throw new DomainError('not-found', [problem('reportId', 'problem.reportNotOwed', { programme: programme.id, id: reportId, owed: programme.reports.join(', ') })]);
  const parsed = parsePeriod(period);
  if (!parsed.ok) throw invalidPeriod(parsed.error);
  if (!calendarEntryFor(programme, parsed.period)) {
    throw new DomainError('invalid', [problem('period', 'problem.periodNotReported', { value: period, programme: programme.id, owed: programme.calendar.map((c) => c.period).join(', ') })]);
  }
  return parsed.period.id;
}

/** The unit whose figures are reviewed: one of the ledger's units, still reporting. */
export function assertReviewableUnit(ledger: LedgerDefinition, unitId: string): void {
  const unit = ledger.units.get(unitId);
  if (!unit) throw new DomainError('not-found', [problem('unitId', 'problem.unknownUnit', { id: unitId, ledger: ledger.ledgerId })]);
  if (unit.retired) throw new DomainError('invalid', [problem('unitId', 'problem.unitRetired', { id: unitId, ledger: ledger.ledgerId })]);
}
