/**
 * The EventStoreDB adapter's mappings, without a server. Where the client builds a value (its errors, its
 * decoding of a gRPC record), the test builds it the same way from the client's own code and generated
 * protobuf classes, so the mapping is tested against what 6.2 really hands over.
 * (@grpc/grpc-js and google-protobuf are the client's own dependencies.)
 */
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Metadata, status } from '@grpc/grpc-js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import {
  ANY,
  DeadlineExceededError,
  EventStoreDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  UnavailableError,
  WrongExpectedVersionError,
  convertToCommandError,
} from '@eventstore/db-client';
import type { Position } from '@eventstore/db-client';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { StreamIdentifier, UUID, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { PayloadTooLargeError, StoreUnavailableError, WrongExpectedRevisionError } from '../../../src/event-sourcing/errors';
import type { NewEvent } from '../../../src/event-sourcing/event-store.port';
import { EsdbEventStore } from '../../../src/event-store/esdb/esdb-event-store';
import {
  RECORDED_AT,
  toAppendError,
  toClientConnectionString,
  toRestoredEventData,
  CatchUpTracker,
  NO_POSITION,
  comparePositions,
  fromClientExpectedRevision,
  isAfter,
  isSystemEvent,
  isUnavailableError,
  positionOfResolved,
  toActualRevision,
  toClientExpectedRevision,
  toEventData,
  toLogPosition,
  toPayloadTooLargeError,
  toReadPosition,
  toStoreError,
  toStoredEvent,
  toWrongExpectedRevisionError,
} from '../../../src/event-store/esdb/mapping';

/** The recorded time the adapter wrote, in the metadata of the events these tests decode. */
const STAMP = '2021-06-30T00:00:00.000Z';

const pos = (n: number | bigint, prepare: number | bigint = n): Position => ({ commit: BigInt(n), prepare: BigInt(prepare) });

/** A gRPC ReadResp.ReadEvent as the server sends it, decoded by the client's own convertGrpcEvent. */
function decodedFromServer(options: {
  stream?: string;
  id?: string;
  type?: string;
  revision?: bigint;
  commit?: bigint;
  prepare?: bigint;
  contentType?: string;
  data?: string | Uint8Array;
  /** Default: only our recorded time (STAMP), as every event the adapter writes carries it; null: none at all. */
  metadata?: string | Uint8Array | null;
  createdTicks?: string;
  readEventCommit?: bigint;
}) {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(new UUID().setString(options.id ?? randomUUID()));
  recorded.setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(options.stream ?? 'programme-nea_2021_37', 'utf8')));
  recorded.setStreamRevision((options.revision ?? 0n).toString());
  recorded.setCommitPosition((options.commit ?? 1000n).toString());
  recorded.setPreparePosition((options.prepare ?? options.commit ?? 1000n).toString());
  recorded.getMetadataMap().set('type', options.type ?? 'MetricReported');
  recorded.getMetadataMap().set('content-type', options.contentType ?? 'application/json');
  // .NET ticks (100 ns) since the Unix epoch, as the server writes `created`.
  recorded.getMetadataMap().set('created', options.createdTicks ?? '16250112000001234');
  recorded.setData(typeof options.data === 'string' ? Buffer.from(options.data, 'utf8') : (options.data ?? Buffer.from('{}')));
  const metadata = options.metadata === undefined ? JSON.stringify({ [RECORDED_AT]: STAMP }) : options.metadata;
  if (metadata !== null) recorded.setCustomMetadata(typeof metadata === 'string' ? Buffer.from(metadata, 'utf8') : metadata);
  const readEvent = new ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  if (options.readEventCommit !== undefined) readEvent.setCommitPosition(options.readEventCommit.toString());
  return convertGrpcEvent(readEvent);
}

