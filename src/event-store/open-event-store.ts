import type { LedgerConfig } from '../config';
import type { EventStore } from '../event-sourcing/event-store.port';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** The one place that picks the adapter for a configured store. */
export function openEventStore(config: Pick<LedgerConfig, 'store' | 'maxEventBytes' | 'clock' | 'lockWaitMs'>): EventStore {
  return config.store.kind === 'sqlite'
    ? new SqliteEventStore(config.store.path, { maxEventBytes: config.maxEventBytes, clock: config.clock, lockDeadlineMs: config.lockWaitMs })
    : new EsdbEventStore(config.store.connectionString, { maxEventBytes: config.maxEventBytes });
}
