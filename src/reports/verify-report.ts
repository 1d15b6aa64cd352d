import type { QueryBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { ReportRow } from '../../projections/reports.projection';
import { verifyLog } from '../audit/verify-log';
import type { EventStore } from '../event-sourcing/event-store.port';
import { GenerateReportQuery, type GeneratedReport } from './generate/generate-report.query';
import { historyFilterOf, HistoryReportQuery } from './history-report.query';
import { readPin, type ReportPin } from './report-pin';

export type ReportCheck =
  | { ok: true; pin: ReportPin; format: 'xlsx' | 'pdf'; sha256: string; recorded: ReportRow | null }
  | { ok: false; reason: string };

/**
 * Checks any delivered report file (HTTP, CLI, demo, scheduler; a history export too) against the log, from what the file
 * itself carries: its pin names the ledger, report, period, as-of instant and log position, and the
 * log's digest there. The log up to that position must verify and still have that digest (nothing
 * before it was altered), and regenerating the report from the pin must give the same bytes (nothing
 * in the file was changed). A file the scheduler recorded (ReportGenerated) is named as such.
 */
export async function verifyReportFile(bytes: Buffer, db: Database.Database, store: EventStore, queries: QueryBus): Promise<ReportCheck> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const format = bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? 'pdf' : 'xlsx';
  const pin = await readPin(bytes);
  if (!pin) return { ok: false, reason: 'is not a report of this ledger: it carries no report pin (ledger, report, period, as-of, log position) in its metadata' };
  const prefix = await verifyLog(store.readAll({ maxCount: Number.MAX_SAFE_INTEGER }), undefined, pin.position);
  if (!prefix.ok) return { ok: false, reason: `the log up to position ${pin.position} fails verification: ${prefix.failure.reason} (event ${prefix.failure.event.id})` };
  if (prefix.lastPosition < pin.position) return { ok: false, reason: `the log ends at position ${prefix.lastPosition}, before the position ${pin.position} the report was drawn at` };
  if (prefix.logDigest !== pin.logDigest) {
    return { ok: false, reason: `the log's digest at position ${pin.position} is sha256:${prefix.logDigest}, not the sha256:${pin.logDigest} the report was drawn from` };
  }
  const asOf = { kind: 'position' as const, position: pin.position, at: pin.asOf };
  const history = historyFilterOf(pin.reportId);
  const again: GeneratedReport = await queries.execute(
    history ? new HistoryReportQuery(pin.ledgerId, history, format, asOf) : new GenerateReportQuery(pin.ledgerId, pin.reportId, pin.period, format, asOf),
  );
  if (again.digest !== sha256) {
    return { ok: false, reason: `regenerated from its pin (as of ${pin.asOf}, log position ${pin.position}), the ${format} has sha256:${again.digest}, not sha256:${sha256}: the file was changed` };
  }
  const recorded = (db.prepare('SELECT * FROM reports_v1 WHERE ledger_id = ? AND report_id = ? AND period = ? AND files LIKE ?').get(pin.ledgerId, pin.reportId, pin.period, `%${sha256}%`) as ReportRow | undefined) ?? null;
  return { ok: true, pin, format, sha256, recorded };
}
