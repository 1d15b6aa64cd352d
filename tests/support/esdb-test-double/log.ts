/**
 * TEST DOUBLE — the transaction log of one EventStoreDB node, in memory, for the wire-level test double
 * (./server.ts). Not an event store of the product: it copies only the server rules our adapter meets, each
 * named where it is implemented (sources: EventStore/EventStore, src/EventStore.Core).
 */

export interface LogRecord {
  stream: string;
  revision: number;
  id: string;
  type: string;
  contentType: string;
  data: Buffer;
  metadata: Buffer;
  /** `created`: the leader's wall clock at write time (ms since the Unix epoch). */
  created: number;
  /** Commit = prepare position: the record's own log position (self-committed prepares, v20.6+). */
  position: bigint;
}

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Buffer;
  metadata: Buffer;
}

export type Expected = { kind: 'any' } | { kind: 'no-stream' } | { kind: 'stream-exists' } | { kind: 'revision'; revision: number };

export type AppendOutcome =
  | { kind: 'written' | 'idempotent'; lastRevision: number; position: bigint }
  | { kind: 'wrong-expected-version'; current: number | undefined };

/** Bytes a prepare record takes besides its payload (header, ids, stream name): positions grow like the real log's. */
const RECORD_OVERHEAD = 120;

export class DoubleLog {
  readonly records: LogRecord[] = [];
  private nextPosition = 0n;
  /**
   * The recently committed event ids for `any` / `stream-exists` idempotency: the server keeps them in a
   * bounded in-memory cache (StreamIdempotency / IndexWriter `_committedEvents`, a BoundedCache) that a
   * restart empties.
   */
  private readonly idCache = new Map<string, { stream: string; revision: number }>();
  private listeners = new Set<(record: LogRecord) => void>();

  constructor(
    private readonly clock: () => number,
    private readonly idCacheSize: number,
  ) {}

  lastRevision(stream: string): number | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) if (this.records[i].stream === stream) return this.records[i].revision;
    return undefined;
  }

  streamRecords(stream: string): LogRecord[] {
    return this.records.filter((r) => r.stream === stream);
  }

  /**
   * Writes a batch atomically after checking the expected version, as `IndexWriter.CheckCommit` decides:
   * - exact revision / no stream: if the stream already holds these ids right after the expected revision,
   *   the write is idempotent (answered with the ORIGINAL revisions and position), whatever time has passed;
   * - any / stream exists: idempotent only if the first id is in the bounded id cache for this stream;
   * - otherwise a mismatch is a wrong expected version, with the stream's current revision.
   */
  append(stream: string, expected: Expected, events: ProposedEvent[]): AppendOutcome {
    const current = this.lastRevision(stream);
    const idempotent = this.idempotentMatch(stream, expected, events);
    if (idempotent) return idempotent;
    const ok =
      expected.kind === 'any' ||
      (expected.kind === 'no-stream' && current === undefined) ||
      (expected.kind === 'stream-exists' && current !== undefined) ||
      (expected.kind === 'revision' && current === expected.revision);
    if (!ok) return { kind: 'wrong-expected-version', current };
    let revision = current ?? -1;
    for (const event of events) this.write(stream, (revision += 1), event);
    return { kind: 'written', lastRevision: revision, position: this.records[this.records.length - 1]?.position ?? 0n };
  }

  /** Writes one record as another application (or the server itself, for `$` streams) would. */
  write(stream: string, revision: number, event: ProposedEvent): LogRecord {
    const record: LogRecord = { ...event, stream, revision, created: this.clock(), position: this.nextPosition };
    this.nextPosition += BigInt(RECORD_OVERHEAD + event.data.length + event.metadata.length + Buffer.byteLength(stream));
    this.records.push(record);
    this.idCache.set(event.id, { stream, revision });
    while (this.idCache.size > this.idCacheSize) this.idCache.delete(this.idCache.keys().next().value as string);
    for (const listener of this.listeners) listener(record);
    return record;
  }

  /** What a node restart loses: the id cache. The log itself is on disk. */
  forgetIdCache(): void {
    this.idCache.clear();
  }

  onWrite(listener: (record: LogRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private idempotentMatch(stream: string, expected: Expected, events: ProposedEvent[]): AppendOutcome | undefined {
    if (events.length === 0) return undefined;
    let first: number | undefined;
    if (expected.kind === 'revision') first = expected.revision + 1;
    else if (expected.kind === 'no-stream') first = 0;
    else {
      const cached = this.idCache.get(events[0].id);
      if (cached?.stream === stream) first = cached.revision;
    }
    if (first === undefined) return undefined;
    const existing = this.streamRecords(stream).slice(first, first + events.length);
    if (existing.length !== events.length || existing.some((record, i) => record.id !== events[i].id)) return undefined;
    const last = existing[existing.length - 1];
    return { kind: 'idempotent', lastRevision: last.revision, position: last.position };
  }
}
