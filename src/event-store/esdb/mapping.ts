/**
 * Pure mappings between our EventStore port and @eventstore/db-client 6.2 (no I/O, so they are unit-tested
 * without a server). Numbering and errors are mapped here and nowhere above the adapter.
 *
 * ## Positions: why `position` is the event's commit position (equal to its prepare position)
 *
 * EventStoreDB (v20.6 and later, and KurrentDB) writes every event of a single-stream append as its own
 * prepare record flagged `IsCommitted` (an implicit transaction): each event has its own log position, and
 * the batch's `TransactionPosition` is the first event's. For such "self-committed" events the server
 * reports the position `(commit, prepare) = (event log position, event log position)`:
 * - reading `$all`: `AllReader.ReadAllEventsForward/Backward` builds `new CommitEventRecord(eventRecord,
 *   prepare.LogPosition)` for committed prepares and compares `new TFPos(prepare.LogPosition,
 *   prepare.LogPosition)` with the requested position (EventStore/EventStore,
 *   src/EventStore.Core/Services/Storage/ReaderIndex/AllReader.cs);
 * - reading a stream (server ≥ 22.6): `ResolvedEvent.CalculatePosition` returns
 *   `new TFPos(@event.LogPosition, @event.LogPosition)` when `@event.IsSelfCommitted`, and no position
 *   otherwise (src/EventStore.Core/Data/ResolvedEvent.cs; the gRPC layer sends "no position" as
 *   2^64-1, which we treat as unknown);
 * - appending: the storage chaser acknowledges an implicit transaction with `CommitAck(record.LogPosition,
 *   record.TransactionPosition, …)` of its last (`TransactionEnd`) prepare and the `WriteEvents` request
 *   manager answers `WriteEventsCompleted(…, CommitPosition, CommitPosition)`: the append's position is
 *   the batch's LAST event's position, exactly as `$all` reports that event.
 *
 * So the commit position is NOT shared by the events of one append (it was only for explicit
 * multi-request transactions of the legacy TCP API, which gRPC cannot create), and commit = prepare for
 * every event we write. Before EventStore/EventStore#2522 (June 2020, shipped in 20.6) the gRPC layer sent
 * the transaction position as `prepare`, i.e. a value SHARED by a batch's events; the commit position was
 * already the event's own. Hence we use the commit position: unique per event, in `$all` order, and equal
 * to the prepare position on every current server.
 *
 * Resuming: our number n maps back to the Position {commit: n, prepare: n}, which is the exact `$all`
 * position of the event at n. Reading `$all` forwards from a position includes the event there (client
 * test packages/test/src/streams/readAll.test.ts reads `maxCount: 1` from an event's position and gets that
 * event); subscribing from a position excludes it (client test subscribeToAll.test.ts "from position"
 * counts 3 + 4 events after the marker it starts from). Either way the adapter also drops every event at
 * or below the checkpoint, so a resume neither duplicates nor skips.
 */
import {
  ANY,
  CancelledError,
  DeadlineExceededError,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  TimeoutError,
  UnavailableError,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AppendExpectedRevision,
  CurrentRevision,
  EventData,
  MaxAppendSizeExceededError,
  Position,
  ReadPosition,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { PayloadTooLargeError, StoreUnavailableError, WrongExpectedRevisionError, eventBytes } from '../../event-sourcing/errors';
import type { ExpectedRevision, JsonObject, NewEvent, StoredEvent } from '../../event-sourcing/event-store.port';

/** What the gRPC layer sends for "no position" (`Position.FromInt64(-1, -1)`: 2^64 - 1). */
export const NO_POSITION = 0xffff_ffff_ffff_ffffn;

// ---------------------------------------------------------------------------------------------------
// Expected revision
// ---------------------------------------------------------------------------------------------------

/** Our expected state → the client's `expectedRevision` (ANY, NO_STREAM, STREAM_EXISTS or a bigint revision). */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`expected revision must be 'any', 'no-stream', 'stream-exists' or a revision >= 0, got ${String(expected)}`);
      }
      return BigInt(expected);
  }
}

/** The client's expected revision (as it reports it in a WrongExpectedVersionError) → ours. */
export function fromClientExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  switch (expected) {
    case ANY:
      return 'any';
    case NO_STREAM:
      return 'no-stream';
    case STREAM_EXISTS:
      return 'stream-exists';
    default:
      // The server's trailer form uses the legacy ExpectedVersion numbers: -1 no stream, -2 any, -4 stream exists.
      if (expected === -1n) return 'no-stream';
      if (expected === -2n) return 'any';
      if (expected === -4n) return 'stream-exists';
      return toSafeNumber(expected, 'expected revision');
  }
}

