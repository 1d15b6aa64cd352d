/**
 * The EventStore port on EventStoreDB / KurrentDB through @eventstore/db-client 6.2 (gRPC).
 * Mappings (revisions, errors, events, positions, catch-up) live in ./mapping.ts, with the reasoning and
 * sources for the choice of positions; how calls reach the leader within a deadline, in ./calls.ts; the
 * subscription, in ./esdb-subscription.ts. Semantics are EventStoreDB's own:
 * - append: expected revision checked by the server; our event ids are the EventStoreDB event ids, so a
 *   re-append of the same ids at the same exact revision (or 'no-stream') is idempotent, from the server's
 *   index, always. With 'any' / 'stream-exists' the server only checks a bounded in-memory cache of recent
 *   ids that a restart empties: best effort, and the engine never relies on it (see the port).
 *   A failed expectation is an error even when the connection string sets `throwOnAppendFailure=false`.
 * - every call asks for the leader (no stale follower reads, read-your-writes after a failover).
 * - reads go in pages of PAGE_SIZE events, each page a short gRPC call collected before yielding, within
 *   readTimeoutMs, so nothing large sits in memory, no call stays open while the consumer works, and a
 *   stalled server is StoreUnavailableError rather than a hang.
 * - only our events are read: not system events (`$…`), not another application's (no recorded time of
 *   ours in the metadata, see RECORDED_AT). Reading `$all` needs a user allowed to (an admin, or an insecure node).
 * - recorded times are the adapter's, never decreasing (see recordedAtNow), not the leader's clock.
 * Needs a server ≥ 22.6 (positions on stream reads); the server's caught-up signal needs ≥ 23.10 but is not
 * relied upon (see CatchUpTracker).
 */
import { BACKWARDS, END, EventStoreDBClient, FORWARDS, MaxAppendSizeExceededError, START, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AppendResult as ClientAppendResult, EventData, Position, ReadPosition, ReadRevision, ResolvedEvent } from '@eventstore/db-client';
import { DEFAULT_MAX_EVENT_BYTES, PayloadTooLargeError, StoreUnavailableError, WrongExpectedRevisionError, assertEventSizes, eventBytes } from '../../event-sourcing/errors';
import { assertExpectedRevision } from '../../event-sourcing/expected-revision';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  ImportMarker,
  Subscription,
} from '../../event-sourcing/event-store.port';
import { LEADER, onLeader, readOnLeader } from './calls';
import { EsdbSubscription } from './esdb-subscription';
import {
  comparePositions,
  isAfter,
  positionOfResolved,
  toActualRevision,
  toAppendError,
  toClientConnectionString,
  toClientExpectedRevision,
  toEventData,
  toLogPosition,
  toPayloadTooLargeError,
  toRestoredEventData,
  toReadPosition,
  toStoreError,
  toStoredEvent,
  toWrongExpectedRevisionError,
} from './mapping';

/** Events per read call. */
const PAGE_SIZE = 1000;
/** Events per backwards call when looking for the last user event (usually found in the first page). */
const HEAD_PAGE_SIZE = 100;
/** The stream whose metadata holds the mark of an unfinished import. */
const IMPORT_MARKER_STREAM = 'ledgerimport-marker';
/** How long ping waits for an answer. */
const PING_TIMEOUT_MS = 5000;
/** How long one read call (a page) may take by default: pages are small, so this only catches a stalled server. */
const READ_TIMEOUT_MS = 30_000;
/** The server's default MaxAppendSize (1 MiB): an import run is cut below it. */
const DEFAULT_MAX_APPEND_BYTES = 1024 * 1024;
/** Room per event for what we add to its metadata (the recorded time) and JSON spacing. */
const PER_EVENT_OVERHEAD_BYTES = 256;

export interface EsdbEventStoreOptions {
  /** Per-event limit on data + metadata as UTF-8 JSON; default DEFAULT_MAX_EVENT_BYTES (1 MiB). */
  maxEventBytes?: number;
  /** How long one read call may wait for the server before StoreUnavailableError; default READ_TIMEOUT_MS. */
  readTimeoutMs?: number;
  /** The server's MaxAppendSize: import runs are cut below it; default 1 MiB (the server's default). */
  maxAppendBytes?: number;
}

