/**
 * The EventStore port on EventStoreDB / KurrentDB through @eventstore/db-client 6.2 (gRPC).
 * Mappings (revisions, errors, events, positions, catch-up) live in ./mapping.ts, with the reasoning and
 * sources for the choice of positions. Semantics are EventStoreDB's own:
 * - append: expected revision checked by the server; our event ids are the EventStoreDB event ids, so a
 *   re-append of the same ids with the same expectation is idempotent. The server then answers success with
 *   the ORIGINAL revisions and, from its index, the original last event's log position (older servers send
 *   no position: we read that event back). With 'any' the server's idempotency is best effort (it checks a
 *   cache of recent event ids), as EventStoreDB documents.
 * - reads go in pages of PAGE_SIZE events, each page a short gRPC call collected before yielding, so nothing
 *   large sits in memory and no call stays open while the consumer works.
 * - readAll / headPosition / subscriptions skip system events (stream or type starting with `$`) and
 *   events that are not JSON. Reading `$all` needs a user allowed to (an admin, or an insecure node).
 * Needs a server ≥ 22.6 (positions on stream reads); the server's caught-up signal needs ≥ 23.10 but is not
 * relied upon (see CatchUpTracker).
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AllStreamSubscription, Position, ReadPosition, ReadRevision, ResolvedEvent } from '@eventstore/db-client';
import { DEFAULT_MAX_EVENT_BYTES, StoreUnavailableError, assertEventSizes } from '../../event-sourcing/errors';
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
  SubscriptionMessage,
} from '../../event-sourcing/event-store.port';
import {
  CatchUpTracker,
  comparePositions,
  isAfter,
  positionOfResolved,
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
/** How long ping waits for an answer (the client gives reads an infinite deadline). */
const PING_TIMEOUT_MS = 5000;
/** A subscription pauses the server stream when this many messages wait unread, and resumes below LOW. */
const SUBSCRIPTION_HIGH_WATER = 1000;
const SUBSCRIPTION_LOW_WATER = 100;

export interface EsdbEventStoreOptions {
  /** Per-event limit on data + metadata as UTF-8 JSON; default DEFAULT_MAX_EVENT_BYTES (1 MiB). */
  maxEventBytes?: number;
}