describe('expected revision → client expectedRevision', () => {
  it('maps each kind', () => {
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream-exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision(0)).toBe(0n);
    expect(toClientExpectedRevision(41)).toBe(41n);
    expect(toClientExpectedRevision(Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('refuses revisions that are not integers >= 0', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => toClientExpectedRevision(bad)).toThrow(RangeError);
    }
  });

  it('maps the client vocabulary back, including the legacy numbers of the server trailer form', () => {
    expect(fromClientExpectedRevision(ANY)).toBe('any');
    expect(fromClientExpectedRevision(NO_STREAM)).toBe('no-stream');
    expect(fromClientExpectedRevision(STREAM_EXISTS)).toBe('stream-exists');
    expect(fromClientExpectedRevision(7n)).toBe(7);
    expect(fromClientExpectedRevision(-1n)).toBe('no-stream');
    expect(fromClientExpectedRevision(-2n)).toBe('any');
    expect(fromClientExpectedRevision(-4n)).toBe('stream-exists');
  });

  it('maps the current revision: bigint → number, the no-stream sentinel or a negative → no-stream', () => {
    expect(toActualRevision(0n)).toBe(0);
    expect(toActualRevision(12n)).toBe(12);
    expect(toActualRevision(NO_STREAM)).toBe('no-stream');
    expect(toActualRevision(-1n)).toBe('no-stream');
    expect(toActualRevision(undefined)).toBe('no-stream');
  });
});

describe('WrongExpectedVersionError → WrongExpectedRevisionError', () => {
  it('maps the error the unary append builds (stale revision)', () => {
    // streams/appendToStream/append.ts: new WrongExpectedVersionError(null, { streamName, current, expected })
    const clientError = new WrongExpectedVersionError(undefined, { streamName: 'unit-a', current: 2n, expected: 1n });
    const ours = toWrongExpectedRevisionError(clientError, 'unit-a', 1);
    expect(ours).toBeInstanceOf(WrongExpectedRevisionError);
    expect(ours).toMatchObject({ stream: 'unit-a', expected: 1, actual: 2, code: 'wrong-expected-revision' });
  });

  it('maps the error the batch append builds from the server detail (no stream, stream-exists)', () => {
    // streams/appendToStream/unpackError.ts: WrongExpectedVersionError.fromWrongExpectedVersion(details, streamName)
    const details = new WrongExpectedVersion();
    details.setExpectedStreamExists(new Empty());
    details.setCurrentNoStream(new Empty());
    const clientError = WrongExpectedVersionError.fromWrongExpectedVersion(details, 'unit-b');
    expect(clientError.expectedVersion).toBe(STREAM_EXISTS);
    expect(clientError.actualVersion).toBe(NO_STREAM);
    expect(toWrongExpectedRevisionError(clientError, 'unit-b', 'stream-exists')).toMatchObject({
      stream: 'unit-b',
      expected: 'stream-exists',
      actual: 'no-stream',
    });
    // Without our caller's expectation, the client's own value is mapped.
    expect(toWrongExpectedRevisionError(clientError, 'unit-b').expected).toBe('stream-exists');
  });

  it('maps the batch append detail for no-stream expected on an existing stream', () => {
    const details = new WrongExpectedVersion();
    details.setExpectedNoStream(new Empty());
    details.setCurrentStreamRevision('0');
    const clientError = WrongExpectedVersionError.fromWrongExpectedVersion(details, 'unit-c');
    expect(toWrongExpectedRevisionError(clientError, 'unit-c', 'no-stream')).toMatchObject({ expected: 'no-stream', actual: 0 });
  });

  it('maps the error the client converts from a gRPC status with trailers', () => {
    const metadata = new Metadata();
    metadata.set('exception', 'wrong-expected-version');
    metadata.set('stream-name', 'unit-d');
    metadata.set('expected-version', '0');
    const clientError = convertToCommandError(
      Object.assign(new Error('Wrong expected version'), { code: status.FAILED_PRECONDITION, details: 'Wrong expected version', metadata }),
    );
    expect(clientError).toBeInstanceOf(WrongExpectedVersionError);
    const ours = toWrongExpectedRevisionError(clientError as WrongExpectedVersionError, 'unit-d');
    expect(ours).toMatchObject({ stream: 'unit-d', expected: 0, actual: 'no-stream' });
  });
});

