import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { guarded } from '../event-store/sqlite/sqlite-faults';
import type { ReadModelTables } from '../../projections/projection';

/**
 * The read-model database: a SQLite file of derived tables plus each projection's checkpoint.
 * Derived data can always be rebuilt from the log, so `synchronous = NORMAL` (durable across a
 * process crash; a power loss may drop the last commits, which the runner simply re-applies
 * because the checkpoint moves in the same transaction).
 */
export function openReadModelDb(path: string): Database.Database {
  return guarded(() => openDb(path));
}

/** How long SQLite may block the event loop on a busy read-model file; the runner waits longer asynchronously. */
export const READ_MODEL_BUSY_TIMEOUT_MS = 50;

function openDb(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${READ_MODEL_BUSY_TIMEOUT_MS}`);
  // A 32 MiB page cache (SQLite's default is 2 MiB): a rebuild writes about ten index entries per event.
  db.pragma('cache_size = -32768');
  db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL
  )`);
  return db;
}

/** ReadModelTables over a database, with statements cached by their SQL text. */
export function tablesOf(db: Database.Database): ReadModelTables {
  const cache = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let prepared = cache.get(sql);
    if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
    return prepared;
  };
  return {
    run: (sql, ...params) => void statement(sql).run(...params),
    get: <Row>(sql: string, ...params: unknown[]) => statement(sql).get(...params) as Row | undefined,
    all: <Row>(sql: string, ...params: unknown[]) => statement(sql).all(...params) as Row[],
  };
}
