import { PayloadTooLargeError, StoreUnavailableError, WrongExpectedRevisionError } from '../../src/event-sourcing/errors';
import type { StoredEvent, SubscriptionMessage } from '../../src/event-sourcing/event-store.port';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { verifyLog } from '../../src/evidence/verify-log';
import { EsdbEventStore } from '../../src/event-store/esdb/esdb-event-store';
import { EventStoreDbTestDouble } from '../support/esdb-test-double/server';
import { collect, freshStream, newEvent } from '../support/streams';

/**
 * What an EventStoreDB operator meets and a single SQLite node never does, through the real client on the
 * wire against the test double (tests/support/esdb-test-double): one node per test, so faults do not leak.
 */
const nodes: EventStoreDbTestDouble[] = [];
const stores: EsdbEventStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

async function startNode(options: Parameters<typeof EventStoreDbTestDouble.start>[0] = {}): Promise<EventStoreDbTestDouble> {
  const node = await EventStoreDbTestDouble.start(options);
  nodes.push(node);
  return node;
}

function open(connectionString: string, options: ConstructorParameters<typeof EsdbEventStore>[1] = {}): EsdbEventStore {
  const store = new EsdbEventStore(connectionString, options);
  stores.push(store);
  return store;
}

function exported(stream: string, count: number, bytesEach: number): StoredEvent[] {
  const recordedAt = new Date().toISOString();
  return Array.from({ length: count }, (_, revision) => ({ ...newEvent('Big', { text: 'x'.repeat(bytesEach) }), stream, revision, position: revision + 1, recordedAt }));
}

