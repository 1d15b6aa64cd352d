import type { QueryBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { ReportRow } from '../../projections/reports.projection';
import { verifyLog } from '../audit/verify-log';
import type { EventStore } from '../event-sourcing/event-store.port';
import { GenerateReportQuery, type GeneratedReport } from './generate/generate-report.query';
import type { GeneratedFile } from './schedule/report-log.decider';

export type ReportCheck =
  | { ok: true; report: ReportRow; file: GeneratedFile }
  | { ok: false; reason: string };

/**
 * Checks a report file against the log: its digest must be one a ReportGenerated event recorded;
 * the log's running digest at the recorded position must still be the one recorded (nothing
 * before it was altered); and regenerating the report as of its moment must give the same bytes.
 */
export async function verifyReportFile(bytes: Buffer, db: Database.Database, store: EventStore, queries: QueryBus): Promise<ReportCheck> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const rows = db.prepare('SELECT * FROM reports_v1 WHERE files LIKE ?').all(`%${sha256}%`) as ReportRow[];
  const match = rows.map((report) => ({ report, file: (JSON.parse(report.files) as GeneratedFile[]).find((f) => f.sha256 === sha256) })).find((m) => m.file);
  if (!match?.file) return { ok: false, reason: `no ReportGenerated event records a file with sha256:${sha256}` };
  const { report, file } = match;
  const prefix = await verifyLog(store.readAll({ maxCount: Number.MAX_SAFE_INTEGER }), undefined, report.as_of_position);
  if (!prefix.ok) return { ok: false, reason: `the log up to position ${report.as_of_position} fails verification: ${prefix.failure.reason} (event ${prefix.failure.event.id})` };
  if (prefix.logDigest !== report.log_digest) {
    return { ok: false, reason: `the log's digest at position ${report.as_of_position} is sha256:${prefix.logDigest}, not the sha256:${report.log_digest} recorded with the report` };
  }
  const again: GeneratedReport = await queries.execute(new GenerateReportQuery(report.ledger_id, report.report_id, report.period, file.format, { kind: 'time', at: report.as_of }));
  if (again.digest !== sha256) return { ok: false, reason: `regenerated as of ${report.as_of}, the ${file.format} has sha256:${again.digest}, not sha256:${sha256}` };
  return { ok: true, report, file };
}
