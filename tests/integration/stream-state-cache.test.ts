import type { Decider, DomainEvent } from '../../src/event-sourcing/decider';
import { handleCommand } from '../../src/event-sourcing/handle-command';
import type { RequestContext } from '../../src/event-sourcing/request-context';
import { exited, spawnScript } from '../support/run-cli-process';
import { collect, freshStream } from '../support/streams';
import { tempStore } from '../support/temp-store';

/** Counts every event of its stream, whatever wrote it, in place (as the unit decider folds), and records the count it decided on. */
type Tally = { events: number };
const tally: Decider<{ note: string }, DomainEvent<'Tallied', { seen: number; note: string }>, Tally> = {
  initialState: () => ({ events: 0 }),
  evolve: (state) => {
    state.events += 1;
    return state;
  },
  decide: ({ note }, state) => [{ type: 'Tallied', data: { seen: state.events, note } }],
};

const context: RequestContext = { actor: 'token-1', role: 'submitter', unit: 'gd-grid', correlationId: 'corr-1', causationId: 'cmd-1' };

describe('the stream state cache of handleCommand', () => {
  const fixture = tempStore();
  afterAll(() => fixture.dispose());

  it('a command after events appended by another process decides on them, with the exact revision', async () => {
    const stream = freshStream('tally');
    await handleCommand(fixture.store, stream, tally, { note: 'first' }, context);
    await handleCommand(fixture.store, stream, tally, { note: 'second' }, context);
    const child = spawnScript('tests/support/append-in-child.ts', [fixture.path, stream, '3']);
    expect(await exited(child)).toBe(0);
    // No retry allowed: a stale cached revision would fail the append.
    const result = await handleCommand(fixture.store, stream, tally, { note: 'after' }, context, { maxAttempts: 1 });
    expect(result.revision).toBe(5);
    const events = await collect(fixture.store.readStream(stream));
    expect(events.map((e) => e.type)).toEqual(['Tallied', 'Tallied', 'FromOtherProcess', 'FromOtherProcess', 'FromOtherProcess', 'Tallied']);
    expect(events.map((e) => e.data.seen)).toEqual([0, 1, undefined, undefined, undefined, 5]);
  }, 60_000);

  it('runs concurrent commands on one stream one at a time, each on the state the previous one left', async () => {
    const stream = freshStream('tally');
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => handleCommand(fixture.store, stream, tally, { note: `n${n}` }, context, { maxAttempts: 1 })));
    expect(results.map((r) => r.revision)).toEqual(results.map((_, n) => n));
    expect((await collect(fixture.store.readStream(stream))).map((e) => e.data.seen)).toEqual(results.map((_, n) => n));
  });

  it('a failed decision leaves the cached state as the log has it', async () => {
    const stream = freshStream('tally');
    const refusing: typeof tally = { ...tally, decide: () => { throw new Error('refused'); } };
    await handleCommand(fixture.store, stream, tally, { note: 'a' }, context);
    await expect(handleCommand(fixture.store, stream, refusing, { note: 'b' }, context)).rejects.toThrow('refused');
    await handleCommand(fixture.store, stream, tally, { note: 'c' }, context);
    expect((await collect(fixture.store.readStream(stream))).map((e) => e.data.seen)).toEqual([0, 1]);
  });

  it('takes its own single-event append into the cached state, so the next command reads nothing back, and links the chain on from it', async () => {
    const stream = freshStream('tally');
    let readBack = 0;
    const store = Object.create(fixture.store) as typeof fixture.store;
    store.readStream = async function* (name, options) {
      for await (const event of fixture.store.readStream(name, options)) {
        readBack += 1;
        yield event;
      }
    };
    for (const note of ['a', 'b', 'c']) await handleCommand(store, stream, tally, { note }, context, { maxAttempts: 1 });
    expect(readBack).toBe(0);
    const events = await collect(fixture.store.readStream(stream));
    expect(events.map((e) => e.data.seen)).toEqual([0, 1, 2]);
    expect(events.map((e) => e.metadata.prevHash)).toEqual([null, events[0].metadata.hash, events[1].metadata.hash]);
  });
});