describe('unavailable server → StoreUnavailableError', () => {
  const serviceError = (code: status, details: string) =>
    Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });

  it('maps the client errors of an unreachable server', () => {
    const unavailable = convertToCommandError(serviceError(status.UNAVAILABLE, 'No connection established'));
    expect(unavailable).toBeInstanceOf(UnavailableError);
    const deadline = convertToCommandError(serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded'));
    expect(deadline).toBeInstanceOf(DeadlineExceededError);
    for (const error of [unavailable, deadline, new Error('Failed to discover after 10 attempts.')]) {
      expect(isUnavailableError(error)).toBe(true);
      const mapped = toStoreError(error);
      expect(mapped).toBeInstanceOf(StoreUnavailableError);
      expect((mapped as StoreUnavailableError).code).toBe('store-unavailable');
    }
    expect(toStoreError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(StoreUnavailableError);
  });

  it('leaves every other error as it is', () => {
    const wrong = new WrongExpectedVersionError(undefined, { streamName: 's', current: 1n, expected: 0n });
    const plain = new TypeError('bug');
    expect(toStoreError(wrong)).toBe(wrong);
    expect(toStoreError(plain)).toBe(plain);
    expect(isUnavailableError('text')).toBe(false);
  });

  it('says an append that timed out or was cancelled may have been written (write-unconfirmed), not unreachable', () => {
    const deadline = convertToCommandError(serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded'));
    expect(toAppendError(deadline)).toMatchObject({ fault: 'write-unconfirmed' });
    expect((toAppendError(deadline) as Error).message).toMatch(/may have been recorded/);
    const unavailable = convertToCommandError(serviceError(status.UNAVAILABLE, 'No connection established'));
    expect(toAppendError(unavailable)).toMatchObject({ fault: 'unreachable' });
  });

  it('maps a batch over the server MaxAppendSize to PayloadTooLargeError', () => {
    const events: NewEvent[] = [
      { id: 'e1', type: 'A', data: { text: 'x'.repeat(10) }, metadata: {} },
      { id: 'e2', type: 'B', data: {}, metadata: { actor: 'a' } },
    ];
    const error = toPayloadTooLargeError({ maxAppendSize: 16 }, events);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    // {"text":"xxxxxxxxxx"} {} + {} {"actor":"a"}
    expect(error).toMatchObject({ eventId: 'e1', limit: 16, bytes: 21 + 2 + 2 + 13 });
  });
});

describe('connection strings', () => {
  it('passes KurrentDB\'s schemes to the 6.2 client as esdb, leaving the rest as it is', () => {
    expect(toClientConnectionString('kurrentdb://n1:2113?tls=false')).toBe('esdb://n1:2113?tls=false');
    expect(toClientConnectionString('kurrentdb+discover://n1,n2,n3?nodePreference=leader')).toBe('esdb+discover://n1,n2,n3?nodePreference=leader');
    expect(toClientConnectionString('kurrent://admin:changeit@n1:2113')).toBe('esdb://admin:changeit@n1:2113');
    expect(toClientConnectionString('esdb://n1:2113?tls=false')).toBe('esdb://n1:2113?tls=false');
    expect(() => EventStoreDBClient.connectionString(toClientConnectionString('kurrentdb://n1:2113?tls=false'))).not.toThrow();
  });
});

describe('restored events keep their recorded time', () => {
  it('carries the exported recorded time in metadata and takes it back out on read, leaving the metadata as exported', () => {
    const stored = { id: randomUUID(), type: 'MetricReported', stream: 'unit-gd-2021.gd-grid', revision: 0, position: 7, recordedAt: '2021-07-01T02:03:04.005Z', data: { value: 1520 }, metadata: { actor: 'token:x', hash: 'h' } };
    const sent = toRestoredEventData(stored);
    expect(sent.metadata).toEqual({ actor: 'token:x', hash: 'h', [RECORDED_AT]: '2021-07-01T02:03:04.005Z' });
    const read = toStoredEvent(
      decodedFromServer({
        id: stored.id,
        stream: stored.stream,
        type: stored.type,
        revision: 0n,
        commit: 99n,
        data: JSON.stringify(stored.data),
        metadata: JSON.stringify(sent.metadata),
        createdTicks: '16250112000001234',
      }),
    );
    expect(read).toEqual({ ...stored, position: 99 });
  });
});

describe('recorded event → StoredEvent', () => {
  const data = {
    zh: '全面提升“获得电力”服务水平；受益户数(户)、节省投资(万元)',
    vi: 'Sở Nông nghiệp và Môi trường; Định kỳ trước ngày 30/01 hằng năm; ỗ ữ ặ',
    decomposed: 'Tiếng Việt'.normalize('NFD'),
    numbers: [0, -1.5, 1e21],
    flag: true,
    nothing: null,
  };
  const metadata = { actor: 'nguyễn-văn-a', correlationId: 'c-1', nested: { unit: '国家电网', list: ['一', 'hai'] } };

  it('maps id, type, stream, revision, position, recorded time (ours, not the server\'s `created`), and Chinese/Vietnamese JSON exactly', () => {
    const id = randomUUID();
    const resolved = decodedFromServer({
      id,
      stream: 'unit-gd_2021.gd_grid',
      type: 'Văn bản',
      revision: 4n,
      commit: 987_654n,
      data: JSON.stringify(data),
      metadata: JSON.stringify({ ...metadata, [RECORDED_AT]: STAMP }),
      createdTicks: '16250148000000000', // the leader's clock, an hour later: not what we recorded
    });
    const event = toStoredEvent(resolved);
    expect(event).toEqual({
      id,
      type: 'Văn bản',
      stream: 'unit-gd_2021.gd_grid',
      revision: 4,
      position: 987_654,
      recordedAt: '2021-06-30T00:00:00.000Z',
      data,
      metadata,
    });
    expect(event?.data.decomposed).toBe('Tiếng Việt'.normalize('NFD'));
    expect(typeof event?.revision).toBe('number');
  });

  it('round-trips what toEventData sends: our id is the EventStoreDB event id', () => {
    const newEvent = { id: randomUUID(), type: 'MetricReported', data, metadata };
    const sent = toEventData(newEvent, STAMP);
    expect(sent).toMatchObject({ id: newEvent.id, type: 'MetricReported', contentType: 'application/json', data, metadata: { ...metadata, [RECORDED_AT]: STAMP } });
    // The client serialises data and metadata with JSON.stringify as UTF-8 (append.ts / batchAppend.ts).
    const back = toStoredEvent(
      decodedFromServer({ id: sent.id, type: sent.type, data: JSON.stringify(sent.data), metadata: JSON.stringify(sent.metadata) }),
    );
    expect(back).toMatchObject({ id: newEvent.id, data, metadata, recordedAt: STAMP });
  });

  it('reads metadata holding only our recorded time as {}', () => {
    expect(toStoredEvent(decodedFromServer({ data: '{"a":1}' }))?.metadata).toEqual({});
  });

  it('skips another application\'s events: JSON without our recorded time', () => {
    expect(toStoredEvent(decodedFromServer({ stream: 'orders-1', type: 'OrderPlaced', data: '{"a":1}', metadata: null }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ stream: 'orders-1', type: 'OrderPlaced', data: '{"a":1}', metadata: '{"by":"shop"}' }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ data: '{"a":1}', metadata: JSON.stringify({ [RECORDED_AT]: 7 }) }))).toBeUndefined();
  });

  it('skips system events, non-JSON events and events whose data or metadata is not a JSON object', () => {
    expect(toStoredEvent(decodedFromServer({ stream: '$ce-programme' }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ stream: '$$unit-a', type: '$metadata' }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ type: '$>' }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ contentType: 'application/octet-stream', data: new Uint8Array([1, 2]) }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ data: '[1,2]' }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ data: 'not json' }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ data: '{}', metadata: new Uint8Array([0xff, 0x00]) }))).toBeUndefined();
    expect(toStoredEvent(decodedFromServer({ data: '{}', metadata: '"text"' }))).toBeUndefined();
    expect(toStoredEvent({})).toBeUndefined();
    expect(isSystemEvent({ streamId: 'unit-a', type: 'MetricReported' })).toBe(false);
  });

  it('takes the position from the ReadEvent commit position when the record has none, and refuses an event without any', () => {
    const noRecordPosition = decodedFromServer({ commit: NO_POSITION, prepare: NO_POSITION, readEventCommit: 4242n });
    expect(positionOfResolved(noRecordPosition)).toEqual(pos(4242));
    expect(toStoredEvent(noRecordPosition)?.position).toBe(4242);
    const none = decodedFromServer({ commit: NO_POSITION, prepare: NO_POSITION });
    expect(positionOfResolved(none)).toBeUndefined();
    expect(() => toStoredEvent(none)).toThrow(/no log position/);
  });
});

