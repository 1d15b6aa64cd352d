/**
 * TEST DOUBLE of an EventStoreDB node on the wire: a gRPC server built from @eventstore/db-client's own
 * generated service definitions (generated/streams_grpc_pb), so the REAL client talks to it over HTTP/2
 * exactly as it talks to a server. It implements only the Streams service (Append and Read) with the
 * documented semantics our adapter relies on, each rule naming the server behaviour it copies; everything
 * else (ServerFeatures, gossip, users, projections) answers UNIMPLEMENTED, as an old server would, so the
 * client falls back to the plain Append call. It is not EventStoreDB: what was and was not run against a
 * real server is written in the README ("EventStoreDB").
 *
 * Fault switches copy what operators meet: a stalled node, a restart (drops subscriptions, empties the
 * id cache), a clock stepping back, another application's events, a follower that is not the leader.
 */
import * as grpc from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { DoubleLog, type Expected, type LogRecord, type ProposedEvent } from './log';

export interface TestDoubleOptions {
  /** The server's MaxAppendSize (ClusterVNodeOptions.Database.MaxAppendSize): 1 MiB by default. */
  maxAppendSize?: number;
  /** Entries of the id cache (the server's default is far larger; tests make it small to show eviction). */
  idCacheSize?: number;
  /** When set, this node is a follower of `leader`: see `read`/`append` for what that changes. */
  leader?: EventStoreDbTestDouble;
}

type AppendCall = grpc.ServerReadableStream<AppendReq, AppendResp>;
type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;
/** .NET ticks (100 ns) per millisecond: `created` travels as ticks since the Unix epoch. */
const TICKS_PER_MS = 10_000n;

export class EventStoreDbTestDouble {
  readonly log: DoubleLog;
  /** Calls seen, with whether they asked for the leader (`requires-leader` header). */
  readonly calls: Array<{ method: 'append' | 'read'; requiresLeader: boolean }> = [];
  private readonly server = new grpc.Server();
  private readonly maxAppendSize: number;
  private readonly subscriptions = new Set<ReadCall>();
  private readonly stalled = new Set<() => void>();
  private clockOffsetMs = 0;
  private stalling = false;
  private answerAppends = true;
  private appendsBeforeOutage = Number.POSITIVE_INFINITY;
  private port = 0;

  private constructor(private readonly options: TestDoubleOptions) {
    this.maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
    this.log = new DoubleLog(() => Date.now() + this.clockOffsetMs, options.idCacheSize ?? 100_000);
    // A fresh node's log starts with system records (epochs, `$users`, `$settings`): readers must skip them.
    this.log.write('$settings', 0, { id: '00000000-0000-4000-8000-000000000001', type: '$settings', contentType: 'application/json', data: Buffer.from('{}'), metadata: Buffer.alloc(0) });
    this.server.addService(StreamsService, {
      append: (call: AppendCall, callback: grpc.sendUnaryData<AppendResp>) => this.onAppend(call, callback),
      read: (call: ReadCall) => this.onRead(call),
    } as never);
  }

  /** Starts a node on an ephemeral port of 127.0.0.1. */
  static async start(options: TestDoubleOptions = {}): Promise<EventStoreDbTestDouble> {
    const node = new EventStoreDbTestDouble(options);
    node.port = await new Promise<number>((resolve, reject) =>
      node.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    return node;
  }

  /** `esdb://127.0.0.1:<port>?tls=false` plus any further settings (`&throwOnAppendFailure=false` …). */
  connectionString(settings = ''): string {
    return `esdb://127.0.0.1:${this.port}?tls=false${settings ? `&${settings}` : ''}`;
  }

  get address(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  // ------------------------------------------------------------------------------------------------
  // Fault switches
  // ------------------------------------------------------------------------------------------------

  /** A stalled node: calls are accepted and never answered (a hung disk, a frozen VM) until `resume`. */
  stall(): void {
    this.stalling = true;
  }

  resume(): void {
    this.stalling = false;
    this.appendsBeforeOutage = Number.POSITIVE_INFINITY;
    for (const release of [...this.stalled]) release();
    this.stalled.clear();
  }

  /** After `appends` more appends, the node is unreachable for appends (UNAVAILABLE) until `resume`: a kill mid-import. */
  failAppendsAfter(appends: number): void {
    this.appendsBeforeOutage = appends;
  }

  /** Appends are written but their answer is lost (the connection breaks after the commit). */
  loseAppendAnswers(lose = true): void {
    this.answerAppends = !lose;
  }

  /**
   * A node restart or leader election: live subscriptions end with UNAVAILABLE (the server cancels its
   * calls on shutdown) and the in-memory id cache is gone. The log (on disk) stays.
   */
  restart(): void {
    this.dropSubscriptions();
    this.log.forgetIdCache();
  }

  dropSubscriptions(): void {
    for (const call of [...this.subscriptions]) {
      this.subscriptions.delete(call);
      call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'Server Is Restarting' });
    }
  }

