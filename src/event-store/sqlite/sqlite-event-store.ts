import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../../event-sourcing/clock';
import { assertEventSizes, DEFAULT_MAX_EVENT_BYTES, PayloadTooLargeError, StoreUnavailableError, WrongExpectedRevisionError } from '../../event-sourcing/errors';
import { eventLoopPauser } from '../../event-sourcing/event-loop';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ImportMarker,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RestoredEvent,
  StoredEvent,
  StreamAppend,
  Subscription,
} from '../../event-sourcing/event-store.port';
import { assertExpectedRevision } from '../../event-sourcing/expected-revision';
import { canonicalJson, canonicalJsonOf } from '../../event-sourcing/canonical-json';
import { encodeStoredEvent, lineTexts, type EncodedEvent } from '../../event-sourcing/encoded-event';
import { chainedTextOf } from '../../event-sourcing/hash-chain';
import { EVENT_LOG_SCHEMA, type EventRow } from './schema';
import { pollingSubscription } from './polling-subscription';
import { asStoreError, faultOf, guarded, whenUnlocked } from './sqlite-faults';

export interface SqliteEventStoreOptions {
  maxEventBytes?: number;
  clock?: Clock;
  /** How often a live subscription looks for events appended by another process. */
  pollIntervalMs?: number;
  /** Rows per read page: bounds memory while streaming the log. */
  pageSize?: number;
  /** How long an append waits (asynchronously) for a lock held by another writer before the store is reported unavailable. */
  lockDeadlineMs?: number;
}

/** What SQLite itself may block the event loop for on a busy file; longer waits are asynchronous (whenUnlocked). */
const BUSY_TIMEOUT_MS = 20;
/** Rows inserted between two turns of the event loop in a long append. */
const INSERT_CHUNK = 500;
const IMPORT_MARKER = 'import';
/** SQLite's page cache (negative: KiB): its default, and an import's while it restores (the id index of 1,000,000 events is about 50 MB). */
const DEFAULT_CACHE_SIZE = -2000;
const RESTORE_CACHE_SIZE = -65536;
/** The first position whose data and metadata were written as canonical text (earlier rows, from before the format, as JSON.stringify wrote them). */
const CANONICAL_FROM_MARKER = 'canonical-from';

const COLUMNS = 'position, id, stream, revision, type, data, metadata, recorded_at';

/**
 * The embedded store: one SQLite file in WAL mode. `synchronous = FULL` makes every committed
 * append fsync the WAL before the call returns, so an acknowledged event survives a power loss
 * (NORMAL would only survive a process crash). Appends run in `BEGIN IMMEDIATE` transactions; a
 * lock held by another writer is waited for asynchronously up to a deadline (the event loop is never
 * held longer than a short busy timeout), then the store is reported unavailable. A file that can
 * only be read is opened read-only: it can be verified and exported, and appends are refused.
 */
export class SqliteEventStore implements EventStore {
  readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly maxEventBytes: number;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly appended = new EventEmitter();
  private readonly lockDeadlineMs: number;
  private readonly statements;
  private readonly appendTransaction;
  private readonly groupTransaction;
  /** Appends waiting for the next group commit, and the commits under way (null when idle). */
  private pending: PendingAppend[] = [];
  private committing: Promise<void> | null = null;
  /** The fault of the last write, until a write succeeds again: a full disk is seen by writes only. */
  private writeFault: StoreUnavailableError | null = null;

