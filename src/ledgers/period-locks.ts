import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { calendarEntryFor, dueDate } from '../programmes/calendar';
import { addDays, endOfLocalDay } from '../programmes/local-time';
import { parsePeriod } from '../programmes/period';
import { READ_MODEL_DB } from '../read-models/tokens';
import { t, type MessageParams } from '../i18n/translate';
import type { LedgerDefinition } from './ledger-directory';
import type { PeriodLock } from './submit/record-types';

/**
 * When a reporting period locks, as DHIS2 locks expired periods: at the first report generated for
 * it on its due date or on demand (not a back-filled one) or signed off for it, or — where the
 * programme's calendar sets `locksAfterDays` — that many days after its due date, whichever comes
 * first. Figures for a locked period change only through a late correction with a reason. Without
 * `locksAfterDays` only a generated or signed-off report locks a period, so a ledger opened late (a
 * province catching up on 2021 in 2026) can still enter its past figures.
 */
@Injectable()
export class PeriodLocks {
  private readonly firstReport;
  private readonly firstSignOff;

  constructor(@Inject(READ_MODEL_DB) db: Database.Database) {
    this.firstReport = db.prepare<[string, string], { report_id: string; recorded_at: string }>(
      // A back-filled report (due before the ledger opened) locks nothing: the ledger's history is still being entered.
      "SELECT report_id, recorded_at FROM reports_v1 WHERE ledger_id = ? AND period = ? AND trigger != 'backfill' ORDER BY position LIMIT 1",
    );
    this.firstSignOff = db.prepare<[string, string], { report_id: string; recorded_at: string }>(
      'SELECT report_id, recorded_at FROM review_signoffs_v1 WHERE ledger_id = ? AND period = ? ORDER BY position LIMIT 1',
    );
  }

  /** One submission's view of the locks: each period's lock worked out once (a bulk file names the same periods on many lines). */
  at(ledger: LedgerDefinition, now: string): (periodId: string) => PeriodLock | null {
    const known = new Map<string, PeriodLock | null>();
    return (periodId) => {
      if (!known.has(periodId)) known.set(periodId, this.lockOf(ledger, periodId, now));
      return known.get(periodId)!;
    };
  }

  /** The lock of a period in force at `now` (ISO), or null while the period is open. */
  lockOf(ledger: LedgerDefinition, periodId: string, now: string): PeriodLock | null {
    const parsed = parsePeriod(periodId);
    if (!parsed.ok) return null;
    const period = parsed.period;
    const generated = this.firstReport.get(ledger.ledgerId, period.id);
    const signedOff = this.firstSignOff.get(ledger.ledgerId, period.id);
    const entry = calendarEntryFor(ledger.programme, period);
    const days = entry?.locksAfterDays;
    const byDate = entry && days !== undefined ? { since: endOfLocalDay(addDays(dueDate(entry, period), days), ledger.programme.timeZone), days } : null;
    const locks: PeriodLock[] = [];
    if (generated) locks.push(lockFor(generated.recorded_at, 'phrase.lock.generated', { report: generated.report_id, period: period.id }));
    if (signedOff) locks.push(lockFor(signedOff.recorded_at, 'phrase.lock.signedOff', { report: signedOff.report_id, period: period.id }));
    if (byDate) locks.push(lockFor(byDate.since, 'phrase.lock.daysPassed', { days: byDate.days }));
    return locks.filter((lock) => lock.since < now).sort((a, b) => a.since.localeCompare(b.since))[0] ?? null;
  }
}

function lockFor(since: string, key: string, params: MessageParams): PeriodLock {
  return { since, why: t('en', key, params), because: { key, params } };
}