  /** The leader's wall clock moves by `ms` (negative: steps back, as NTP does after a drift). */
  stepClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** An event written by another application sharing the database (plain JSON, no metadata of ours). */
  writeForeign(stream: string, type: string, data: object): void {
    const revision = (this.log.lastRevision(stream) ?? -1) + 1;
    this.log.write(stream, revision, { id: crypto.randomUUID(), type, contentType: 'application/json', data: Buffer.from(JSON.stringify(data)), metadata: Buffer.alloc(0) });
  }

  async stop(): Promise<void> {
    this.resume();
    this.dropSubscriptions();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server.forceShutdown();
  }

  // ------------------------------------------------------------------------------------------------
  // Append (Streams.Append: a header with the options, then one proposed message per event)
  // ------------------------------------------------------------------------------------------------

  private onAppend(call: AppendCall, callback: grpc.sendUnaryData<AppendResp>): void {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let refused = false;
    call.on('data', (request: AppendReq) => {
      if (refused) return;
      if (request.hasOptions()) {
        options = request.getOptions();
        return;
      }
      const message = request.getProposedMessage();
      if (!message) return;
      const metadata = message.getMetadataMap();
      const event: ProposedEvent = {
        id: uuidOf(message.getId()),
        type: metadata.get('type') ?? '',
        contentType: metadata.get('content-type') ?? 'application/octet-stream',
        data: Buffer.from(message.getData_asU8()),
        metadata: Buffer.from(message.getCustomMetadata_asU8()),
      };
      // Streams.Append: the running size (Event.SizeOnDisk: data + metadata bytes + the type as UTF-16) is
      // checked as messages arrive; over MaxAppendSize the whole append is refused
      // (RpcExceptions.MaxAppendSizeExceeded: InvalidArgument with these trailers).
      size += event.data.length + event.metadata.length + 2 * event.type.length;
      if (size > this.maxAppendSize) {
        refused = true;
        const trailers = new grpc.Metadata();
        trailers.set('exception', 'maximum-append-size-exceeded');
        trailers.set('maximum-append-size', String(this.maxAppendSize));
        callback({ code: grpc.status.INVALID_ARGUMENT, details: `Maximum Append Size of ${this.maxAppendSize} Exceeded.`, metadata: trailers });
        return;
      }
      events.push(event);
    });
    call.on('end', () => {
      if (refused || !options) return;
      const request = options;
      this.whenAnswering(call, () => {
        const notLeader = this.refuseUnlessLeader(call, 'append');
        if (notLeader) return callback(notLeader);
        if (this.appendsBeforeOutage <= 0) return callback({ code: grpc.status.UNAVAILABLE, details: 'Server Is Not Ready' });
        this.appendsBeforeOutage -= 1;
        const stream = Buffer.from(request.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString('utf8');
        // A follower forwards writes to the leader (the request manager's forwarding) when the leader is not required.
        const log = this.options.leader?.log ?? this.log;
        const outcome = log.append(stream, expectedOf(request), events);
        if (!this.answerAppends) return; // written, answer lost: the client's deadline decides
        callback(null, toAppendResp(outcome, request));
      });
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Read (Streams.Read: stream or $all, forwards or backwards, a count or a subscription)
  // ------------------------------------------------------------------------------------------------

  private onRead(call: ReadCall): void {
    const options = call.request.getOptions();
    if (!options) return void call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'no options' });
    this.whenAnswering(call, () => {
      const notLeader = this.refuseUnlessLeader(call, 'read');
      if (notLeader) return void call.emit('error', notLeader);
      const filter = eventFilterOf(options);
      if (options.hasSubscription()) return this.subscribe(call, options, filter);
      const count = Number(options.getCount() || '0');
      const records = options.hasStream() ? this.readStream(call, options.getStream()!, options.getReadDirection()) : this.readAll(options.getAll()!, options.getReadDirection());
      if (!records) return;
      for (const record of records.filter(filter).slice(0, count)) call.write(readEvent(record));
      call.end();
    });
  }

  /** Stream reads: inclusive of the start revision, either direction; an absent stream answers StreamNotFound. */
  private readStream(call: ReadCall, stream: ReadReq.Options.StreamOptions, direction: ReadReq.Options.ReadDirection): LogRecord[] | undefined {
    const name = Buffer.from(stream.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString('utf8');
    const records = this.log.streamRecords(name);
    if (records.length === 0) {
      const notFound = new ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(stream.getStreamIdentifier());
      const response = new ReadResp();
      response.setStreamNotFound(notFound);
      call.write(response);
      call.end();
      return undefined;
    }
    const backwards = direction === ReadReq.Options.ReadDirection.BACKWARDS;
    const from = stream.hasRevision() ? Number(stream.getRevision()) : stream.hasEnd() ? Number.POSITIVE_INFINITY : backwards ? Number.POSITIVE_INFINITY : 0;
    return backwards ? records.filter((r) => r.revision <= from).reverse() : records.filter((r) => r.revision >= from);
  }

  /**
   * `$all` reads (AllReader.ReadAllEventsForward/Backward): forwards INCLUDES the event at the start position,
   * backwards starts BEFORE it; system events are returned like any other (the caller filters).
   */
  private readAll(all: ReadReq.Options.AllOptions, direction: ReadReq.Options.ReadDirection): LogRecord[] {
    const backwards = direction === ReadReq.Options.ReadDirection.BACKWARDS;
    const records = this.log.records;
    if (all.hasPosition()) {
      const from = BigInt(all.getPosition()!.getCommitPosition());
      return backwards ? records.filter((r) => r.position < from).reverse() : records.filter((r) => r.position >= from);
    }
    if (all.hasEnd()) return backwards ? [...records].reverse() : [];
    return backwards ? [] : [...records];
  }

  /**
   * `$all` subscriptions (the catch-up subscription of SubscriptionsService / Enumerators.AllSubscription):
   * confirmation first, then the events AFTER the start position (exclusive), then CaughtUp (servers ≥ 23.10),
   * then live events as they are committed.
   */
  private subscribe(call: ReadCall, options: ReadReq.Options, filter: (record: LogRecord) => boolean): void {
    const all = options.getAll();
    if (!all) return void call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'the test double subscribes to $all only' });
    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(crypto.randomUUID());
    const confirm = new ReadResp();
    confirm.setConfirmation(confirmation);
    call.write(confirm);
    const after = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : all.hasEnd() ? (this.log.records.at(-1)?.position ?? -1n) : -1n;
    for (const record of this.log.records) if (record.position > after && filter(record)) call.write(readEvent(record));
    const caughtUp = new ReadResp();
    caughtUp.setCaughtUp(new ReadResp.CaughtUp());
    call.write(caughtUp);
    this.subscriptions.add(call);
    const stop = this.log.onWrite((record) => {
      if (filter(record) && this.subscriptions.has(call)) call.write(readEvent(record));
    });
    const end = () => {
      stop();
      this.subscriptions.delete(call);
    };
    call.on('cancelled', end);
    call.on('close', end);
    call.on('error', end);
  }

  // ------------------------------------------------------------------------------------------------

  /** Runs `answer` now, or once the node is resumed when stalled (unless the client gave up meanwhile). */
  private whenAnswering(call: AppendCall | ReadCall, answer: () => void): void {
    if (!this.stalling) return answer();
    this.stalled.add(() => {
      if (!call.cancelled) answer();
    });
  }

  /**
   * A follower refuses calls that ask for the leader (`requires-leader: true`) with NotLeader (gRPC NotFound,
   * trailers `exception: not-leader` and the leader's endpoint), as RpcExceptions.LeaderInfo does; without the
   * header it serves reads from its own, possibly stale, copy.
   */
  private refuseUnlessLeader(call: AppendCall | ReadCall, method: 'append' | 'read'): grpc.ServiceError | undefined {
    const requiresLeader = call.metadata.get('requires-leader')[0] === 'true';
    this.calls.push({ method, requiresLeader });
    const leader = this.options.leader;
    if (!leader || !requiresLeader) return undefined;
    const trailers = new grpc.Metadata();
    trailers.set('exception', 'not-leader');
    trailers.set('leader-endpoint-host', leader.address.host);
    trailers.set('leader-endpoint-port', String(leader.address.port));
    return Object.assign(new Error('Leader info available'), { code: grpc.status.NOT_FOUND, details: 'Leader info available', metadata: trailers });
  }
}

function uuidOf(uuid: UUID | undefined): string {
  if (!uuid) return crypto.randomUUID();
  if (uuid.hasString()) return uuid.getString();
  const structured = uuid.getStructured()!;
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
  bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function expectedOf(options: AppendReq.Options): Expected {
  if (options.hasRevision()) return { kind: 'revision', revision: Number(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no-stream' };
  if (options.hasStreamExists()) return { kind: 'stream-exists' };
  return { kind: 'any' };
}

/**
 * Success carries the batch's last revision and last event's position (WriteEventsCompleted with the commit
 * position of the TransactionEnd prepare); idempotent writes answer the ORIGINAL ones. WrongExpectedVersion
 * carries the current revision (or no stream) and echoes the expectation.
 */
function toAppendResp(outcome: ReturnType<DoubleLog['append']>, options: AppendReq.Options): AppendResp {
  const response = new AppendResp();
  if (outcome.kind === 'wrong-expected-version') {
    const wrong = new AppendResp.WrongExpectedVersion();
    if (outcome.current === undefined) wrong.setCurrentNoStream(new Empty());
    else wrong.setCurrentRevision(String(outcome.current));
    if (options.hasRevision()) wrong.setExpectedRevision(options.getRevision());
    else if (options.hasNoStream()) wrong.setExpectedNoStream(new Empty());
    else if (options.hasStreamExists()) wrong.setExpectedStreamExists(new Empty());
    else wrong.setExpectedAny(new Empty());
    response.setWrongExpectedVersion(wrong);
    return response;
  }
  const success = new AppendResp.Success();
  success.setCurrentRevision(String(outcome.lastRevision));
  const position = new AppendResp.Position();
  position.setCommitPosition(String(outcome.position));
  position.setPreparePosition(String(outcome.position));
  success.setPosition(position);
  response.setSuccess(success);
  return response;
}

/** A read response for one record: positions on the record and the event (stream reads carry them from 22.6 on). */
function readEvent(record: LogRecord): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  const id = new UUID();
  id.setString(record.id);
  recorded.setId(id);
  const stream = new StreamIdentifier();
  stream.setStreamName(Buffer.from(record.stream, 'utf8'));
  recorded.setStreamIdentifier(stream);
  recorded.setStreamRevision(String(record.revision));
  recorded.setCommitPosition(String(record.position));
  recorded.setPreparePosition(String(record.position));
  recorded.getMetadataMap().set('type', record.type).set('content-type', record.contentType).set('created', String(BigInt(record.created) * TICKS_PER_MS));
  recorded.setCustomMetadata(record.metadata);
  recorded.setData(record.data);
  const event = new ReadResp.ReadEvent();
  event.setEvent(recorded);
  event.setCommitPosition(String(record.position));
  const response = new ReadResp();
  response.setEvent(event);
  return response;
}

/** Server-side filters (the subscription's `EventFilter`): regex or prefixes on the event type or stream name. */
function eventFilterOf(options: ReadReq.Options): (record: LogRecord) => boolean {
  const filter = options.getFilter();
  if (!filter) return () => true;
  const onType = filter.hasEventType();
  const expression = onType ? filter.getEventType()! : filter.getStreamIdentifier()!;
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const prefixes = expression.getPrefixList();
  return (record) => {
    const subject = onType ? record.type : record.stream;
    if (regex) return regex.test(subject);
    return prefixes.length === 0 || prefixes.some((p) => subject.startsWith(p));
  };
}
