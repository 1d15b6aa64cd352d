import type { StoredEvent } from '../src/event-sourcing/event-store.port';

/** The narrow window a projection has on its read-model tables: SQL in, rows out. */
export interface ReadModelTables {
  run(sql: string, ...params: unknown[]): void;
  get<Row>(sql: string, ...params: unknown[]): Row | undefined;
  all<Row>(sql: string, ...params: unknown[]): Row[];
}

/**
 * A projection is data plus a function: which events it reads, the versioned tables it owns
 * (`<name>_v<version>`), and how one event changes them. It never sees the clock, the store or
 * the framework; the runner feeds it each event once, in log order, inside a transaction that
 * also moves its checkpoint.
 */
export interface Projection {
  name: string;
  version: number;
  /** Event types it reads; 'all' for every event. */
  handles: readonly string[] | 'all';
  /** Tables it owns, each named with its version so a new version rebuilds beside the old. */
  tables: readonly string[];
  /** CREATE TABLE / INDEX statements for those tables. */
  schema: readonly string[];
  apply(event: StoredEvent, tables: ReadModelTables): void;
  /**
   * Optional, for a projection that reads only its own tables: the runner gives it the events of a
   * whole batch that it handles (in log order, in the batch's transaction) instead of calling
   * `apply` per event, so it can keep running values in memory and write one row per batch.
   */
  applyBatch?(events: readonly StoredEvent[], tables: ReadModelTables): void;
  /**
   * CREATE INDEX statements of secondary indexes that `apply` never reads through: created with the
   * schema, but after the replay in a rebuild (one sort instead of an index entry per event). They
   * may be followed by idempotent statements that finish work `apply` deferred until the indexes
   * exist (the submissions' supersessions); all run again whenever a runner is created.
   */
  indexes?: readonly string[];
}
