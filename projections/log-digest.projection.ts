import { EMPTY_LOG_DIGEST, nextLogDigest } from '../src/event-sourcing/log-digest';
import type { StoredEvent } from '../src/event-sourcing/event-store.port';
import { insertRows } from './insert-rows';
import type { Projection, ReadModelTables } from './projection';

/** The log's running digest after every event, by position: the digest as of any moment is one lookup. */
export const logDigestProjection: Projection = {
  name: 'log_digest',
  version: 1,
  handles: 'all',
  tables: ['log_digest_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS log_digest_v1 (
      position INTEGER PRIMARY KEY,
      recorded_at TEXT NOT NULL,
      events INTEGER NOT NULL,
      digest TEXT NOT NULL
    )`,
  ],
  indexes: [
    'CREATE INDEX IF NOT EXISTS log_digest_v1_time ON log_digest_v1 (recorded_at)',
  ],
  apply(event, tables) {
    applyDigests([event], tables);
  },
  applyBatch: applyDigests,
};

const COLUMNS = ['position', 'recorded_at', 'events', 'digest'];

/** The previous digest read once per batch, then carried on in memory; the batch's rows written with multi-row INSERTs. */
function applyDigests(events: readonly StoredEvent[], tables: ReadModelTables): void {
  const previous = tables.get<{ digest: string; events: number }>('SELECT digest, events FROM log_digest_v1 ORDER BY position DESC LIMIT 1');
  let digest = previous?.digest ?? EMPTY_LOG_DIGEST;
  let count = previous?.events ?? 0;
  const rows: unknown[][] = [];
  for (const event of events) {
    digest = nextLogDigest(digest, String(event.metadata.hash ?? ''));
    count += 1;
    rows.push([event.position, event.recordedAt, count, digest]);
  }
  insertRows(tables, 'log_digest_v1', COLUMNS, rows);
}
