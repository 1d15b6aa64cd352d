import type { StoredEvent } from '../src/event-sourcing/event-store.port';
import { insertRows } from './insert-rows';
import type { Projection, ReadModelTables } from './projection';

/**
 * Every event about a ledger (those whose data names a ledgerId), in log order, with who recorded
 * it and when: the auditors' history, queried by ledger and unit without scanning the log.
 */
export const historyProjection: Projection = {
  name: 'history',
  version: 1,
  handles: 'all',
  tables: ['history_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS history_v1 (
      position INTEGER PRIMARY KEY,
      event_id TEXT NOT NULL,
      ledger_id TEXT NOT NULL,
      unit_id TEXT,
      stream TEXT NOT NULL,
      revision INTEGER NOT NULL,
      type TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      actor TEXT,
      role TEXT,
      correlation_id TEXT,
      data TEXT NOT NULL,
      corrects TEXT
    )`,
  ],
  indexes: [
    'CREATE INDEX IF NOT EXISTS history_v1_ledger ON history_v1 (ledger_id, position)',
    'CREATE INDEX IF NOT EXISTS history_v1_unit ON history_v1 (ledger_id, unit_id, position)',
    'CREATE INDEX IF NOT EXISTS history_v1_event ON history_v1 (event_id)',
    // Which correction superseded an event: looked up for every row a history page shows (a partial index: corrections are few).
    'CREATE INDEX IF NOT EXISTS history_v1_corrects ON history_v1 (corrects, position) WHERE corrects IS NOT NULL',
  ],
  apply(event, tables) {
    applyHistory([event], tables);
  },
  applyBatch: applyHistory,
};

const COLUMNS = ['position', 'event_id', 'ledger_id', 'unit_id', 'stream', 'revision', 'type', 'recorded_at', 'actor', 'role', 'correlation_id', 'data', 'corrects'];

/** One row per event about a ledger, written with multi-row INSERTs. */
function applyHistory(events: readonly StoredEvent[], tables: ReadModelTables): void {
  const rows: unknown[][] = [];
  for (const event of events) {
    const ledgerId = event.data.ledgerId;
    if (typeof ledgerId !== 'string') continue;
    const metadata = event.metadata as Record<string, unknown>;
    rows.push([
      event.position,
      event.id,
      ledgerId,
      typeof event.data.unitId === 'string' ? event.data.unitId : null,
      event.stream,
      event.revision,
      event.type,
      event.recordedAt,
      (metadata.actor as string) ?? null,
      (metadata.role as string) ?? null,
      (metadata.correlationId as string) ?? null,
      JSON.stringify(event.data),
      typeof event.data.corrects === 'string' ? event.data.corrects : null,
    ]);
  }
  insertRows(tables, 'history_v1', COLUMNS, rows);
}

export interface HistoryRow {
  position: number;
  event_id: string;
  ledger_id: string;
  unit_id: string | null;
  stream: string;
  revision: number;
  type: string;
  recorded_at: string;
  actor: string | null;
  role: string | null;
  correlation_id: string | null;
  data: string;
  corrects: string | null;
}
