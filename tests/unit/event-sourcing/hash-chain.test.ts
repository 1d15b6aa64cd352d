import { appendChained } from '../../../src/event-sourcing/chained-appender';
import { canonicalJson } from '../../../src/event-sourcing/canonical-json';
import { chainBreak, eventHash } from '../../../src/event-sourcing/hash-chain';
import { WrongExpectedRevisionError } from '../../../src/event-sourcing/errors';
import { collect, freshStream, newEvent } from '../../support/streams';
import { tempStore } from '../../support/temp-store';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'é' }, u: undefined })).toBe('{"a":{"c":"é","d":[2,{"y":null,"z":1}]},"b":1}');
  });
  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
  });
});

describe('per-stream hash chain', () => {
  const fixture = tempStore();
  afterAll(() => fixture.dispose());

  it('links each event to the previous event of its stream and hashes its own content', async () => {
    const stream = freshStream('chain');
    await appendChained(fixture.store, stream, [newEvent('A', { n: 1 }, { actor: 'u1' }), newEvent('B', { n: 2 })], 'no-stream');
    await appendChained(fixture.store, stream, [newEvent('C', { text: '受益户数 Sở Công Thương' })], 'any');
    const events = await collect(fixture.store.readStream(stream));
    expect(events[0].metadata.prevHash).toBeNull();
    expect(events[0].metadata.actor).toBe('u1');
    expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
    expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
    expect(String(events[2].metadata.hash)).toMatch(/^[0-9a-f]{64}$/);
    let previous: string | null = null;
    for (const event of events) {
      expect(chainBreak(event, previous)).toBeNull();
      previous = String(event.metadata.hash);
    }
  });

  it('detects an altered payload, an altered metadata field and a removed predecessor', async () => {
    const stream = freshStream('chain');
    await appendChained(fixture.store, stream, [newEvent('A', { value: 1520 }, { actor: 'u1' }), newEvent('B', { value: 7 })], 'no-stream');
    const [first, second] = await collect(fixture.store.readStream(stream));
    expect(chainBreak({ ...first, data: { value: 1500 } }, null)).toMatch(/hash/);
    expect(chainBreak({ ...first, metadata: { ...first.metadata, actor: 'someone-else' } }, null)).toMatch(/hash/);
    expect(chainBreak(second, null)).toMatch(/prevHash/);
    expect(chainBreak({ ...second, revision: 5 }, String(first.metadata.hash))).toMatch(/hash/);
    expect(eventHash(second)).toBe(second.metadata.hash);
  });

  it('keeps the caller expectation: a stale exact revision conflicts, a retried batch appends nothing', async () => {
    const stream = freshStream('chain');
    const batch = [newEvent('A')];
    const first = await appendChained(fixture.store, stream, batch, 'no-stream');
    await expect(appendChained(fixture.store, stream, [newEvent('B')], 5)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await appendChained(fixture.store, stream, batch, 'no-stream')).toEqual(first);
    expect(await collect(fixture.store.readStream(stream))).toHaveLength(1);
  });

  it('keeps one chain when writers race on the same stream with expected any', async () => {
    const stream = freshStream('chain');
    await Promise.all(Array.from({ length: 10 }, (_, n) => appendChained(fixture.store, stream, [newEvent('N', { n })], 'any')));
    const events = await collect(fixture.store.readStream(stream));
    expect(events).toHaveLength(10);
    let previous: string | null = null;
    for (const event of events) {
      expect(chainBreak(event, previous)).toBeNull();
      previous = String(event.metadata.hash);
    }
  });
});