/** The client's current revision (a bigint, or the NO_STREAM sentinel) → our `actual`. */
export function toActualRevision(current: CurrentRevision | undefined): number | 'no-stream' {
  if (current === undefined || current === NO_STREAM) return 'no-stream';
  if (current < 0n) return 'no-stream';
  return toSafeNumber(current, 'revision');
}

/**
 * The client's WrongExpectedVersionError → ours. `expected` is what our caller passed (the client reports it
 * in its own vocabulary, sometimes as "any" when the server omits it); without it, the client's value is mapped.
 */
export function toWrongExpectedRevisionError(
  error: Pick<WrongExpectedVersionError, 'streamName' | 'expectedVersion' | 'actualVersion'>,
  stream: string,
  expected?: ExpectedRevision,
): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(
    stream || error.streamName,
    expected ?? fromClientExpectedRevision(error.expectedVersion),
    toActualRevision(error.actualVersion),
  );
}

// ---------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);

/** True when an error means the server could not be reached or dropped us (worth a retry later). */
export function isUnavailableError(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError || // the server cancelled the call (shutting down)
    error instanceof TimeoutError || // gRPC ABORTED: server-side timeout, or a live subscription dropped as too slow
    error instanceof NotLeaderError // the client reconnects to the leader on the next call
  ) {
    return true;
  }
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  // Cluster discovery (gossip) failure is a plain Error in 6.2: "Failed to discover after N attempts."
  return typeof message === 'string' && message.startsWith('Failed to discover');
}

/** The node asked is not the leader (it names the leader; the client connects there on the next call). */
export function isNotLeaderError(error: unknown): boolean {
  return error instanceof NotLeaderError;
}

/**
 * An append that ran out of time or was cancelled may have been written: the server commits independently of
 * the answer reaching us. Said so (`write-unconfirmed`), rather than "unavailable", which reads as "not written".
 */
export function toAppendError(error: unknown): unknown {
  if (error instanceof DeadlineExceededError || error instanceof CancelledError) {
    return new StoreUnavailableError('write-unconfirmed', { cause: error, detail: error.message });
  }
  return toStoreError(error);
}

/**
 * KurrentDB's own schemes (`kurrentdb://`, `kurrent://`, with `+discover`) → `esdb://`: the 6.2 client parses
 * only `esdb`, and KurrentDB speaks the same gRPC protocol.
 */
export function toClientConnectionString(connectionString: string): string {
  return connectionString.replace(/^(?:kurrentdb|kurrent)(\+discover)?:\/\//i, (_, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

/** Maps unreachable-server errors to StoreUnavailableError; returns every other error unchanged. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isUnavailableError(error)) return error;
  const message = error instanceof Error && error.message ? error.message : String(error);
  return new StoreUnavailableError(message);
}

/**
 * The server refuses an append larger than its MaxAppendSize (1 MiB by default) for the whole batch, which
 * our per-event check cannot see. Reported as our PayloadTooLargeError on the batch's first event with the
 * batch's total size.
 */
export function toPayloadTooLargeError(error: Pick<MaxAppendSizeExceededError, 'maxAppendSize'>, events: readonly NewEvent[]): PayloadTooLargeError {
  const total = events.reduce((sum, event) => sum + eventBytes(event), 0);
  return new PayloadTooLargeError(events[0]?.id ?? '', total, error.maxAppendSize);
}

// ---------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------

/**
 * Every event this adapter writes carries its recorded time in this metadata key, chosen by the adapter and
 * never decreasing (see EsdbEventStore.recordedAtNow); an imported event keeps its exported time. Reads take
 * it back out, so the metadata (and the hash chain over it) is exactly what was appended. Why not the
 * server's `created`: it is the leader's wall clock, which steps back after an NTP correction or a failover
 * to a node whose clock is behind, and then `verify` sees the global order changed.
 * The key is also how our events are told from another application's in the same database: an event
 * without it was not written by this ledger and is never read as ours.
 */
export const RECORDED_AT = '$recordedAt';

/** Our new event → the client's JSON event data; our id becomes the EventStoreDB event id (idempotency). */
export function toEventData(event: NewEvent, recordedAt: string): EventData {
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: { ...event.metadata, [RECORDED_AT]: recordedAt } });
}

export function toRestoredEventData(event: StoredEvent): EventData {
  return toEventData(event, event.recordedAt);
}

/** The parts of the client's RecordedEvent the mapping reads. */
export interface RecordedLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** The parts of the client's ResolvedEvent / AllStreamResolvedEvent the mapping reads. */
export interface ResolvedLike {
  event?: RecordedLike;
  commitPosition?: bigint;
}

/** System streams (`$…`, incl. metadata streams `$$…`) and system event types (`$>` links, `$metadata`, `$statistics-collected` …). */
export function isSystemEvent(event: Pick<RecordedLike, 'streamId' | 'type'>): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** The `$all` position of a read or delivered event, if the server reported one. */
export function positionOfResolved(resolved: ResolvedLike): Position | undefined {
  const position = resolved.event?.position;
  if (position && position.commit !== NO_POSITION) return position;
  if (resolved.commitPosition !== undefined && resolved.commitPosition !== NO_POSITION) {
    return { commit: resolved.commitPosition, prepare: resolved.commitPosition };
  }
  return undefined;
}

