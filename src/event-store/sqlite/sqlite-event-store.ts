import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../../event-sourcing/clock';
import { assertEventSizes, DEFAULT_MAX_EVENT_BYTES, WrongExpectedRevisionError } from '../../event-sourcing/errors';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  Subscription,
} from '../../event-sourcing/event-store.port';
import { assertExpectedRevision } from '../../event-sourcing/expected-revision';
import { EVENT_LOG_SCHEMA, type EventRow } from './schema';
import { pollingSubscription } from './polling-subscription';

export interface SqliteEventStoreOptions {
  maxEventBytes?: number;
  clock?: Clock;
  /** How often a live subscription looks for events appended by another process. */
  pollIntervalMs?: number;
  /** Rows per read page: bounds memory while streaming the log. */
  pageSize?: number;
}

const COLUMNS = 'position, id, stream, revision, type, data, metadata, recorded_at';

/**
 * The embedded store: one SQLite file in WAL mode. `synchronous = FULL` makes every committed
 * append fsync the WAL before the call returns, so an acknowledged event survives a power loss
 * (NORMAL would only survive a process crash). Appends run in `BEGIN IMMEDIATE` transactions so
 * a second process writing the same file waits (busy_timeout) instead of failing.
 */
export class SqliteEventStore implements EventStore {
  readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly maxEventBytes: number;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly appended = new EventEmitter();
  private readonly statements;
  private readonly appendTransaction;

  constructor(readonly path: string, options: SqliteEventStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(EVENT_LOG_SCHEMA);
    this.clock = options.clock ?? systemClock;
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.pageSize = options.pageSize ?? 1000;
    this.appended.setMaxListeners(0);
    this.statements = {
      head: this.db.prepare<[string], { revision: number }>('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
      byId: this.db.prepare<[string], { stream: string; revision: number; position: number }>('SELECT stream, revision, position FROM events WHERE id = ?'),
      lastRecorded: this.db.prepare<[], { recorded_at: string; position: number }>('SELECT recorded_at, position FROM events ORDER BY position DESC LIMIT 1'),
      insert: this.db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      restore: this.db.prepare('INSERT INTO events (position, id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      forwards: this.db.prepare<[string, number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`),
      backwards: this.db.prepare<[string, number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`),
      all: this.db.prepare<[number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`),
    };
    this.appendTransaction = this.db.transaction((stream: string, events: NewEvent[], expected: ExpectedRevision) =>
      this.appendInTransaction(stream, events, expected),
    );
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new TypeError('append needs at least one event');
    assertEventSizes(events, this.maxEventBytes);
    const result = this.appendTransaction.immediate(stream, events, expected);
    this.appended.emit('append');
    return result;
  }

  private appendInTransaction(stream: string, events: NewEvent[], expected: ExpectedRevision): AppendResult {
    const head = this.statements.head.get(stream)?.revision ?? -1;
    const retried = this.alreadyAppended(stream, events, expected, head);
    if (retried) return retried;
    assertExpectedRevision(stream, expected, head);
    const last = this.statements.lastRecorded.get();
    const now = this.clock.now().toISOString();
    // Recorded times never decrease in log order, even if the wall clock steps back.
    const recordedAt = last && last.recorded_at > now ? last.recorded_at : now;
    let position = 0;
    events.forEach((event, index) => {
      const info = this.statements.insert.run(
        event.id,
        stream,
        head + 1 + index,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
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
  private alreadyAppended(stream: string, events: NewEvent[], expected: ExpectedRevision, head: number): AppendResult | null {
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

  async restore(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    assertEventSizes(events, this.maxEventBytes);
    this.db
      .transaction(() => {
        const last = this.statements.lastRecorded.get();
        // Stream heads as the batch moves them: one index look-up per stream, not per event.
        const heads = new Map<string, number>();
        for (const event of events) {
          const head = heads.get(event.stream) ?? this.statements.head.get(event.stream)?.revision ?? -1;
          assertExpectedRevision(event.stream, event.revision - 1 === -1 ? 'no-stream' : event.revision - 1, head);
          heads.set(event.stream, event.revision);
          if (last && (event.position <= last.position || event.recordedAt < last.recorded_at)) {
            throw new Error(`restore: event ${event.id} at position ${event.position} does not follow the log's last event (position ${last.position})`);
          }
          this.statements.restore.run(event.position, event.id, event.stream, event.revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), event.recordedAt);
        }
      })
      .immediate();
    this.appended.emit('append');
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    while (remaining > 0) {
      const limit = Math.min(remaining, this.pageSize);
      const rows = (backwards ? this.statements.backwards : this.statements.forwards).all(stream, from, limit);
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

  /** One page of the log after a position: the unit the subscription and the projection runner read. */
  readPage(after: number, limit: number = this.pageSize): StoredEvent[] {
    return this.statements.all.all(after, limit).map(toStoredEvent);
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
    return this.statements.lastRecorded.get()?.position ?? 0;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.appended.emit('close');
    if (this.db.open) this.db.close();
  }
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
