import type { StoredEvent } from '../src/event-sourcing/event-store.port';
import type { Projection, ReadModelTables } from './projection';

/** Events and streams per stream category (`<category>-<id>`): what `stats` and /health show. */
export const logStatsProjection: Projection = {
  name: 'log_stats',
  version: 1,
  handles: 'all',
  tables: ['log_stats_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS log_stats_v1 (
      category TEXT PRIMARY KEY,
      events INTEGER NOT NULL,
      streams INTEGER NOT NULL,
      last_position INTEGER NOT NULL,
      last_recorded_at TEXT NOT NULL
    )`,
  ],
  apply(event, tables) {
    applyStats([event], tables);
  },
  applyBatch: applyStats,
};

/** One upsert per category per batch, with the batch's counts. */
function applyStats(events: readonly StoredEvent[], tables: ReadModelTables): void {
  const categories = new Map<string, { events: number; streams: number; position: number; recordedAt: string }>();
  for (const event of events) {
    const dash = event.stream.indexOf('-');
    const category = dash < 0 ? event.stream : event.stream.slice(0, dash);
    let counts = categories.get(category);
    if (!counts) categories.set(category, (counts = { events: 0, streams: 0, position: 0, recordedAt: '' }));
    counts.events += 1;
    if (event.revision === 0) counts.streams += 1;
    counts.position = event.position;
    counts.recordedAt = event.recordedAt;
  }
  for (const [category, counts] of categories) {
    tables.run(
      `INSERT INTO log_stats_v1 (category, events, streams, last_position, last_recorded_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (category) DO UPDATE SET events = events + excluded.events, streams = streams + excluded.streams,
         last_position = excluded.last_position, last_recorded_at = excluded.last_recorded_at`,
      category,
      counts.events,
      counts.streams,
      counts.position,
      counts.recordedAt,
    );
  }
}

export interface LogStatsRow {
  category: string;
  events: number;
  streams: number;
  last_position: number;
  last_recorded_at: string;
}
