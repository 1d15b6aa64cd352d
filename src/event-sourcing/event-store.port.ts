import type { EncodedEvent } from './encoded-event';
/**
 * The one port every event store implements, with EventStoreDB's semantics:
 * streams with revisions from 0, atomic appends with an expected state, idempotent
 * re-appends by event id at an exact revision, reads by stream and over the whole log, and a
 * catch-up subscription that turns live. Both adapters pass tests/contract/event-store.contract.ts.
 * Where EventStoreDB promises less than the embedded store, the port promises what both keep
 * (each weaker promise is said where it applies): the engine relies on nothing more.
 */

/** A JSON object: what `data` and `metadata` hold (primitives, ISO strings, arrays, objects). */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface NewEvent {
  /**
   * A UUID chosen by the caller. The same ids re-appended to the same stream with the same exact
   * revision (or 'no-stream') append nothing new, always. With 'any' or 'stream-exists' this is best
   * effort: EventStoreDB remembers ids only in a bounded in-memory cache, emptied by a restart.
   */
  id: string;
  /** A stable past-tense name, never a class name. */
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface StoredEvent extends NewEvent {
  stream: string;
  /** 0 for a stream's first event. */
  revision: number;
  /**
   * Global position in the whole log: strictly increasing in log order, starting above 0. The
   * store's own numbering (EventStoreDB's are byte offsets): an exported log imported into another
   * store gets other positions.
   */
  position: number;
  /**
   * ISO-8601 UTC time the store recorded the event; never decreasing in log order. On EventStoreDB
   * it is the writing process's clock held above the last recorded time (not the leader's clock, which
   * can step back); two processes writing at once may still interleave their times.
   */
  recordedAt: string;
}

/**
 * What the caller expects of the stream before its append:
 * - 'any': no check;
 * - 'no-stream': the stream has no event;
 * - 'stream-exists': the stream has at least one event;
 * - a number: the revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no-stream' | 'stream-exists' | number;

export interface AppendResult {
  /** The revision of the stream's last event after the append (of the batch's last event). */
  nextRevision: number;
  /** The global position of the batch's last event. */
  position: number;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  stream: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive; default the first (forwards) or last (backwards) event. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with a greater position. 0 (the default) reads from the start. */
  after?: number;
  maxCount?: number;
}

export type SubscriptionMessage =
  | { kind: 'event'; event: StoredEvent }
  /** Sent once, when the subscription has delivered every event that existed when it caught up; live events follow. */
  | { kind: 'caught-up'; position: number };

export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  /** Ends the iteration; resolves once resources are released. */
  close(): Promise<void>;
}

/** What an unfinished import left in the store: which file, and how far it had got. */
export interface ImportMarker {
  /** sha256 of the export file being imported: only the same file may resume it. */
  fileDigest: string;
  /** Events in the file. */
  events: number;
  startedAt: string;
}

/** An event to restore; `text`, when given, is the canonical text of its data and metadata (cut from a checked export line), for a store that keeps text to store as is. */
export interface RestoredEvent extends StoredEvent {
  text?: { data: string; metadata: string };
}

export interface EventStore {
  /**
   * Appends atomically: all events or none. Throws WrongExpectedRevisionError, PayloadTooLargeError,
   * StoreUnavailableError; with fault 'write-unconfirmed' (EventStoreDB: no answer in time) the
   * events may have been written, and a repeat with the same ids at the same exact revision tells.
   */
  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams as one, for a whole file of submissions. `plan` runs once the store's
   * write lock is held, so the streams it reads cannot move before its appends are written; it may
   * throw to append nothing. The embedded store writes everything in one transaction (all or
   * nothing, yielding to the event loop between chunks); EventStoreDB has no multi-stream
   * transaction, so it appends stream by stream (callers give deterministic event ids so that a
   * resubmission completes an interrupted one without duplicates).
   */
  appendPlanned(plan: () => Promise<StreamAppend[]>, onProgress?: (done: number, total: number) => void): Promise<AppendResult[]>;
  /** Reads a stream's events; an absent stream yields nothing. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  /** Reads the whole log in global order: this ledger's events only (no system events, no other application's). */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /** Optional: readAll's events already encoded for verify, the tree and export (encoded-event.ts), where the store can do it faster than parsing them. */
  readEncoded?(options?: ReadAllOptions): AsyncIterable<EncodedEvent>;
  /** Catches up from `after` (exclusive), says so, then delivers new events as they are appended. */
  subscribeToAll(options?: { after?: number }): Subscription;
  /**
   * Restores exported events exactly: ids, streams, revisions, data, metadata and recorded times
   * (and positions, where the store lets a client choose them). Only for `import` into an empty
   * store; revisions must follow on in each stream.
   */
  restore(events: RestoredEvent[], options?: { finishesImport?: boolean }): Promise<void>;
  /**
   * Optional: takes back the events an import restored after `position` (and the import's mark when
   * no event is left), so that a file failing part-way imports nothing. A store without it has the
   * file checked in a pass of its own before anything is restored.
   */
  discardImport?(position: number): Promise<void>;
  /** Marks the store as being imported into (before the first restore); the restore given `finishesImport` clears the mark with its last events. */
  beginImport(marker: ImportMarker): Promise<void>;
  /** The unfinished import, if the store is being (or was, when killed) imported into; null when the log is whole. */
  unfinishedImport(): Promise<ImportMarker | null>;
  /** The position of the last event of the log, 0 when empty. */
  headPosition(): Promise<number>;
  /** The position of the event with this id, null when the log has none (what an inclusion proof by event id starts from). */
  positionOf(eventId: string): Promise<number | null>;
  /** Throws StoreUnavailableError when the store cannot serve: unreachable, read-only, or its last write failed for want of space. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
