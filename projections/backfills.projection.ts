import type { Projection } from './projection';

/**
 * Back-filled history: each progress report or metric figure an administrator recorded with the
 * date it was originally reported (`reportedOn`), beside the time it was recorded and by whom.
 * Timeliness counts the declared date for these events, and says so.
 */
export const backfillsProjection: Projection = {
  name: 'backfills',
  version: 1,
  handles: ['ProgressReported', 'MetricReported'],
  tables: ['backfills_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS backfills_v1 (
      event_id TEXT PRIMARY KEY,
      ledger_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      reported_on TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      actor TEXT
    )`,
    'CREATE INDEX IF NOT EXISTS backfills_v1_ledger ON backfills_v1 (ledger_id, unit_id)',
  ],
  apply(event, tables) {
    const data = event.data as { ledgerId: string; unitId: string; reportedOn?: string };
    if (typeof data.reportedOn !== 'string') return;
    tables.run(
      'INSERT INTO backfills_v1 (event_id, ledger_id, unit_id, reported_on, position, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)',
      event.id, data.ledgerId, data.unitId, data.reportedOn, event.position, event.recordedAt, (event.metadata as { actor?: string }).actor ?? null,
    );
  },
};

export interface BackfillRow {
  event_id: string;
  ledger_id: string;
  unit_id: string;
  reported_on: string;
  position: number;
  recorded_at: string;
  actor: string | null;
}