describe('positions', () => {
  it('uses the commit position, equal to the prepare position for self-committed events', () => {
    expect(toLogPosition(pos(1234))).toBe(1234);
    expect(toLogPosition(undefined)).toBeUndefined();
    expect(toLogPosition(pos(NO_POSITION))).toBeUndefined();
    expect(() => toLogPosition(pos(2n ** 60n))).toThrow(RangeError);
  });

  it('maps a number back to the exact $all position, START for 0', () => {
    expect(toReadPosition(0)).toBe(START);
    expect(toReadPosition(4096)).toEqual(pos(4096));
    expect(toLogPosition(toReadPosition(4096) as Position)).toBe(4096);
    expect(() => toReadPosition(-1)).toThrow(RangeError);
    expect(() => toReadPosition(0.5)).toThrow(RangeError);
  });

  it('orders positions as $all does: by commit, then prepare', () => {
    const shuffled = [pos(300), pos(100), pos(200, 150), pos(200, 120), pos(200)];
    expect([...shuffled].sort(comparePositions)).toEqual([pos(100), pos(200, 120), pos(200, 150), pos(200), pos(300)]);
    expect(comparePositions(pos(5), pos(5))).toBe(0);
  });

  it('keeps the numbers of a multi-event append unique and increasing (each event its own log position)', () => {
    // Three events of one append as $all reports them: commit = prepare = each record's own position.
    const batch = [pos(5000), pos(5187), pos(5374)].map((p) => toLogPosition(p)!);
    expect(new Set(batch).size).toBe(3);
    expect([...batch].sort((a, b) => a - b)).toEqual(batch);
  });

  it('resumes after a checkpoint with no duplicate and no gap', () => {
    const log = [100, 180, 260, 340, 420];
    // A forwards read from the checkpoint's exact position includes the event there; a subscription does
    // not. Both are filtered by isAfter, so either start gives the same delivery.
    const checkpoint = 180;
    const fromRead = log.filter((p) => p >= checkpoint).filter((p) => isAfter(p, checkpoint));
    const fromSubscription = log.filter((p) => p > checkpoint).filter((p) => isAfter(p, checkpoint));
    expect(fromRead).toEqual([260, 340, 420]);
    expect(fromSubscription).toEqual(fromRead);
    expect(log.filter((p) => isAfter(p, 0))).toEqual(log);
    expect(isAfter(undefined, 0)).toBe(false);
  });
});

