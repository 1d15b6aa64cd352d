import type { Decider, DomainEvent } from '../../../src/event-sourcing/decider';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import { WrongExpectedRevisionError } from '../../../src/event-sourcing/errors';
import type { EventStore } from '../../../src/event-sourcing/event-store.port';
import { handleCommand } from '../../../src/event-sourcing/handle-command';
import type { RequestContext } from '../../../src/event-sourcing/request-context';
import { collect, freshStream } from '../../support/streams';
import { tempStore } from '../../support/temp-store';

/** A tiny decider: a counter that may not go above a limit. */
type CounterEvent = DomainEvent<'Incremented', { by: number }>;
const counter: Decider<{ by: number; limit: number }, CounterEvent, number> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) => {
    if (command.by <= 0) throw new DomainError('invalid', [{ field: 'by', reason: 'must be positive' }]);
    if (total + command.by > command.limit) throw new DomainError('conflict', [{ field: 'by', reason: `would exceed ${command.limit}` }]);
    return [{ type: 'Incremented', data: { by: command.by } }];
  },
};

const context: RequestContext = { actor: 'token-1', role: 'submitter', unit: 'gd-grid', correlationId: 'corr-1', causationId: 'cmd-1' };

describe('handleCommand', () => {
  const fixture = tempStore();
  afterAll(() => fixture.dispose());

  it('reads, folds, decides and appends with the context in metadata', async () => {
    const stream = freshStream('counter');
    await handleCommand(fixture.store, stream, counter, { by: 2, limit: 5 }, context);
    const result = await handleCommand(fixture.store, stream, counter, { by: 3, limit: 5 }, context);
    expect(result.revision).toBe(1);
    const events = await collect(fixture.store.readStream(stream));
    expect(events.map((e) => e.data.by)).toEqual([2, 3]);
    expect(events[1].metadata).toMatchObject({ actor: 'token-1', role: 'submitter', unit: 'gd-grid', correlationId: 'corr-1', causationId: 'cmd-1', schemaVersion: 1 });
    expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
  });

  it('appends nothing when the decision fails', async () => {
    const stream = freshStream('counter');
    await expect(handleCommand(fixture.store, stream, counter, { by: 9, limit: 5 }, context)).rejects.toThrow('by: would exceed 5');
    await expect(handleCommand(fixture.store, stream, counter, { by: -1, limit: 5 }, context)).rejects.toBeInstanceOf(DomainError);
    expect(await collect(fixture.store.readStream(stream))).toEqual([]);
  });

  it('a client-chosen event id makes a retry append nothing', async () => {
    const stream = freshStream('counter');
    const eventId = '0b6c1f3e-8a51-4c59-9a55-6c7f1c7d2a10';
    const first = await handleCommand(fixture.store, stream, counter, { by: 1, limit: 5 }, context, { eventId });
    const retry = await handleCommand(fixture.store, stream, counter, { by: 1, limit: 5 }, context, { eventId });
    expect(retry.duplicate).toBe(true);
    expect(retry.position).toBe(first.position);
    expect((await collect(fixture.store.readStream(stream))).map((e) => e.id)).toEqual([eventId]);
  });

  it('retries a conflict by deciding again on fresh state, only where allowed', async () => {
    const stream = freshStream('counter');
    // A store whose first append loses a race to another writer.
    let raced = false;
    const racing: EventStore = Object.create(fixture.store);
    racing.append = async (s, events, expected) => {
      if (!raced) {
        raced = true;
        await handleCommand(fixture.store, stream, counter, { by: 4, limit: 5 }, context);
      }
      return fixture.store.append(s, events, expected);
    };
    await expect(handleCommand(racing, stream, counter, { by: 1, limit: 5 }, context)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    raced = false;
    const other = freshStream('counter');
    racing.append = async (s, events, expected) => {
      if (!raced) {
        raced = true;
        await handleCommand(fixture.store, other, counter, { by: 4, limit: 5 }, context);
      }
      return fixture.store.append(s, events, expected);
    };
    // On retry the decision sees the other writer's 4 and refuses to exceed the limit.
    await expect(handleCommand(racing, other, counter, { by: 2, limit: 5 }, context, { maxAttempts: 3 })).rejects.toThrow('would exceed 5');
    expect((await collect(fixture.store.readStream(other))).map((e) => e.data.by)).toEqual([4]);
  });
});