/** Next message of a subscription, or a rejection after `ms` (so a silent subscription fails the test). */
async function nextWithin(iterator: AsyncIterator<SubscriptionMessage>, ms = 5000): Promise<IteratorResult<SubscriptionMessage>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms)));
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('EventStoreDB faults, through the real client against the wire test double', () => {
  it('oversized append: an import run over the server\'s MaxAppendSize is split, and a batch over it is PayloadTooLargeError', async () => {
    const node = await startNode();
    const store = open(node.connectionString());
    const stream = freshStream();
    // 30 events of 60 KiB in one stream: 1.8 MB, over the 1 MiB MaxAppendSize, each event well under it.
    const events = exported(stream, 30, 60 * 1024);
    await store.restore(events);
    expect((await collect(store.readStream(stream))).map((e) => e.id)).toEqual(events.map((e) => e.id));
    // A server configured with a smaller MaxAppendSize names it when it refuses a run: the rest is cut below it.
    const small = await startNode({ maxAppendSize: 256 * 1024 });
    const onSmall = open(small.connectionString());
    await onSmall.restore(events);
    expect(await collect(onSmall.readStream(stream))).toHaveLength(30);
    const batch = Array.from({ length: 20 }, () => newEvent('Big', { text: 'x'.repeat(60 * 1024) }));
    const error = await store.append(freshStream(), batch, 'no-stream').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ limit: 1024 * 1024 });
  });

  it('throwOnAppendFailure=false: a conflict is still WrongExpectedRevisionError, never a success', async () => {
    const node = await startNode();
    const store = open(node.connectionString('throwOnAppendFailure=false'));
    const stream = freshStream();
    await store.append(stream, [newEvent(), newEvent()], 'no-stream');
    const error = await store.append(stream, [newEvent()], 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ stream, expected: 0, actual: 1 });
    expect(await collect(store.readStream(stream))).toHaveLength(2);
  });

  it('dropped subscription: a restart or leader election ends the server\'s call, and the subscription resumes with no gap and no duplicate', async () => {
    const node = await startNode();
    const store = open(node.connectionString());
    const stream = freshStream();
    await store.append(stream, [newEvent('Before')], 'no-stream');
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const seen: string[] = [];
    for (;;) {
      const { value } = await nextWithin(iterator);
      if (value.kind === 'caught-up') break;
      seen.push(value.event.type);
    }
    node.restart();
    await store.append(stream, [newEvent('After1')], 0);
    await store.append(stream, [newEvent('After2')], 1);
    while (seen.length < 3) {
      const { value } = await nextWithin(iterator);
      if (value.kind === 'event') seen.push(value.event.type);
    }
    expect(seen).toEqual(['Before', 'After1', 'After2']);
    await subscription.close();
  });

  it('stalled server: reads, the head and appends give up after their deadline with StoreUnavailableError, and work once it answers again', async () => {
    const node = await startNode();
    const store = open(node.connectionString('defaultDeadline=500'), { readTimeoutMs: 500 });
    const stream = freshStream();
    const first = newEvent();
    await store.append(stream, [first], 'no-stream');
    node.stall();
    const started = Date.now();
    await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(collect(store.readAll())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
    // The stalled node may still write it once it moves again: not "unreachable", but unconfirmed.
    await expect(store.append(stream, [newEvent()], 0)).rejects.toMatchObject({ fault: 'write-unconfirmed' });
    expect(Date.now() - started).toBeLessThan(10_000);
    node.resume();
    expect((await collect(store.readStream(stream)))[0].id).toBe(first.id);
  });

  it('append time-out: an append whose answer is lost is reported as unconfirmed (it may have been written), and repeating it at its revision appends nothing', async () => {
    const node = await startNode();
    const store = open(node.connectionString('defaultDeadline=500'));
    const stream = freshStream();
    const event = newEvent();
    node.loseAppendAnswers();
    const error = await store.append(stream, [event], 'no-stream').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ fault: 'write-unconfirmed' });
    expect((error as Error).message).toMatch(/may have been recorded/);
    node.loseAppendAnswers(false);
    const again = await store.append(stream, [event], 'no-stream');
    expect(again.nextRevision).toBe(0);
    expect(await collect(store.readStream(stream))).toHaveLength(1);
  });

  it('leader change: reads and appends ask for the leader, so a node that became a follower sends them to the new leader instead of serving a stale copy', async () => {
    const leader = await startNode();
    const follower = await startNode({ leader });
    const writer = open(leader.connectionString());
    const stream = freshStream();
    await writer.append(stream, [newEvent('OnTheLeader')], 'no-stream');
    // The application still points at the old leader, now a follower that has not replicated the write.
    const store = open(follower.connectionString());
    expect((await collect(store.readStream(stream))).map((e) => e.type)).toEqual(['OnTheLeader']);
    expect(follower.calls.length).toBeGreaterThan(0);
    expect(follower.calls.every((call) => call.requiresLeader)).toBe(true);
    expect((await store.append(stream, [newEvent('ReadYourWrite')], 0)).nextRevision).toBe(1);
    expect((await collect(store.readStream(stream))).map((e) => e.type)).toEqual(['OnTheLeader', 'ReadYourWrite']);
  });

  it('clock step back: the leader\'s clock going back never makes recorded times decrease, and verify passes', async () => {
    const node = await startNode();
    const store = open(node.connectionString());
    const stream = freshStream('unit');
    await appendChained(store, stream, [newEvent('First')], 'no-stream');
    node.stepClock(-3_600_000);
    await appendChained(store, stream, [newEvent('Second')], 0);
    const events = await collect(store.readAll());
    expect(events.map((e) => e.type)).toEqual(['First', 'Second']);
    expect(events[1].recordedAt >= events[0].recordedAt).toBe(true);
    expect(await verifyLog(store.readAll())).toMatchObject({ ok: true, events: 2 });
  });

  it('foreign events: another application\'s events in the same database are neither read, subscribed to nor verified as ours', async () => {
    const node = await startNode();
    const store = open(node.connectionString());
    node.writeForeign('orders-1', 'OrderPlaced', { total: 3 });
    const stream = freshStream('unit');
    const ours = await appendChained(store, stream, [newEvent('Ours')], 'no-stream');
    node.writeForeign('orders-1', 'OrderShipped', { by: 'post' });
    expect((await collect(store.readAll())).map((e) => e.type)).toEqual(['Ours']);
    expect(await store.headPosition()).toBe(ours.position);
    expect(await verifyLog(store.readAll())).toMatchObject({ ok: true, events: 1 });
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await nextWithin(iterator)).value).toMatchObject({ kind: 'event', event: { type: 'Ours' } });
    expect((await nextWithin(iterator)).value).toEqual({ kind: 'caught-up', position: ours.position });
    await subscription.close();
  });

  it('lost id cache: after a restart, re-appending at the exact revision (the engine\'s only way) still appends nothing; with `any` EventStoreDB may append again', async () => {
    const node = await startNode();
    const store = open(node.connectionString());
    const stream = freshStream();
    const first = [newEvent('A')];
    const firstResult = await store.append(stream, first, 'no-stream');
    const second = [newEvent('B')];
    await store.append(stream, second, 0);
    node.restart();
    expect(await store.append(stream, first, 'no-stream')).toEqual(firstResult);
    expect((await store.append(stream, second, 0)).nextRevision).toBe(1);
    expect(await collect(store.readStream(stream))).toHaveLength(2);
    // The weaker promise the port states for 'any': the id cache is gone, so the server appends a copy.
    await store.append(stream, second, 'any');
    expect(await collect(store.readStream(stream))).toHaveLength(3);
  });

  it('kurrentdb:// connection strings (KurrentDB\'s own scheme) reach the server', async () => {
    const node = await startNode();
    const store = open(node.connectionString().replace('esdb://', 'kurrentdb://'));
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
