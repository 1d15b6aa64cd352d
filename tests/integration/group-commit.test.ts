import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WrongExpectedRevisionError } from '../../src/event-sourcing/errors';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { exited, spawnScript } from '../support/run-cli-process';
import { collect, freshStream, newEvent } from '../support/streams';
import { tempStore } from '../support/temp-store';

type Ack = { outcome: 'ok' | 'conflict'; id: string; stream: string; revision?: number };

function readAcks(file: string): Ack[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [outcome, id, stream, revision] = line.split(' ');
      return { outcome: outcome as Ack['outcome'], id, stream, revision: revision === undefined ? undefined : Number(revision) };
    });
}

describe('group commit in the embedded store', () => {
  it('appends made in one turn are each checked against their own expectation, in order, and a conflict fails only its caller', async () => {
    const fixture = tempStore();
    const stream = freshStream('group');
    const other = freshStream('group');
    const [first, second, stale, elsewhere] = await Promise.allSettled([
      fixture.store.append(stream, [newEvent('A')], 'no-stream'),
      fixture.store.append(stream, [newEvent('B'), newEvent('C')], 0),
      fixture.store.append(stream, [newEvent('Stale')], 0),
      fixture.store.append(other, [newEvent('D')], 'no-stream'),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { nextRevision: 0 } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { nextRevision: 2 } });
    expect(stale.status === 'rejected' && stale.reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(elsewhere).toMatchObject({ status: 'fulfilled', value: { nextRevision: 0 } });
    expect((await collect(fixture.store.readStream(stream))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    // One commit covered them all: their positions follow on, in the order the appends were made.
    const positions = [first, second, elsewhere].map((r) => (r.status === 'fulfilled' ? r.value.position : 0));
    expect(positions).toEqual([positions[0], positions[0] + 2, positions[0] + 3]);
    await fixture.dispose();
  });

  it('keeps every acknowledged event and no rejected one after a kill -9 in the middle of a concurrent load', async () => {
    const fixture = tempStore();
    await fixture.store.close();
    const ackFile = join(fixture.directory, 'acks.txt');
    const child = spawnScript('tests/support/group-commit-load.ts', [fixture.path, ackFile, '24', '6']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Polling a file another process writes: the load runs until enough of both outcomes are seen.
    for (let acks = readAcks(ackFile); acks.filter((a) => a.outcome === 'ok').length < 400 || acks.filter((a) => a.outcome === 'conflict').length < 20; acks = readAcks(ackFile)) {
      if (child.exitCode !== null) throw new Error(`the load ended by itself: ${stderr}`);
      await sleep(50);
    }
    child.kill('SIGKILL');
    expect(await exited(child)).toBeNull();

    const acks = readAcks(ackFile);
    const store = new SqliteEventStore(fixture.path);
    const stored = new Map((await collect(store.readAll())).map((e) => [e.id, e]));
    for (const ack of acks.filter((a) => a.outcome === 'ok')) {
      expect(stored.get(ack.id)).toMatchObject({ stream: ack.stream, revision: ack.revision });
    }
    for (const ack of acks.filter((a) => a.outcome === 'conflict')) expect(stored.has(ack.id)).toBe(false);
    // At most the appends in flight at the kill (one per writer) are in the log unacknowledged.
    expect(stored.size - acks.filter((a) => a.outcome === 'ok').length).toBeLessThanOrEqual(24);
    for (let n = 0; n < 6; n++) {
      const revisions = (await collect(store.readStream(`load-${n}`))).map((e) => e.revision);
      expect(revisions).toEqual(revisions.map((_, index) => index));
    }
    await store.close();
    await fixture.dispose();
  }, 120_000);
});
