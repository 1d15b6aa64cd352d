import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../../../src/event-sourcing/errors';
import { asStoreError, faultOf, whenUnlocked } from '../../../src/event-store/sqlite/sqlite-faults';

describe('SQLite faults → StoreUnavailableError', () => {
  it('names each fault by what the operator must fix, and leaves other errors alone', () => {
    expect(faultOf({ code: 'SQLITE_BUSY' })).toBe('locked');
    expect(faultOf({ code: 'SQLITE_READONLY_DBMOVED' })).toBe('read-only');
    expect(faultOf({ code: 'SQLITE_FULL' })).toBe('full');
    expect(faultOf({ code: 'SQLITE_CANTOPEN' })).toBe('cannot-open');
    expect(faultOf({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBeNull();
    const mapped = asStoreError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).message).toBe('event store unavailable: the disk of the store is full');
    expect((mapped as StoreUnavailableError).retryAfterSeconds).toBe(30);
    const other = new Error('no such table');
    expect(asStoreError(other)).toBe(other);
  });
});

describe('waiting for a lock held by another connection', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-lock-'));
  const path = join(directory, 'lock.db');
  const open = () => {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 0');
    return db;
  };
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('retries asynchronously until the lock is released, then does the work', async () => {
    const [holder, writer] = [open(), open()];
    writer.exec('CREATE TABLE IF NOT EXISTS t (n INTEGER)');
    holder.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 1);
    const release = setTimeout(() => holder.exec('ROLLBACK'), 100);
    await whenUnlocked(() => writer.prepare('INSERT INTO t VALUES (1)').run(), 2000);
    clearInterval(ticking);
    clearTimeout(release);
    // The event loop kept turning while the write waited.
    expect(ticks).toBeGreaterThan(5);
    expect(writer.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    holder.close();
    writer.close();
  });

  it('reports the store locked once the deadline passes', async () => {
    const [holder, writer] = [open(), open()];
    holder.exec('BEGIN IMMEDIATE');
    const error = await whenUnlocked(() => writer.exec('BEGIN IMMEDIATE'), 150).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).fault).toBe('locked');
    expect((error as StoreUnavailableError).retryAfterSeconds).toBe(1);
    holder.exec('ROLLBACK');
    holder.close();
    writer.close();
  });
});
