import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/event-sourcing/clock';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';

/** A real embedded store in a fresh temporary directory, removed by `dispose`. */
export function tempStore(options: { clock?: Clock; maxEventBytes?: number } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  const path = join(directory, 'ledger.db');
  const store = new SqliteEventStore(path, { ...options, pollIntervalMs: 20 });
  return {
    store,
    directory,
    path,
    dispose: async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
