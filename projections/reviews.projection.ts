import type { Projection } from './projection';

/**
 * Where each unit stands in the review of a report's period (its last step, who took it and when),
 * and the sign-offs with the people of their signature line: read by the review status, the hold
 * on figures under review, the period locks and the reports' 填报人 / 审核人 / 填报日期 line.
 */
export const reviewsProjection: Projection = {
  name: 'reviews',
  version: 1,
  handles: ['FiguresMarkedComplete', 'FiguresApproved', 'FiguresReturned', 'ReportSignedOff'],
  tables: ['review_units_v1', 'review_signoffs_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS review_units_v1 (
      ledger_id TEXT NOT NULL,
      report_id TEXT NOT NULL,
      period TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      step TEXT NOT NULL,
      actor TEXT NOT NULL,
      name TEXT NOT NULL,
      reason TEXT,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (ledger_id, report_id, period, unit_id)
    )`,
    'CREATE INDEX IF NOT EXISTS review_units_v1_unit ON review_units_v1 (ledger_id, unit_id, period)',
    `CREATE TABLE IF NOT EXISTS review_signoffs_v1 (
      ledger_id TEXT NOT NULL,
      report_id TEXT NOT NULL,
      period TEXT NOT NULL,
      event_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      as_of TEXT NOT NULL,
      as_of_position INTEGER NOT NULL,
      log_digest TEXT NOT NULL,
      reporter TEXT NOT NULL,
      reviewers TEXT NOT NULL,
      report_date TEXT NOT NULL,
      files TEXT NOT NULL,
      not_reported TEXT NOT NULL,
      PRIMARY KEY (ledger_id, report_id, period)
    )`,
    'CREATE INDEX IF NOT EXISTS review_signoffs_v1_period ON review_signoffs_v1 (ledger_id, period, position)',
  ],
  apply(event, tables) {
    const d = event.data as Record<string, unknown>;
    if (event.type === 'ReportSignedOff') {
      tables.run(
        `INSERT INTO review_signoffs_v1 (ledger_id, report_id, period, event_id, position, recorded_at, as_of, as_of_position, log_digest, reporter, reviewers, report_date, files, not_reported)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        d.ledgerId, d.reportId, d.period, event.id, event.position, event.recordedAt, d.asOf, d.position, d.logDigest,
        JSON.stringify(d.reporter), JSON.stringify(d.reviewers), d.reportDate, JSON.stringify(d.files), JSON.stringify(d.notReported),
      );
      // The approved units' figures went up with the report.
      tables.run(
        `UPDATE review_units_v1 SET step = 'submitted', position = ?, recorded_at = ? WHERE ledger_id = ? AND report_id = ? AND period = ? AND step = 'approved'`,
        event.position, event.recordedAt, d.ledgerId, d.reportId, d.period,
      );
      return;
    }
    const step = event.type === 'FiguresMarkedComplete' ? 'complete' : event.type === 'FiguresApproved' ? 'approved' : 'returned';
    const by = d.by as { actor: string; name: string };
    tables.run(
      `INSERT OR REPLACE INTO review_units_v1 (ledger_id, report_id, period, unit_id, step, actor, name, reason, position, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      d.ledgerId, d.reportId, d.period, d.unitId, step, by.actor, by.name, (d.reason as string | undefined) ?? null, event.position, event.recordedAt,
    );
  },
};

export interface ReviewUnitRow {
  ledger_id: string;
  report_id: string;
  period: string;
  unit_id: string;
  step: 'complete' | 'returned' | 'approved' | 'submitted';
  actor: string;
  name: string;
  reason: string | null;
  position: number;
  recorded_at: string;
}

export interface SignOffRow {
  ledger_id: string;
  report_id: string;
  period: string;
  event_id: string;
  position: number;
  recorded_at: string;
  as_of: string;
  as_of_position: number;
  log_digest: string;
  reporter: string;
  reviewers: string;
  report_date: string;
  files: string;
  not_reported: string;
}
