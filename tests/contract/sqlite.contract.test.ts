import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { describeEventStoreContract } from './event-store.contract';

const directory = mkdtempSync(join(tmpdir(), 'ledger-contract-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeEventStoreContract('embedded SQLite', async ({ maxEventBytes }) =>
  new SqliteEventStore(join(directory, 'ledger.db'), { maxEventBytes, pollIntervalMs: 20 }),
);
