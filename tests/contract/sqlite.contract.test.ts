import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { collect, freshStream, newEvent } from '../support/streams';
import { describeEventStoreContract } from './event-store.contract';

const directory = mkdtempSync(join(tmpdir(), 'ledger-contract-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeEventStoreContract('embedded SQLite', async ({ maxEventBytes }) =>
  new SqliteEventStore(join(directory, 'ledger.db'), { maxEventBytes, pollIntervalMs: 20 }),
);

// Beyond the contract: the embedded store finds ids in its index whatever the expectation, so `any` is idempotent too.
describe('embedded SQLite: idempotency by id with any', () => {
  it('re-appending with expected any after more events appends nothing', async () => {
    const store = new SqliteEventStore(join(directory, 'any.db'), { pollIntervalMs: 20 });
    try {
      const stream = freshStream();
      const event = newEvent();
      await store.append(stream, [event], 'any');
      await store.append(stream, [newEvent()], 'any');
      expect((await store.append(stream, [event], 'any')).nextRevision).toBe(0);
      expect(await collect(store.readStream(stream))).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
