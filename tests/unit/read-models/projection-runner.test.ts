import type Database from 'better-sqlite3';
import type { EventStore, StoredEvent } from '../../../src/event-sourcing/event-store.port';
import { appendChained } from '../../../src/event-sourcing/chained-appender';
import type { Projection } from '../../../projections/projection';
import { ProjectionRunner } from '../../../src/read-models/projection-runner';
import { openReadModelDb } from '../../../src/read-models/read-model-db';
import { historyProjection } from '../../../projections/history.projection';
import { logDigestProjection } from '../../../projections/log-digest.projection';
import { logStatsProjection, type LogStatsRow } from '../../../projections/log-stats.projection';
import { freshStream, newEvent } from '../../support/streams';
import { tempStore } from '../../support/temp-store';
import { join } from 'node:path';

const stats = (db: ReturnType<typeof openReadModelDb>, category: string) =>
  db.prepare('SELECT category, events, streams FROM log_stats_v1 WHERE category = ?').get(category) as LogStatsRow | undefined;

describe('ProjectionRunner', () => {
  const fixture = tempStore();
  afterAll(() => fixture.dispose());

  async function seed(category: string, streams: number, perStream: number) {
    for (let s = 0; s < streams; s++) {
      const stream = freshStream(category);
      await appendChained(fixture.store, stream, Array.from({ length: perStream }, () => newEvent()), 'no-stream');
    }
  }

  it('applies every event once, across restarts and when the log is fed twice', async () => {
    await seed('alpha', 3, 4);
    const path = join(fixture.directory, 'once.read.db');
    const db = openReadModelDb(path);
    await new ProjectionRunner(fixture.store, db, [logStatsProjection], { batchSize: 5 }).catchUp();
    expect(stats(db, 'alpha')).toEqual({ category: 'alpha', events: 12, streams: 3 });
    db.close();

    // A restart over the same file, and a store that delivers each event twice.
    const doubled: EventStore = Object.create(fixture.store);
    doubled.readAll = async function* (options) {
      for await (const event of fixture.store.readAll({ after: 0 })) {
        if (event.position > (options?.after ?? 0)) {
          yield event;
          yield event;
        }
      }
    };
    await seed('alpha', 1, 2);
    const reopened = openReadModelDb(path);
    const runner = new ProjectionRunner(doubled, reopened, [logStatsProjection], { batchSize: 3 });
    await runner.catchUp();
    await runner.catchUp();
    expect(stats(reopened, 'alpha')).toEqual({ category: 'alpha', events: 14, streams: 4 });
    expect(runner.position()).toBe(await fixture.store.headPosition());
    reopened.close();
  });

  it('rolls back a failed batch with its checkpoint, then resumes without double counting', async () => {
    await seed('beta', 2, 3);
    const db = openReadModelDb(':memory:');
    let failAt: number | null = null;
    const flaky: Projection = {
      ...logStatsProjection,
      // Applied event by event, so that the failure comes in the middle of the batch.
      applyBatch: undefined,
      apply(event: StoredEvent, tables) {
        if (event.position === failAt) throw new Error('crash');
        logStatsProjection.apply(event, tables);
      },
    };
    const head = await fixture.store.headPosition();
    failAt = head - 1;
    const runner = new ProjectionRunner(fixture.store, db, [flaky], { batchSize: 100000 });
    await expect(runner.catchUp()).rejects.toThrow('crash');
    expect(runner.position()).toBe(0);
    expect(stats(db, 'beta')).toBeUndefined();
    failAt = null;
    await runner.catchUp();
    expect(stats(db, 'beta')).toEqual({ category: 'beta', events: 6, streams: 2 });
  });

  it('rebuilds from zero to the same rows, and a new version starts beside the old', async () => {
    const db = openReadModelDb(':memory:');
    const runner = new ProjectionRunner(fixture.store, db, [logStatsProjection]);
    await runner.catchUp();
    const before = db.prepare('SELECT * FROM log_stats_v1 ORDER BY category').all();
    let progress = 0;
    await runner.rebuild((position) => (progress = position));
    expect(db.prepare('SELECT * FROM log_stats_v1 ORDER BY category').all()).toEqual(before);
    expect(progress).toBe(await fixture.store.headPosition());

    const v2: Projection = { ...logStatsProjection, version: 2, tables: ['log_stats_v2'], schema: logStatsProjection.schema.map((s) => s.replace('_v1', '_v2')), apply: () => undefined };
    const upgraded = new ProjectionRunner(fixture.store, db, [v2]);
    expect(upgraded.status()).toEqual([{ name: 'log_stats', version: 2, position: 0 }]);
    expect(db.prepare('SELECT count(*) AS n FROM log_stats_v1').get()).toEqual({ n: before.length });
  });

  it('follows the log live and says when it has caught up to a position', async () => {
    const db = openReadModelDb(':memory:');
    const runner = new ProjectionRunner(fixture.store, db, [logStatsProjection]);
    await runner.start();
    const stream = freshStream('gamma');
    const { position } = await appendChained(fixture.store, stream, [newEvent(), newEvent()], 'no-stream');
    await runner.whenCaughtUp(position);
    expect(stats(db, 'gamma')).toEqual({ category: 'gamma', events: 2, streams: 1 });
    await runner.stop();
  });

  it('applies the events of one group commit in one read-model transaction while following the log live', async () => {
    const db = openReadModelDb(':memory:');
    const batches: number[] = [];
    const counting: Projection = { ...logStatsProjection, applyBatch: (events, tables) => (batches.push(events.length), logStatsProjection.applyBatch!(events, tables)) };
    const runner = new ProjectionRunner(fixture.store, db, [counting]);
    await runner.start();
    batches.length = 0;
    // Sixteen appends made in one turn of the event loop share one commit.
    const appended = await Promise.all(Array.from({ length: 16 }, () => appendChained(fixture.store, freshStream('epsilon'), [newEvent()], 'no-stream')));
    await runner.whenCaughtUp(Math.max(...appended.map((a) => a.position)));
    expect(batches).toEqual([16]);
    expect(stats(db, 'epsilon')).toEqual({ category: 'epsilon', events: 16, streams: 16 });
    await runner.stop();
  });

  it('a rebuild builds the deferred indexes after its replay; batch projections write the same rows in one batch (multi-row INSERTs) as event by event', async () => {
    // 135 events about a ledger: two full 64-row statements and the rest row by row in one batch.
    for (let s = 0; s < 3; s++) {
      const stream = freshStream('delta');
      await appendChained(fixture.store, stream, Array.from({ length: 45 }, (_, i) => newEvent('SomethingHappened', { ledgerId: 'l-1', unitId: `u-${i % 4}`, i })), 'no-stream');
    }
    const projections = [logDigestProjection, historyProjection];
    const indexed = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'log_digest_v1_time'").all().length === 1;
    const byOne = openReadModelDb(':memory:');
    await new ProjectionRunner(fixture.store, byOne, projections, { batchSize: 1 }).catchUp();
    expect(indexed(byOne)).toBe(true);
    const inBulk = openReadModelDb(':memory:');
    const runner = new ProjectionRunner(fixture.store, inBulk, projections, { batchSize: 1000 });
    const duringReplay: boolean[] = [];
    await runner.rebuild(() => duringReplay.push(indexed(inBulk)));
    expect(duringReplay).toEqual([false]);
    expect(indexed(inBulk)).toBe(true);
    const rows = (db: Database.Database, table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY position`).all();
    expect(rows(inBulk, 'log_digest_v1')).toEqual(rows(byOne, 'log_digest_v1'));
    expect(rows(inBulk, 'log_digest_v1')).toHaveLength(await fixture.store.headPosition());
    expect(rows(inBulk, 'history_v1')).toEqual(rows(byOne, 'history_v1'));
    expect(rows(inBulk, 'history_v1').length).toBeGreaterThanOrEqual(135);
  });
});