/**
 * A read or delivered event → our StoredEvent, or undefined when it is not one of ours: a system event, not
 * JSON (data or metadata not a JSON object), or without our recorded time (another application's event).
 * Throws when one of ours comes without a position (a server older than 22.6 on a stream read).
 */
export function toStoredEvent(resolved: ResolvedLike): StoredEvent | undefined {
  const event = resolved.event;
  if (!event || isSystemEvent(event) || !event.isJson || !isJsonObject(event.data)) return undefined;
  const stored = event.metadata;
  if (!isJsonObject(stored)) return undefined;
  const { [RECORDED_AT]: recordedAt, ...metadata } = stored;
  if (typeof recordedAt !== 'string') return undefined;
  const position = toLogPosition(positionOfResolved(resolved));
  if (position === undefined) {
    throw new Error(
      `EventStoreDB reported no log position for event ${event.id} of ${event.streamId}@${event.revision}: ` +
        'stream reads carry positions from server version 22.6 on',
    );
  }
  return {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision: toSafeNumber(event.revision, 'revision'),
    position,
    recordedAt,
    data: event.data,
    metadata,
  };
}

// ---------------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------------

/** A client Position → our number (the commit position, see the top of this file); undefined if unknown. */
export function toLogPosition(position: Position | undefined): number | undefined {
  if (!position || position.commit === NO_POSITION || position.commit < 0n) return undefined;
  return toSafeNumber(position.commit, 'log position');
}

/** Our number → the exact `$all` Position of the event there; START for 0 (the whole log). */
export function toReadPosition(after: number): ReadPosition {
  if (!Number.isSafeInteger(after) || after < 0) throw new RangeError(`a log position must be an integer >= 0, got ${after}`);
  if (after === 0) return START;
  const position = BigInt(after);
  return { commit: position, prepare: position };
}

/** Orders two `$all` positions as the log does: by commit, then prepare. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Whether an event at `position` is to be delivered after the checkpoint `after` (exclusive). */
export function isAfter(position: number | undefined, after: number): boolean {
  return position !== undefined && position > after;
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${value} does not fit a JavaScript number`);
  }
  return Number(value);
}

// ---------------------------------------------------------------------------------------------------
// Catch-up
// ---------------------------------------------------------------------------------------------------

/**
 * Decides when a catch-up subscription says `caught-up`, once. Two signals, whichever comes first:
 * - the head: the position of the last user event when the subscription started (read before subscribing).
 *   Caught up as soon as an event at or beyond it has been received (delivered or filtered out), or at once
 *   when the head is at or below `after`. Works with every server version.
 * - the server's CaughtUp message (EventStoreDB ≥ 23.10, EventStore/EventStore#3899; the client emits
 *   `caughtUp` since 6.1.0). The client emits it while events received before it may still sit in the
 *   Readable's buffer, so the caller passes that buffer's length and the signal takes effect once that many
 *   more events have been received.
 * The `caught-up` position is that of the last delivered event, or `after` when none was.
 */
export class CatchUpTracker {
  private head: number | undefined;
  private lastSeen: number;
  private lastDelivered: number;
  private received = 0;
  private serverThreshold: number | undefined;
  private done = false;

  constructor(after: number) {
    this.lastSeen = after;
    this.lastDelivered = after;
  }

  get caughtUp(): boolean {
    return this.done;
  }

  /** The head read at start; returns the caught-up position if that already decides it. */
  onHead(head: number): number | undefined {
    this.head = head;
    return this.check();
  }

  /** Every event received from the server, delivered or not; returns the caught-up position if reached. */
  onReceived(position: number | undefined, delivered: boolean): number | undefined {
    this.received += 1;
    if (position !== undefined) {
      if (position > this.lastSeen) this.lastSeen = position;
      if (delivered && position > this.lastDelivered) this.lastDelivered = position;
    }
    return this.check();
  }

  /** The server's CaughtUp, with `buffered` events received before it but not yet handed to onReceived. */
  onServerCaughtUp(buffered: number): number | undefined {
    const threshold = this.received + Math.max(0, buffered);
    this.serverThreshold = this.serverThreshold === undefined ? threshold : Math.min(this.serverThreshold, threshold);
    return this.check();
  }

  private check(): number | undefined {
    if (this.done) return undefined;
    const headReached = this.head !== undefined && this.lastSeen >= this.head;
    const serverSaid = this.serverThreshold !== undefined && this.received >= this.serverThreshold;
    if (!headReached && !serverSaid) return undefined;
    this.done = true;
    return this.lastDelivered;
  }
}