export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly maxEventBytes: number;
  private readonly readTimeoutMs: number;
  /** The server's MaxAppendSize as we know it: lowered when a server refuses an import run with a smaller one. */
  private maxAppendBytes: number;
  private readonly subscriptions = new Set<EsdbSubscription>();
  /** Appends of this process, one at a time, so that recorded times follow the log order (see recordedAtNow). */
  private appending: Promise<unknown> = Promise.resolve();
  /** The last recorded time written or read at the head; undefined until first needed. */
  private lastRecordedAt: string | undefined;
  private closed = false;

  constructor(connectionString: string, options: EsdbEventStoreOptions = {}) {
    this.client = EventStoreDBClient.connectionString(toClientConnectionString(connectionString));
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.readTimeoutMs = options.readTimeoutMs ?? READ_TIMEOUT_MS;
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    // Before anything is sent: an oversized event refuses the whole batch.
    assertEventSizes(events, this.maxEventBytes);
    toClientExpectedRevision(expected); // validates `expected` before anything is read or sent
    if (events.length === 0) return this.appendNothing(stream, expected);

    const result = await this.oneAtATime(async () => {
      const recordedAt = await this.recordedAtNow();
      const sent = await this.send(stream, events.map((event) => toEventData(event, recordedAt)), expected, events);
      this.lastRecordedAt = recordedAt;
      return sent;
    });
    const nextRevision = Number(result.nextExpectedRevision);
    const position = toLogPosition(result.position) ?? (await this.positionOfRevision(stream, nextRevision));
    return { nextRevision, position };
  }

  /** Stream by stream, in order (no multi-stream transaction here): an interrupted file is completed by submitting it again. */
  async appendPlanned(plan: () => Promise<StreamAppend[]>, onProgress?: (done: number, total: number) => void): Promise<AppendResult[]> {
    const appends = await plan();
    const total = appends.reduce((n, a) => n + a.events.length, 0);
    const results: AppendResult[] = [];
    let done = 0;
    for (const { stream, events, expected } of appends) {
      results.push(await this.append(stream, events, expected));
      onProgress?.((done += events.length), total);
    }
    return results;
  }

  /** The import marker rides in the metadata of a stream of its own (metadata events are system events: readAll never yields them). */
  async beginImport(marker: ImportMarker): Promise<void> {
    await onLeader(() => this.client.setStreamMetadata(IMPORT_MARKER_STREAM, { importMarker: marker } as never, LEADER)).catch((error) => {
      throw toStoreError(error);
    });
  }

  async unfinishedImport(): Promise<ImportMarker | null> {
    const result = await onLeader(() => this.client.getStreamMetadata<{ importMarker?: ImportMarker }>(IMPORT_MARKER_STREAM, LEADER)).catch((error) => {
      throw toStoreError(error);
    });
    return (result.metadata as { importMarker?: ImportMarker } | undefined)?.importMarker ?? null;
  }

  /**
   * Appends exported events at their revisions, in runs of one stream each cut below the server's
   * MaxAppendSize (the server refuses a larger append whole, and an import must never stop on a
   * limit of the target store that the file's events each respect); recorded times ride in metadata.
   */
  async restore(events: StoredEvent[], options: { finishesImport?: boolean } = {}): Promise<void> {
    assertEventSizes(events, this.maxEventBytes);
    await this.oneAtATime(async () => {
      for (let start = 0; start < events.length; ) {
        const run = this.restoreRun(events, start);
        const first = run[0].revision;
        try {
          await this.send(run[0].stream, run.map(toRestoredEventData), first === 0 ? 'no-stream' : first - 1, run);
        } catch (error) {
          // A server configured below our MaxAppendSize names its own in the refusal: cut the runs below that.
          const limit = error instanceof PayloadTooLargeError ? error.limit : undefined;
          if (run.length > 1 && limit !== undefined && limit < this.maxAppendBytes) {
            this.maxAppendBytes = limit;
            continue;
          }
          throw error;
        }
        const last = run[run.length - 1].recordedAt;
        if (!this.lastRecordedAt || last > this.lastRecordedAt) this.lastRecordedAt = last;
        start += run.length;
      }
    });
    // Not atomic with the last run, unlike the embedded store: a kill in between leaves the mark, and importing again finds nothing left to load.
    if (options.finishesImport) {
      await onLeader(() => this.client.setStreamMetadata(IMPORT_MARKER_STREAM, {}, LEADER)).catch((error) => {
        throw toStoreError(error);
      });
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let from: ReadRevision;
    if (options.fromRevision === undefined) from = backwards ? END : START;
    else if (options.fromRevision < 0) return;
    else from = BigInt(options.fromRevision);

    while (remaining > 0) {
      const size = Math.min(PAGE_SIZE, remaining);
      let page: ResolvedEvent[];
      try {
        const fromRevision = from;
        page = await readOnLeader(
          () => this.client.readStream(stream, { fromRevision, maxCount: size, direction: backwards ? BACKWARDS : FORWARDS, ...LEADER }),
          this.readTimeoutMs,
        );
      } catch (error) {
        if (error instanceof StreamNotFoundError) return;
        throw error;
      }
      for (const resolved of page) {
        const event = toStoredEvent(resolved);
        if (!event) continue;
        yield event;
        remaining -= 1;
      }
      const last = page[page.length - 1]?.event?.revision;
      if (page.length < size || last === undefined) return;
      if (backwards) {
        if (last === 0n) return;
        from = last - 1n;
      } else {
        from = last + 1n;
      }
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    const after = options.after ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let from = toReadPosition(after);
    let last: Position | undefined;

    while (remaining > 0) {
      // +1: a page starts AT the previous page's last event (forwards reads include their start position).
      const size = Math.min(PAGE_SIZE, remaining + 1);
      const page = await this.readAllPage(from, size, 'forwards');
      let progressed = false;
      for (const resolved of page) {
        const position = positionOfResolved(resolved);
        if (!position || (last && comparePositions(position, last) <= 0)) continue;
        last = position;
        progressed = true;
        if (!isAfter(toLogPosition(position), after)) continue;
        const event = toStoredEvent(resolved);
        if (!event) continue;
        yield event;
        remaining -= 1;
        if (remaining <= 0) return;
      }
      if (page.length < size) return;
      if (!progressed || !last) throw new Error(`reading $all made no progress at ${describePosition(from)}`);
      from = last;
    }
  }

  subscribeToAll(options: { after?: number } = {}): Subscription {
    const after = options.after ?? 0;
    toReadPosition(after); // validates `after` now rather than inside the iteration
    const subscription = new EsdbSubscription(this.client, after, () => this.headPosition(), (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The position of the last event of ours in the log, 0 when there is none. */
  async headPosition(): Promise<number> {
    return (await this.headEvent())?.position ?? 0;
  }

  /** The position of the event with this id: a scan of `$all`, since EventStoreDB keeps no index by event id. */
  async positionOf(eventId: string): Promise<number | null> {
    for await (const event of this.readAll()) if (event.id === eventId) return event.position;
    return null;
  }

  /** One backwards read of one event from the end of `$all`, on the leader; StoreUnavailableError on any failure or after 5 s. */
  async ping(): Promise<void> {
    try {
      await readOnLeader(() => this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, ...LEADER }), PING_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(error instanceof Error ? error.message : String(error));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    // Cancels the client's open calls. 6.2 has no way to close its gRPC channel; grpc-js unrefs idle
    // connections, so they do not keep the process alive.
    await this.client.dispose();
  }

  /**
   * One append call on the leader. Failures are errors whatever `throwOnAppendFailure` says (with `false`
   * the client resolves a conflict as `{ success: false }`); a time-out is "not confirmed", not "not written".
   */
  private async send(stream: string, data: EventData[], expected: ExpectedRevision, events: readonly NewEvent[]): Promise<ClientAppendResult> {
    let result: ClientAppendResult;
    try {
      result = await onLeader(() => this.client.appendToStream(stream, data, { expectedRevision: toClientExpectedRevision(expected), ...LEADER }));
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw toWrongExpectedRevisionError(error, stream, expected);
      if (error instanceof MaxAppendSizeExceededError) throw toPayloadTooLargeError(error, events);
      throw toAppendError(error);
    }
    if (!result.success) throw new WrongExpectedRevisionError(stream, expected, toActualRevision(result.nextExpectedRevision));
    return result;
  }

  /** Runs appends of this process one after another (a failure does not block the next). */
  private oneAtATime<T>(append: () => Promise<T>): Promise<T> {
    const next = this.appending.then(append, append);
    this.appending = next.catch(() => undefined);
    return next;
  }

  /**
   * The recorded time of the next append: this process's clock, but never before the last recorded time
   * of the log (read once from its head, then kept as appends go), as the embedded store clamps its own.
   * Appends of this process run one at a time, so times follow the log order.
   */
  private async recordedAtNow(): Promise<string> {
    this.lastRecordedAt ??= (await this.headEvent())?.recordedAt ?? '';
    const now = new Date().toISOString();
    return now > this.lastRecordedAt ? now : this.lastRecordedAt;
  }

  /** The events of one stream from `start` on, under PAGE_SIZE events and the server's MaxAppendSize (at least one event). */
  private restoreRun(events: StoredEvent[], start: number): StoredEvent[] {
    // As the server counts it (Event.SizeOnDisk): data and metadata bytes, the type as UTF-16.
    const sizeOf = (event: StoredEvent) => eventBytes(event) + 2 * event.type.length + PER_EVENT_OVERHEAD_BYTES;
    let end = start + 1;
    let bytes = sizeOf(events[start]);
    while (end < events.length && events[end].stream === events[start].stream && end - start < PAGE_SIZE && bytes + sizeOf(events[end]) <= this.maxAppendBytes) {
      bytes += sizeOf(events[end]);
      end++;
    }
    return events.slice(start, end);
  }

  /**
   * The last event of ours: `$all` backwards, skipping system and foreign events exactly as readAll does.
   * The 6.2 client's readAll has no server-side filter, so this pages (HEAD_PAGE_SIZE).
   */
  private async headEvent(): Promise<StoredEvent | undefined> {
    let from: ReadPosition = END;
    let last: Position | undefined;
    for (;;) {
      const page = await this.readAllPage(from, HEAD_PAGE_SIZE, 'backwards');
      let progressed = false;
      for (const resolved of page) {
        const position = positionOfResolved(resolved);
        if (!position || (last && comparePositions(position, last) >= 0)) continue;
        last = position;
        progressed = true;
        const event = toStoredEvent(resolved);
        if (event) return event;
      }
      if (page.length < HEAD_PAGE_SIZE) return undefined;
      if (!progressed || !last) throw new Error(`reading $all backwards made no progress at ${describePosition(from)}`);
      from = last;
    }
  }

  private readAllPage(from: ReadPosition, maxCount: number, direction: 'forwards' | 'backwards'): Promise<AllStreamResolvedEvent[]> {
    return readOnLeader(
      () => this.client.readAll({ fromPosition: from, maxCount, direction: direction === 'forwards' ? FORWARDS : BACKWARDS, resolveLinkTos: false, ...LEADER }),
      this.readTimeoutMs,
    );
  }

  /** An idempotent append may come back without a position (servers before the idempotent-position change): read the event. */
  private async positionOfRevision(stream: string, revision: number): Promise<number> {
    for await (const event of this.readStream(stream, { fromRevision: revision, maxCount: 1 })) {
      if (event.revision === revision) return event.position;
    }
    throw new Error(`append to ${stream} succeeded but its event at revision ${revision} cannot be read back`);
  }

  /** Appending no event: EventStoreDB would still check the expectation; we do it from the stream's last event. */
  private async appendNothing(stream: string, expected: ExpectedRevision): Promise<AppendResult> {
    let head: StoredEvent | undefined;
    for await (const event of this.readStream(stream, { direction: 'backwards', maxCount: 1 })) head = event;
    assertExpectedRevision(stream, expected, head?.revision ?? -1);
    return { nextRevision: head?.revision ?? -1, position: head?.position ?? 0 };
  }
}

function describePosition(position: ReadPosition): string {
  return typeof position === 'string' ? position : `${position.commit}/${position.prepare}`;
}