export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly maxEventBytes: number;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private closed = false;

  constructor(connectionString: string, options: EsdbEventStoreOptions = {}) {
    this.client = EventStoreDBClient.connectionString(connectionString);
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    // Before anything is sent: an oversized event refuses the whole batch.
    assertEventSizes(events, this.maxEventBytes);
    const expectedRevision = toClientExpectedRevision(expected);
    if (events.length === 0) return this.appendNothing(stream, expected);

    let result;
    try {
      result = await this.client.appendToStream(stream, events.map(toEventData), { expectedRevision });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw toWrongExpectedRevisionError(error, stream, expected);
      if (error instanceof MaxAppendSizeExceededError) throw toPayloadTooLargeError(error, events);
      throw toStoreError(error);
    }
    // Throws on failure by default (throwOnAppendFailure), so this is a success: new or idempotent.
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
    await this.client.setStreamMetadata(IMPORT_MARKER_STREAM, { importMarker: marker } as never).catch((error) => {
      throw toStoreError(error);
    });
  }

  async unfinishedImport(): Promise<ImportMarker | null> {
    const result = await this.client.getStreamMetadata<{ importMarker?: ImportMarker }>(IMPORT_MARKER_STREAM).catch((error) => {
      throw toStoreError(error);
    });
    return (result.metadata as { importMarker?: ImportMarker } | undefined)?.importMarker ?? null;
  }

  /** Appends exported events stream run by stream run at their revisions; recorded times ride in metadata (see toRestoredEventData). */
  async restore(events: StoredEvent[], options: { finishesImport?: boolean } = {}): Promise<void> {
    assertEventSizes(events, this.maxEventBytes);
    await this.restoreRuns(events);
    // Not atomic with the last run, unlike the embedded store: a kill in between leaves the mark, and importing again finds nothing left to load.
    if (options.finishesImport) await this.client.setStreamMetadata(IMPORT_MARKER_STREAM, {});
  }

  private async restoreRuns(events: StoredEvent[]): Promise<void> {
    for (let start = 0; start < events.length; ) {
      let end = start + 1;
      while (end < events.length && events[end].stream === events[start].stream && end - start < PAGE_SIZE) end++;
      const run = events.slice(start, end);
      const first = run[0].revision;
      try {
        await this.client.appendToStream(run[0].stream, run.map(toRestoredEventData), {
          expectedRevision: toClientExpectedRevision(first === 0 ? 'no-stream' : first - 1),
        });
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) throw toWrongExpectedRevisionError(error, run[0].stream, first === 0 ? 'no-stream' : first - 1);
        throw toStoreError(error);
      }
      start = end;
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
        page = await collect(
          this.client.readStream(stream, { fromRevision: from, maxCount: size, direction: backwards ? BACKWARDS : FORWARDS }),
        );
      } catch (error) {
        if (error instanceof StreamNotFoundError) return;
        throw toStoreError(error);
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

  /**
   * The position of the last user event: `$all` backwards, skipping system and non-JSON events exactly as
   * readAll does. The 6.2 client's readAll has no server-side filter, so this pages (HEAD_PAGE_SIZE).
   */
  async headPosition(): Promise<number> {
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
        if (event) return event.position;
      }
      if (page.length < HEAD_PAGE_SIZE) return 0;
      if (!progressed || !last) throw new Error(`reading $all backwards made no progress at ${describePosition(from)}`);
      from = last;
    }
  }

  /** The position of the event with this id: a scan of `$all`, since EventStoreDB keeps no index by event id. */
  async positionOf(eventId: string): Promise<number | null> {
    for await (const event of this.readAll()) if (event.id === eventId) return event.position;
    return null;
  }

  /** One backwards read of one event from the end of `$all`; StoreUnavailableError on any failure or after 5 s. */
  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    const reading = collect(read);
    reading.catch(() => undefined); // it may settle after the timeout has already answered
    try {
      await Promise.race([reading, timeout]);
    } catch (error) {
      await read.cancel().catch(() => undefined);
      const mapped = toStoreError(error);
      if (mapped instanceof StoreUnavailableError) throw mapped;
      throw new StoreUnavailableError(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
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

  private async readAllPage(from: ReadPosition, maxCount: number, direction: 'forwards' | 'backwards'): Promise<AllStreamResolvedEvent[]> {
    try {
      return await collect(
        this.client.readAll({ fromPosition: from, maxCount, direction: direction === 'forwards' ? FORWARDS : BACKWARDS, resolveLinkTos: false }),
      );
    } catch (error) {
      throw toStoreError(error);
    }
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

/**
 * A catch-up subscription to `$all` (server-side filter: no system event types). Messages wait in a queue;
 * the server stream is paused while the queue is full, so a slow consumer applies gRPC flow control.
 */
class EsdbSubscription implements Subscription {
  private readonly queue: SubscriptionMessage[] = [];
  private readonly tracker: CatchUpTracker;
  private source: AllStreamSubscription | undefined;
  private failure: unknown;
  private closed = false;
  private paused = false;
  private closing: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly after: number,
    readHead: () => Promise<number>,
    private readonly onClosed: (subscription: EsdbSubscription) => void,
  ) {
    this.tracker = new CatchUpTracker(after);
    void this.start(readHead);
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.queue.length = 0;
      this.notify();
      this.closing = this.release();
    }
    return this.closing;
  }

  private async start(readHead: () => Promise<number>): Promise<void> {
    try {
      // The head first: every event up to it existed before we subscribed.
      const head = await readHead();
      if (this.closed) return;
      this.caughtUpAt(this.tracker.onHead(head));

      const source = this.client.subscribeToAll({
        fromPosition: toReadPosition(this.after),
        resolveLinkTos: false,
        filter: excludeSystemEvents(),
      });
      this.source = source;
      source.on('data', (resolved: AllStreamResolvedEvent) => this.onEvent(resolved));
      source.on('caughtUp', () => {
        // Events received before the server's CaughtUp may still wait in the Readable's buffer.
        if (!this.closed) this.caughtUpAt(this.tracker.onServerCaughtUp(source.readableLength));
      });
      source.on('error', (error: unknown) => this.fail(toStoreError(error)));
      source.on('end', () => this.fail(new StoreUnavailableError('the server ended the subscription')));
    } catch (error) {
      this.fail(toStoreError(error));
    }
  }

  private onEvent(resolved: AllStreamResolvedEvent): void {
    if (this.closed) return;
    try {
      const position = toLogPosition(positionOfResolved(resolved));
      const event = isAfter(position, this.after) ? toStoredEvent(resolved) : undefined;
      if (event) this.push({ kind: 'event', event });
      this.caughtUpAt(this.tracker.onReceived(position, event !== undefined));
    } catch (error) {
      this.fail(error);
    }
  }

  private caughtUpAt(position: number | undefined): void {
    if (position !== undefined) this.push({ kind: 'caught-up', position });
  }

  private push(message: SubscriptionMessage): void {
    this.queue.push(message);
    if (!this.paused && this.source && this.queue.length >= SUBSCRIPTION_HIGH_WATER) {
      this.paused = true;
      this.source.pause();
    }
    this.notify();
  }

  private fail(error: unknown): void {
    if (this.closed || this.failure !== undefined) return;
    this.failure = error ?? new Error('subscription failed');
    this.notify();
    void this.release();
  }

  private async next(): Promise<IteratorResult<SubscriptionMessage>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const message = this.queue.shift();
      if (message) {
        if (this.paused && this.source && this.queue.length <= SUBSCRIPTION_LOW_WATER) {
          this.paused = false;
          this.source.resume();
        }
        return { done: false, value: message };
      }
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.closed = true;
        throw failure;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async release(): Promise<void> {
    this.onClosed(this);
    const source = this.source;
    if (!source) return;
    source.removeAllListeners('data');
    source.removeAllListeners('caughtUp');
    source.removeAllListeners('end');
    // Keep an error listener: a late error must not become an unhandled 'error' event.
    source.removeAllListeners('error');
    source.on('error', () => undefined);
    await source.unsubscribe().catch(() => undefined);
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function describePosition(position: ReadPosition): string {
  return typeof position === 'string' ? position : `${position.commit}/${position.prepare}`;
}