  constructor(readonly path: string, options: SqliteEventStoreOptions = {}) {
    this.db = openLog(path);
    this.clock = options.clock ?? systemClock;
    this.lockDeadlineMs = options.lockDeadlineMs ?? 5000;
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.pageSize = options.pageSize ?? 1000;
    this.appended.setMaxListeners(0);
    this.statements = {
      head: this.db.prepare<[string], { revision: number }>('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
      byId: this.db.prepare<[string], { stream: string; revision: number; position: number }>('SELECT stream, revision, position FROM events WHERE id = ?'),
      lastRecorded: this.db.prepare<[], { recorded_at: string; position: number }>('SELECT recorded_at, position FROM events ORDER BY position DESC LIMIT 1'),
      insert: this.db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      // One row a statement: measured faster than multi-row INSERTs of 10–200 rows (SQLite runs those through a co-routine).
      restore: this.db.prepare<RawRow>(`INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      forwards: this.db.prepare<[string, number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`),
      backwards: this.db.prepare<[string, number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`),
      allRaw: this.db.prepare<[number, number], RawRow>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`).raw(),
      marker: this.db.prepare<[string], { value: string }>('SELECT value FROM store_markers WHERE name = ?'),
    };
    this.markCanonicalFormat();
    // Nested in the group's transaction, an append of several events runs in a savepoint: a failed one rolls back alone.
    this.appendTransaction = this.db.transaction((stream: string, events: SerializedEvent[], expected: ExpectedRevision, recordedAt: string) =>
      this.appendInTransaction(stream, events, expected, recordedAt),
    );
    this.groupTransaction = this.db.transaction((group: PendingAppend[]) => {
      // One recorded time for the group (one commit): never before the log's last event.
      const recordedAt = this.nextRecordedAt(this.statements.lastRecorded.get());
      return group.map((append): Settled => {
        try {
          // One INSERT statement is atomic on its own: only an append of several events needs a savepoint.
          const args = [append.stream, append.events, append.expected, recordedAt] as const;
          return { ok: true, result: append.events.length === 1 ? this.appendInTransaction(...args) : this.appendTransaction(...args) };
        } catch (error) {
          // A conflict fails its caller only; a store fault (lock, full disk) fails the whole group.
          if (faultOf(error)) throw error;
          return { ok: false, error };
        }
      });
    });
  }

  /**
   * Group commit: the append joins every other append made before the event loop's next turn (or
   * while the previous group is being written), and they are written in one transaction with one
   * fsync. Each is checked against its own expected revision, in arrival order (two appends to one
   * stream see each other), a failed one fails only its caller, and each caller is answered only
   * once the commit covering its events is durable.
   */
  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new TypeError('append needs at least one event'));
    let serialized: SerializedEvent[];
    try {
      serialized = this.serialize(events);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ stream, events: serialized, expected, resolve, reject });
      this.committing ??= new Promise<void>((done) => setImmediate(done)).then(() => this.commitPending());
    });
  }

  /**
   * Each event's data and metadata as the canonical text stored (RFC 8785, the text the chain hash
   * covered: the data's is reused, not encoded again), serialised once (assertEventSizes' measure, on the same text).
   */
  private serialize(events: NewEvent[]): SerializedEvent[] {
    return events.map((event) => {
      const row = { id: event.id, type: event.type, data: canonicalJsonOf(event.data), metadata: canonicalJson(event.metadata) };
      const bytes = Buffer.byteLength(row.data) + Buffer.byteLength(row.metadata);
      if (bytes > this.maxEventBytes) throw new PayloadTooLargeError(event.id, bytes, this.maxEventBytes);
      return row;
    });
  }

  /** Commits groups until no append waits. */
  private async commitPending(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      await this.commitGroup(group);
    }
    this.committing = null;
  }

  /** Writes a group in one transaction; a fault of the store (lock, disk) fails every append of it. */
  private async commitGroup(group: PendingAppend[]): Promise<void> {
    let settled: Settled[];
    try {
      settled = await this.writing(() => whenUnlocked(() => this.groupTransaction.immediate(group), this.lockDeadlineMs));
    } catch (error) {
      group.forEach((append) => append.reject(error));
      return;
    }
    if (settled.some((s) => s.ok)) this.appended.emit('append');
    settled.forEach((s, index) => (s.ok ? group[index].resolve(s.result) : group[index].reject(s.error)));
  }

  /**
   * One transaction for every stream, on a connection of its own so that it can yield to the event
   * loop between chunks: this process's other appends wait for its lock (asynchronously) and its
   * readers never see its events before they are committed.
   */
  async appendPlanned(plan: () => Promise<StreamAppend[]>, onProgress?: (done: number, total: number) => void): Promise<AppendResult[]> {
    const results = await this.writing(async () => {
      const writer = this.path === ':memory:' ? this.db : openLog(this.path);
      try {
        await whenUnlocked(() => writer.exec('BEGIN IMMEDIATE'), this.lockDeadlineMs);
        try {
          const appends = await plan();
          appends.forEach((a) => assertEventSizes(a.events, this.maxEventBytes));
          const appendOne = writer.prepare('INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
          const head = writer.prepare<[string], { revision: number }>('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1');
          const recordedAt = this.nextRecordedAt(writer.prepare<[], { recorded_at: string }>('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1').get());
          const total = appends.reduce((n, a) => n + a.events.length, 0);
          const pause = eventLoopPauser();
          const done: AppendResult[] = [];
          let written = 0;
          for (const { stream, events, expected } of appends) {
            const from = head.get(stream)?.revision ?? -1;
            assertExpectedRevision(stream, expected, from);
            let position = 0;
            for (let i = 0; i < events.length; i += INSERT_CHUNK) {
              for (const [offset, event] of events.slice(i, i + INSERT_CHUNK).entries()) {
                const info = appendOne.run(event.id, stream, from + 1 + i + offset, event.type, canonicalJsonOf(event.data), canonicalJson(event.metadata), recordedAt);
                position = Number(info.lastInsertRowid);
              }
              written += Math.min(INSERT_CHUNK, events.length - i);
              onProgress?.(written, total);
              await pause();
            }
            done.push({ nextRevision: from + events.length, position });
          }
          writer.exec('COMMIT');
          return done;
        } catch (error) {
          if (writer.inTransaction) writer.exec('ROLLBACK');
          throw error;
        }
      } finally {
        if (writer !== this.db) writer.close();
      }
    });
    this.appended.emit('append');
    return results;
  }

  /** Runs a write, mapping store faults and remembering the last one for ping (a full disk shows only on writing). */
  private async writing<T>(work: () => Promise<T> | T): Promise<T> {
    try {
      const result = await work();
      this.writeFault = null;
      return result;
    } catch (error) {
      const mapped = asStoreError(error);
      if (mapped instanceof StoreUnavailableError && mapped.fault !== 'locked') this.writeFault = mapped;
      throw mapped;
    }
  }

  /** Recorded times never decrease in log order, even if the wall clock steps back. */
  private nextRecordedAt(last: { recorded_at: string } | undefined): string {
    const now = this.clock.now().toISOString();
    return last && last.recorded_at > now ? last.recorded_at : now;
  }

  private appendInTransaction(stream: string, events: SerializedEvent[], expected: ExpectedRevision, recordedAt: string): AppendResult {
    const head = this.statements.head.get(stream)?.revision ?? -1;
    const retried = this.alreadyAppended(stream, events, expected, head);
    if (retried) return retried;
    assertExpectedRevision(stream, expected, head);
    let position = 0;
    events.forEach((event, index) => {
      const info = this.statements.insert.run(
        event.id,
        stream,
        head + 1 + index,
        event.type,
        event.data,
        event.metadata,
        recordedAt,
      );
      position = Number(info.lastInsertRowid);
    });
    return { nextRevision: head + events.length, position };
  }

  /**
   * EventStoreDB's idempotency: when the batch's ids already stand in this stream, in order, and
   * the caller's expectation is 'any' or the one the original append met, nothing is appended
   * and the original result is returned.
   */
  private alreadyAppended(stream: string, events: SerializedEvent[], expected: ExpectedRevision, head: number): AppendResult | null {
    const first = this.statements.byId.get(events[0].id);
    if (!first) return null;
    const found = events.map((event) => this.statements.byId.get(event.id));
    const inPlace = found.every((row, index) => row && row.stream === stream && row.revision === first.revision + index);
    if (!inPlace) {
      if (first.stream !== stream) throw new Error(`event id ${events[0].id} is already used in stream ${first.stream}`);
      throw new WrongExpectedRevisionError(stream, expected, head);
    }
    const originalExpectation =
      expected === 'any' ||
      (expected === 'no-stream' && first.revision === 0) ||
      (expected === 'stream-exists' && first.revision > 0) ||
      expected === first.revision - 1;
    if (!originalExpectation) throw new WrongExpectedRevisionError(stream, expected, head);
    const lastRow = found[found.length - 1]!;
    return { nextRevision: lastRow.revision, position: lastRow.position };
  }

  /**
   * Restores a batch in one transaction. The texts stored are the events' canonical texts, as given
   * (import's, cut from its checked lines: nothing is encoded again) or encoded here. A bulk
   * load: a batch before the last commits without fsync (synchronous = NORMAL: a killed process loses
   * nothing committed, a power loss at worst a suffix, which the import's mark names); the batch that
   * finishes the import commits with FULL, whose fsync of the log covers every batch before it.
   */
  async restore(events: RestoredEvent[], options: { finishesImport?: boolean } = {}): Promise<void> {
    const rows = events.map((event): RawRow => {
      const data = event.text?.data ?? canonicalJsonOf(event.data);
      const metadata = event.text?.metadata ?? canonicalJson(event.metadata);
      const row: RawRow = [event.position, event.id, event.stream, event.revision, event.type, data, metadata, event.recordedAt];
      const bytes = Buffer.byteLength(row[5]) + Buffer.byteLength(row[6]);
      if (bytes > this.maxEventBytes) throw new PayloadTooLargeError(event.id, bytes, this.maxEventBytes);
      return row;
    });
    const transaction = this.db.transaction(() => {
      const last = this.statements.lastRecorded.get();
      // Stream heads as the batch moves them: one index look-up per stream, not per event.
      const heads = new Map<string, number>();
      let previous = last ? { position: last.position, recordedAt: last.recorded_at } : { position: 0, recordedAt: '' };
      for (const [position, id, stream, revision, , , , recordedAt] of rows) {
        const head = heads.get(stream) ?? this.statements.head.get(stream)?.revision ?? -1;
        assertExpectedRevision(stream, revision - 1 === -1 ? 'no-stream' : revision - 1, head);
        heads.set(stream, revision);
        if (position <= previous.position || recordedAt < previous.recordedAt) {
          throw new Error(`restore: event ${id} at position ${position} does not follow the log's last event (position ${previous.position})`);
        }
        previous = { position, recordedAt };
      }
      for (const row of rows) this.statements.restore.run(...row);
      if (options.finishesImport) this.db.prepare('DELETE FROM store_markers WHERE name = ?').run(IMPORT_MARKER);
    });
    this.db.pragma(`synchronous = ${options.finishesImport ? 'FULL' : 'NORMAL'}`);
    // The id index takes each event at a random place: a page cache that holds it spares the reads.
    this.db.pragma(`cache_size = ${RESTORE_CACHE_SIZE}`);
    try {
      await this.writing(() => whenUnlocked(() => transaction.immediate(), this.lockDeadlineMs));
    } finally {
      this.db.pragma('synchronous = FULL');
      if (options.finishesImport) this.db.pragma(`cache_size = ${DEFAULT_CACHE_SIZE}`);
    }
    this.appended.emit('append');
  }

  /**
   * Takes back what an import wrote after `position` (a file that failed part-way imports nothing), and
   * the import's mark when no event is left; AUTOINCREMENT's counter goes back with the rows.
   */
  async discardImport(position: number): Promise<void> {
    const discard = this.db.transaction(() => {
      this.db.prepare('DELETE FROM events WHERE position > ?').run(position);
      const left = this.statements.lastRecorded.get()?.position ?? 0;
      this.db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(left);
      if (left === 0) this.db.prepare('DELETE FROM store_markers WHERE name = ?').run(IMPORT_MARKER);
    });
    await this.writing(() => whenUnlocked(() => discard.immediate(), this.lockDeadlineMs));
  }

  async beginImport(marker: ImportMarker): Promise<void> {
    const mark = () => this.db.prepare('INSERT OR REPLACE INTO store_markers (name, value) VALUES (?, ?)').run(IMPORT_MARKER, JSON.stringify(marker));
    await this.writing(() => whenUnlocked(mark, this.lockDeadlineMs));
  }

  async unfinishedImport(): Promise<ImportMarker | null> {
    const row = guarded(() => this.db.prepare<[string], { value: string }>('SELECT value FROM store_markers WHERE name = ?').get(IMPORT_MARKER));
    return row ? (JSON.parse(row.value) as ImportMarker) : null;
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    while (remaining > 0) {
      const limit = Math.min(remaining, this.pageSize);
      const rows = guarded(() => (backwards ? this.statements.backwards : this.statements.forwards).all(stream, from, limit));
      for (const row of rows) yield toStoredEvent(row);
      remaining -= rows.length;
      if (rows.length < limit) return;
      from = rows[rows.length - 1].revision + (backwards ? -1 : 1);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let after = options.after ?? 0;
    while (remaining > 0) {
      const rows = this.readPage(after, Math.min(remaining, this.pageSize));
      for (const event of rows) yield event;
      remaining -= rows.length;
      if (rows.length < this.pageSize) return;
      after = rows[rows.length - 1].position;
    }
  }

  /**
   * The log's events encoded for verify, the tree and export, from the stored text without parsing it:
   * rows written as canonical text (from the canonical-from mark on) give their data and metadata as
   * stored, and a row edited to other text, even text meaning the same, fails its chain hash. Rows from
   * before the format (below the mark, or every row of a store never opened for writing since) are
   * parsed and encoded again, as before: their text was never canonical.
   */
  async *readEncoded(options: ReadAllOptions = {}): AsyncIterable<EncodedEvent> {
    const canonicalFrom = Number(guarded(() => this.statements.marker.get(CANONICAL_FROM_MARKER))?.value ?? Number.POSITIVE_INFINITY);
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let after = options.after ?? 0;
    while (remaining > 0) {
      const limit = Math.min(remaining, this.pageSize);
      const rows = guarded(() => this.statements.allRaw.all(after, limit));
      for (const row of rows) yield row[0] >= canonicalFrom ? encodeRow(row) : encodeStoredEvent(storedEventOf(row));
      remaining -= rows.length;
      if (rows.length < limit) return;
      after = rows[rows.length - 1][0];
    }
  }

  /**
   * Marks where canonical text starts, once: on a new store its first position, on a store written
   * before the format the position after its last row. A file this process cannot write, or one another
   * writer holds locked, is left unmarked for now (its rows are then all read as from before the format).
   */
  private markCanonicalFormat(): void {
    if (this.db.readonly || this.statements.marker.get(CANONICAL_FROM_MARKER)) return;
    try {
      this.db
        .prepare('INSERT OR IGNORE INTO store_markers (name, value) SELECT ?, COALESCE(MAX(position), 0) + 1 FROM events')
        .run(CANONICAL_FROM_MARKER);
    } catch (error) {
      if (!faultOf(error)) throw error;
    }
  }

  /** One page of the log after a position: the unit the subscription and the projection runner read. */
  readPage(after: number, limit: number = this.pageSize): StoredEvent[] {
    return guarded(() => this.statements.allRaw.all(after, limit)).map(storedEventOf);
  }

  subscribeToAll(options: { after?: number } = {}): Subscription {
    return pollingSubscription({
      after: options.after ?? 0,
      readPage: (after) => this.readPage(after),
      pageSize: this.pageSize,
      pollIntervalMs: this.pollIntervalMs,
      appended: this.appended,
    });
  }

  async headPosition(): Promise<number> {
    return guarded(() => this.statements.lastRecorded.get())?.position ?? 0;
  }

  async positionOf(eventId: string): Promise<number | null> {
    return guarded(() => this.statements.byId.get(eventId))?.position ?? null;
  }

  async ping(): Promise<void> {
    guarded(() => this.db.prepare('SELECT 1').get());
    if (this.db.readonly) throw new StoreUnavailableError('read-only');
    if (this.writeFault) throw this.writeFault;
  }

  async close(): Promise<void> {
    await this.committing;
    this.appended.emit('close');
    if (this.db.open) this.db.close();
  }
}

/** An event to append with its data and metadata already as stored JSON text. */
interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

interface PendingAppend {
  stream: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Settled = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * Opens the log file; a file that exists but cannot be written (a read-only file or file system) is
 * opened read-only. Anything else that stops it opening is StoreUnavailableError.
 */
function openLog(path: string): Database.Database {
  // SQLite would open a file it may not write read-only without a word: say so from the start (ping, /health).
  if (path !== ':memory:' && existsSync(path) && !writable(path)) return openReadOnly(path, null);
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma('busy_timeout = ' + BUSY_TIMEOUT_MS);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(EVENT_LOG_SCHEMA);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    const fault = faultOf(error);
    if ((fault === 'read-only' || fault === 'cannot-open') && path !== ':memory:' && existsSync(path)) return openReadOnly(path, error);
    throw asStoreError(error);
  }
}

/** A log that cannot be written, opened to be read (verify, export). SQLite cannot read a WAL log on a read-only file system (it needs its -shm file): that is said so. */
function openReadOnly(path: string, writeError: unknown): Database.Database {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = ' + BUSY_TIMEOUT_MS);
    db.prepare('SELECT 1 FROM events LIMIT 1').get();
    return db;
  } catch (error) {
    if (!writable(dirname(path))) throw new StoreUnavailableError('read-only', { cause: error, detail: 'on a read-only file system, where the log cannot be read either' });
    const mapped = asStoreError(error);
    throw mapped instanceof StoreUnavailableError ? mapped : new StoreUnavailableError('cannot-open', { cause: writeError });
  }
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A row as `.raw()` reads it, in COLUMNS' order. */
type RawRow = [position: number, id: string, stream: string, revision: number, type: string, data: string, metadata: string, recordedAt: string];

/**
 * A canonical row's encodings from its text. The export line is put together at once; the chain's
 * parts only when first asked (verify asks, the tree and export never do): only the (small) metadata
 * is parsed, for its chain links, and the text the chain hash covers is the metadata's with its `hash`
 * member taken out. Nothing here falls back to re-encoding: a row whose text is not what was hashed
 * (unparsable, spaced, reordered) fails its hash (so does one whose top-level keys are out of order).
 * Taking out the wrong member cannot make an altered row pass: the hash would have to cover itself.
 */
class CanonicalRow implements EncodedEvent {
  readonly lineHead: string;
  readonly lineTail: string;
  #chain: Pick<EncodedEvent, 'prevHash' | 'hash' | 'chained'> | null = null;

  constructor(
    readonly position: number,
    readonly id: string,
    readonly stream: string,
    readonly revision: number,
    readonly type: string,
    private readonly data: string,
    private readonly metadata: string,
    readonly recordedAt: string,
  ) {
    const { lineHead, lineTail } = lineTexts(this, data, metadata);
    this.lineHead = lineHead;
    this.lineTail = lineTail;
  }

  get prevHash(): unknown {
    return this.chainParts().prevHash;
  }

  get hash(): unknown {
    return this.chainParts().hash;
  }

  get chained(): string {
    return this.chainParts().chained;
  }

  private chainParts(): Pick<EncodedEvent, 'prevHash' | 'hash' | 'chained'> {
    return (this.#chain ??= chainPartsOf(this, this.data, this.metadata));
  }
}

function chainPartsOf(row: { id: string; stream: string; revision: number; type: string }, data: string, metadata: string): Pick<EncodedEvent, 'prevHash' | 'hash' | 'chained'> {
  let parsed: { hash?: unknown; prevHash?: unknown } = {};
  try {
    parsed = JSON.parse(metadata) ?? {};
  } catch {
    // Left for verify to name: no hash, so the hash does not match.
  }
  // The hash does not cover where its own member stands: the keys' order (hash's place among them) is checked here.
  const member = typeof parsed.hash === 'string' && keysInOrder(parsed) ? `"hash":${JSON.stringify(parsed.hash)}` : '';
  const at = member ? metadata.indexOf(member) : -1;
  let unhashed = metadata;
  if (at >= 0 && metadata[at - 1] === ',') unhashed = metadata.slice(0, at - 1) + metadata.slice(at + member.length);
  else if (at >= 0 && metadata[at + member.length] === ',') unhashed = metadata.slice(0, at) + metadata.slice(at + member.length + 1);
  else if (at >= 0) unhashed = metadata.slice(0, at) + metadata.slice(at + member.length);
  return { prevHash: parsed.prevHash, hash: parsed.hash, chained: chainedTextOf(row, data, unhashed) };
}

function encodeRow([position, id, stream, revision, type, data, metadata, recordedAt]: RawRow): EncodedEvent {
  return new CanonicalRow(position, id, stream, revision, type, data, metadata, recordedAt);
}

/** Whether an object's keys (JSON.parse keeps the text's order) stand in canonical order. */
function keysInOrder(value: object): boolean {
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  return true;
}

/** A `.raw()` row as an event: the log's reads in order (catch-up, subscriptions) build no named row object per event. */
function storedEventOf([position, id, stream, revision, type, data, metadata, recordedAt]: RawRow): StoredEvent {
  return { id, stream, revision, position, type, data: JSON.parse(data), metadata: JSON.parse(metadata), recordedAt };
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}