describe('CatchUpTracker', () => {
  it('is caught up at once when the head is at or below the checkpoint', () => {
    expect(new CatchUpTracker(500).onHead(500)).toBe(500);
    expect(new CatchUpTracker(0).onHead(0)).toBe(0);
  });

  it('says caught-up once the head has been received, at the last delivered position', () => {
    const tracker = new CatchUpTracker(100);
    expect(tracker.onHead(300)).toBeUndefined();
    expect(tracker.onReceived(200, true)).toBeUndefined();
    expect(tracker.onReceived(300, true)).toBe(300);
    expect(tracker.caughtUp).toBe(true);
    expect(tracker.onReceived(400, true)).toBeUndefined(); // once only
    expect(tracker.onServerCaughtUp(0)).toBeUndefined();
  });

  it('counts a head event that is filtered out, keeping the last delivered position', () => {
    const tracker = new CatchUpTracker(100);
    tracker.onHead(300);
    expect(tracker.onReceived(200, true)).toBeUndefined();
    expect(tracker.onReceived(300, false)).toBe(200);
  });

  it('applies the server caught-up only after the events buffered before it', () => {
    const tracker = new CatchUpTracker(0);
    tracker.onHead(10_000); // say the head event was scavenged: only the server signal decides
    tracker.onReceived(10, true);
    expect(tracker.onServerCaughtUp(2)).toBeUndefined(); // two events still in the Readable buffer
    expect(tracker.onReceived(20, true)).toBeUndefined();
    expect(tracker.onReceived(30, true)).toBe(30);
  });

  it('applies the server caught-up at once when nothing is buffered; position `after` when nothing was delivered', () => {
    const tracker = new CatchUpTracker(77);
    tracker.onHead(1000);
    expect(tracker.onServerCaughtUp(0)).toBe(77);
  });
});

