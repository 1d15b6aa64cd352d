import type { StoredEvent } from '../src/event-sourcing/event-store.port';
import { insertRows } from './insert-rows';
import type { Projection, ReadModelTables } from './projection';

/**
 * Progress reports and metric figures of every unit, one row per event that states facts. A
 * correction marks the row it replaces as superseded (position and time) and adds its own row, so
 * the facts in force at any past moment are a query.
 *
 * Rows are keyed by log position, so a replay appends at the end of each table. The event-id
 * indexes (random UUIDs, an entry on a random page per event) are built after a rebuild's replay;
 * until they exist a correction records which row it supersedes in `supersessions_v2`, and the
 * statements run after the replay apply those marks once the indexes are there.
 */
export const submissionsProjection: Projection = {
  name: 'submissions',
  version: 2,
  handles: ['ProgressReported', 'MetricReported', 'SubmissionCorrected'],
  tables: ['progress_v2', 'metric_values_v2', 'supersessions_v2'],
  schema: [
    `CREATE TABLE IF NOT EXISTS progress_v2 (
      event_id TEXT NOT NULL,
      ledger_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      task TEXT NOT NULL,
      status TEXT NOT NULL,
      on_date TEXT NOT NULL,
      note TEXT,
      evidence TEXT NOT NULL,
      position INTEGER PRIMARY KEY,
      recorded_at TEXT NOT NULL,
      corrects TEXT,
      superseded_position INTEGER,
      superseded_at TEXT
    )`,
    `CREATE TABLE IF NOT EXISTS metric_values_v2 (
      event_id TEXT NOT NULL,
      ledger_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      metric_id TEXT NOT NULL,
      period TEXT NOT NULL,
      dimensions TEXT NOT NULL,
      value REAL NOT NULL,
      position INTEGER PRIMARY KEY,
      recorded_at TEXT NOT NULL,
      corrects TEXT,
      superseded_position INTEGER,
      superseded_at TEXT
    )`,
    // Corrections replayed before the event-id indexes exist: applied and emptied by the statements below.
    `CREATE TABLE IF NOT EXISTS supersessions_v2 (
      position INTEGER PRIMARY KEY,
      tbl TEXT NOT NULL,
      event_id TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    )`,
  ],
  indexes: [
    'CREATE UNIQUE INDEX IF NOT EXISTS progress_v2_event ON progress_v2 (event_id)',
    'CREATE UNIQUE INDEX IF NOT EXISTS metric_values_v2_event ON metric_values_v2 (event_id)',
    'CREATE INDEX IF NOT EXISTS progress_v2_ledger ON progress_v2 (ledger_id, task, unit_id)',
    'CREATE INDEX IF NOT EXISTS metric_values_v2_ledger ON metric_values_v2 (ledger_id, period, metric_id)',
    'CREATE INDEX IF NOT EXISTS metric_values_v2_unit ON metric_values_v2 (ledger_id, unit_id)',
    ...['progress_v2', 'metric_values_v2'].map(
      (table) => `UPDATE ${table} SET (superseded_position, superseded_at) =
        (SELECT s.position, s.recorded_at FROM supersessions_v2 s WHERE s.event_id = ${table}.event_id ORDER BY s.position DESC LIMIT 1)
        WHERE event_id IN (SELECT event_id FROM supersessions_v2 WHERE tbl = '${table}')`,
    ),
    'DELETE FROM supersessions_v2',
  ],
  apply(event, tables) {
    applySubmissions([event], tables);
  },
  applyBatch: applySubmissions,
};

const PROGRESS_COLUMNS = ['event_id', 'ledger_id', 'unit_id', 'task', 'status', 'on_date', 'note', 'evidence', 'position', 'recorded_at', 'corrects'];
const METRIC_COLUMNS = ['event_id', 'ledger_id', 'unit_id', 'metric_id', 'period', 'dimensions', 'value', 'position', 'recorded_at', 'corrects'];

/** Rows are gathered per table and written with multi-row INSERTs, before each correction (which may mark one of them) and at the end. */
function applySubmissions(events: readonly StoredEvent[], tables: ReadModelTables): void {
  let indexed: boolean | undefined;
  const rows: Record<Table, unknown[][]> = { progress_v2: [], metric_values_v2: [] };
  const flush = () => {
    insertRows(tables, 'progress_v2', PROGRESS_COLUMNS, rows.progress_v2.splice(0));
    insertRows(tables, 'metric_values_v2', METRIC_COLUMNS, rows.metric_values_v2.splice(0));
  };
  for (const event of events) {
    const data = event.data as Record<string, unknown> & { ledgerId: string; unitId: string };
    if (event.type === 'SubmissionCorrected') {
      flush();
      const table = data.correctedType === 'ProgressReported' ? 'progress_v2' : 'metric_values_v2';
      indexed ??= tables.get("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'metric_values_v2_event'") !== undefined;
      if (indexed) tables.run(`UPDATE ${table} SET superseded_position = ?, superseded_at = ? WHERE event_id = ?`, event.position, event.recordedAt, data.corrects);
      else tables.run('INSERT INTO supersessions_v2 (position, tbl, event_id, recorded_at) VALUES (?, ?, ?, ?)', event.position, table, data.corrects, event.recordedAt);
      rows[table].push(rowOf(table, event, { ledgerId: data.ledgerId, unitId: data.unitId, ...(data.facts as Record<string, unknown>) }, data.corrects as string));
    } else {
      const table = event.type === 'ProgressReported' ? 'progress_v2' : 'metric_values_v2';
      rows[table].push(rowOf(table, event, data, null));
    }
  }
  flush();
}

type Table = 'progress_v2' | 'metric_values_v2';

/** A row's values in its table's column order. */
function rowOf(table: Table, event: StoredEvent, facts: Record<string, unknown>, corrects: string | null): unknown[] {
  return table === 'progress_v2'
    ? [event.id, facts.ledgerId, facts.unitId, facts.task, facts.status, facts.on, facts.note ?? null, JSON.stringify(facts.evidence ?? []), event.position, event.recordedAt, corrects]
    : [event.id, facts.ledgerId, facts.unitId, facts.metric, facts.period, JSON.stringify(facts.dimensions ?? {}), facts.value, event.position, event.recordedAt, corrects];
}

export interface ProgressRow {
  event_id: string;
  ledger_id: string;
  unit_id: string;
  task: string;
  status: string;
  on_date: string;
  note: string | null;
  evidence: string;
  position: number;
  recorded_at: string;
  corrects: string | null;
}

export interface MetricValueRow {
  event_id: string;
  ledger_id: string;
  unit_id: string;
  metric_id: string;
  period: string;
  dimensions: string;
  value: number;
  position: number;
  recorded_at: string;
  corrects: string | null;
}
