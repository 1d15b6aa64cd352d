import type { Projection } from './projection';

/** Every recorded report: what was generated when, as of which moment and log state, with its files' digests. */
export const reportsProjection: Projection = {
  name: 'reports',
  version: 1,
  handles: ['ReportGenerated'],
  tables: ['reports_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS reports_v1 (
      ledger_id TEXT NOT NULL,
      report_id TEXT NOT NULL,
      period TEXT NOT NULL,
      event_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      as_of TEXT NOT NULL,
      as_of_position INTEGER NOT NULL,
      log_digest TEXT NOT NULL,
      layout_version TEXT NOT NULL,
      due TEXT,
      trigger TEXT NOT NULL,
      files TEXT NOT NULL,
      PRIMARY KEY (ledger_id, report_id, period)
    )`,
    'CREATE INDEX IF NOT EXISTS reports_v1_period ON reports_v1 (ledger_id, period, position)',
  ],
  apply(event, tables) {
    const d = event.data as Record<string, unknown>;
    tables.run(
      `INSERT INTO reports_v1 (ledger_id, report_id, period, event_id, position, recorded_at, as_of, as_of_position, log_digest, layout_version, due, trigger, files)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      d.ledgerId, d.reportId, d.period, event.id, event.position, event.recordedAt, d.asOf, d.position, d.logDigest, d.layoutVersion, d.due ?? null, d.trigger,
      JSON.stringify(d.files),
    );
  },
};

export interface ReportRow {
  ledger_id: string;
  report_id: string;
  period: string;
  event_id: string;
  position: number;
  recorded_at: string;
  as_of: string;
  as_of_position: number;
  log_digest: string;
  layout_version: string;
  due: string | null;
  trigger: string;
  files: string;
}
