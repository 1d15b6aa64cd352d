import { once } from 'node:events';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { FixedClock } from '../../src/event-sourcing/clock';
import { spawnScript } from '../support/run-cli-process';
import { collect, freshStream, newEvent } from '../support/streams';
import { tempStore } from '../support/temp-store';

describe('embedded store on a real file', () => {
  it('is one WAL file with synchronous FULL, so an acknowledged append is fsynced', async () => {
    const fixture = tempStore();
    expect(fixture.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(fixture.store.db.pragma('synchronous', { simple: true })).toBe(2);
    await fixture.dispose();
  });

  it('keeps acknowledged events when the file is reopened', async () => {
    const fixture = tempStore();
    const stream = freshStream('durable');
    await fixture.store.append(stream, [newEvent('Kept', { text: '增加售电量(万千瓦时)' })], 'no-stream');
    await fixture.store.close();
    const reopened = new SqliteEventStore(fixture.path);
    expect((await collect(reopened.readStream(stream))).map((e) => e.data.text)).toEqual(['增加售电量(万千瓦时)']);
    await reopened.close();
    await fixture.dispose();
  });

  it('never lets recorded times go back, even when the clock does', async () => {
    const clock = new FixedClock(new Date('2021-07-15T08:00:00Z'));
    const fixture = tempStore({ clock });
    const stream = freshStream('time');
    await fixture.store.append(stream, [newEvent()], 'no-stream');
    clock.set('2021-07-14T08:00:00Z');
    await fixture.store.append(stream, [newEvent()], 0);
    const [first, second] = await collect(fixture.store.readStream(stream));
    expect(first.recordedAt).toBe('2021-07-15T08:00:00.000Z');
    expect(second.recordedAt).toBe('2021-07-15T08:00:00.000Z');
    await fixture.dispose();
  });

  it('a live subscription sees events another process appends to the same file', async () => {
    const fixture = tempStore();
    const stream = freshStream('crossproc');
    const subscription = fixture.store.subscribeToAll({ after: 0 });
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ kind: 'caught-up', position: 0 });
    const child = spawnScript('tests/support/append-in-child.ts', [fixture.path, stream, '3']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const seen: number[] = [];
    while (seen.length < 3) {
      const { value } = await iterator.next();
      if (value?.kind === 'event') seen.push(value.event.data.n as number);
    }
    expect(seen).toEqual([0, 1, 2]);
    await subscription.close();
    await fixture.dispose();
  });
});