describe('EsdbEventStore without a server', () => {
  /** A local port that refuses connections. */
  const closedPort = async (): Promise<number> => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  };

  it('refuses an oversized event before sending anything', async () => {
    const send = jest.spyOn(EventStoreDBClient.prototype, 'appendToStream');
    const store = new EsdbEventStore('esdb://127.0.0.1:1?tls=false', { maxEventBytes: 64 * 1024 });
    try {
      const big = { id: randomUUID(), type: 'Big', data: { text: 'x'.repeat(70 * 1024) }, metadata: {} };
      const small = { id: randomUUID(), type: 'Small', data: {}, metadata: {} };
      const error = await store.append('unit-a', [small, big], 'any').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(error).toMatchObject({ eventId: big.id, limit: 64 * 1024 });
      expect(send).not.toHaveBeenCalled();
    } finally {
      send.mockRestore();
      await store.close();
    }
  });

  it('uses the 1 MiB default limit', async () => {
    const send = jest.spyOn(EventStoreDBClient.prototype, 'appendToStream');
    const store = new EsdbEventStore('esdb://127.0.0.1:1?tls=false');
    try {
      const big = { id: randomUUID(), type: 'Big', data: { text: 'x'.repeat(1024 * 1024) }, metadata: {} };
      await expect(store.append('unit-a', [big], 'any')).rejects.toMatchObject({ limit: 1024 * 1024 });
      expect(send).not.toHaveBeenCalled();
    } finally {
      send.mockRestore();
      await store.close();
    }
  });

  it('reports an unreachable server as StoreUnavailableError from ping, reads, appends and subscriptions', async () => {
    const store = new EsdbEventStore(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      const read = async () => {
        for await (const event of store.readStream('unit-a')) void event;
      };
      await expect(read()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
      const event = { id: randomUUID(), type: 'A', data: {}, metadata: {} };
      await expect(store.append('unit-a', [event], 'any')).rejects.toBeInstanceOf(StoreUnavailableError);
      const subscription = store.subscribeToAll();
      await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(StoreUnavailableError);
      await subscription.close();
    } finally {
      await store.close();
    }
  });
});
