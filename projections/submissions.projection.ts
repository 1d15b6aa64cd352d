import type { StoredEvent } from '../src/event-sourcing/event-store.port';
import type { Projection, ReadModelTables } from './projection';

/**
 * Progress reports and metric figures of every unit, one row per event that states facts. A
 * correction marks the row it replaces as superseded (position and time) and adds its own row, so
 * the facts in force at any past moment are a query.
 */
export const submissionsProjection: Projection = {
  name: 'submissions',
  version: 1,
  handles: ['ProgressReported', 'MetricReported', 'SubmissionCorrected'],
  tables: ['progress_v1', 'metric_values_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS progress_v1 (
      event_id TEXT PRIMARY KEY,
      ledger_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      task TEXT NOT NULL,
      status TEXT NOT NULL,
      on_date TEXT NOT NULL,
      note TEXT,
      evidence TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      corrects TEXT,
      superseded_position INTEGER,
      superseded_at TEXT
    )`,
    `CREATE TABLE IF NOT EXISTS metric_values_v1 (
      event_id TEXT PRIMARY KEY,
      ledger_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      metric_id TEXT NOT NULL,
      period TEXT NOT NULL,
      dimensions TEXT NOT NULL,
      value REAL NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      corrects TEXT,
      superseded_position INTEGER,
      superseded_at TEXT
    )`,
  ],
  indexes: [
    'CREATE INDEX IF NOT EXISTS progress_v1_ledger ON progress_v1 (ledger_id, task, unit_id)',
    'CREATE INDEX IF NOT EXISTS metric_values_v1_ledger ON metric_values_v1 (ledger_id, period, metric_id)',
    'CREATE INDEX IF NOT EXISTS metric_values_v1_unit ON metric_values_v1 (ledger_id, unit_id)',
  ],
  apply(event, tables) {
    const data = event.data as Record<string, unknown> & { ledgerId: string; unitId: string };
    if (event.type === 'SubmissionCorrected') {
      const table = data.correctedType === 'ProgressReported' ? 'progress_v1' : 'metric_values_v1';
      tables.run(`UPDATE ${table} SET superseded_position = ?, superseded_at = ? WHERE event_id = ?`, event.position, event.recordedAt, data.corrects);
      insert(table, event, { ledgerId: data.ledgerId, unitId: data.unitId, ...(data.facts as Record<string, unknown>) }, data.corrects as string, tables);
    } else {
      insert(event.type === 'ProgressReported' ? 'progress_v1' : 'metric_values_v1', event, data, null, tables);
    }
  },
};

function insert(table: string, event: StoredEvent, facts: Record<string, unknown>, corrects: string | null, tables: ReadModelTables): void {
  if (table === 'progress_v1') {
    tables.run(
      `INSERT INTO progress_v1 (event_id, ledger_id, unit_id, task, status, on_date, note, evidence, position, recorded_at, corrects)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      event.id, facts.ledgerId, facts.unitId, facts.task, facts.status, facts.on, facts.note ?? null, JSON.stringify(facts.evidence ?? []),
      event.position, event.recordedAt, corrects,
    );
  } else {
    tables.run(
      `INSERT INTO metric_values_v1 (event_id, ledger_id, unit_id, metric_id, period, dimensions, value, position, recorded_at, corrects)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      event.id, facts.ledgerId, facts.unitId, facts.metric, facts.period, JSON.stringify(facts.dimensions ?? {}), facts.value,
      event.position, event.recordedAt, corrects,
    );
  }
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
