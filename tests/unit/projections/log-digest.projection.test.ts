import { verifyLog } from '../../../src/evidence/verify-log';
import { appendChained } from '../../../src/event-sourcing/chained-appender';
import type { EventStore } from '../../../src/event-sourcing/event-store.port';
import { ProjectionRunner } from '../../../src/read-models/projection-runner';
import { openReadModelDb } from '../../../src/read-models/read-model-db';
import { logDigestProjection } from '../../../projections/log-digest.projection';
import { freshStream, newEvent } from '../../support/streams';
import { tempStore } from '../../support/temp-store';

describe('log digest projection', () => {
  it('holds the running digest after every event, equal to what verify computes, even when events are delivered twice', async () => {
    const fixture = tempStore();
    for (let i = 0; i < 5; i++) await appendChained(fixture.store, freshStream('d'), [newEvent('A', { i }), newEvent('B')], 'no-stream');
    const doubled: EventStore = Object.create(fixture.store);
    doubled.readAll = async function* (options) {
      for await (const event of fixture.store.readAll(options)) {
        yield event;
        yield event;
      }
    };
    const db = openReadModelDb(':memory:');
    await new ProjectionRunner(doubled, db, [logDigestProjection], { batchSize: 3 }).catchUp();
    const verified = await verifyLog(fixture.store.readAll());
    if (!verified.ok) throw new Error('the log must verify');
    const rows = db.prepare('SELECT position, events, digest FROM log_digest_v1 ORDER BY position').all() as { position: number; events: number; digest: string }[];
    expect(rows).toHaveLength(10);
    expect(rows[9]).toEqual({ position: verified.lastPosition, events: 10, digest: verified.logDigest });
    const partial = await verifyLog(fixture.store.readAll({ maxCount: 4 }));
    expect(partial.ok && partial.logDigest).toBe(rows[3].digest);
    await fixture.dispose();
  });
});
