import type { Projection } from './projection';

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
    const category = event.stream.split('-', 1)[0];
    const newStream = event.revision === 0 ? 1 : 0;
    tables.run(
      `INSERT INTO log_stats_v1 (category, events, streams, last_position, last_recorded_at) VALUES (?, 1, ?, ?, ?)
       ON CONFLICT (category) DO UPDATE SET events = events + 1, streams = streams + excluded.streams,
         last_position = excluded.last_position, last_recorded_at = excluded.last_recorded_at`,
      category,
      newStream,
      event.position,
      event.recordedAt,
    );
  },
};

export interface LogStatsRow {
  category: string;
  events: number;
  streams: number;
  last_position: number;
  last_recorded_at: string;
}
