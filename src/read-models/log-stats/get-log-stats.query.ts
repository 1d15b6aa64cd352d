import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { LogStatsRow } from '../../../projections/log-stats.projection';
import { ProjectionRunner } from '../projection-runner';
import { READ_MODEL_DB } from '../tokens';

export interface LogStats {
  /** The log position the figures hold at. */
  position: number;
  categories: { category: string; events: number; streams: number; lastPosition: number; lastRecordedAt: string }[];
  totals: { events: number; streams: number };
}

/** Events and streams per stream category, from the log-stats projection. */
export class GetLogStatsQuery extends Query<LogStats> {}

@QueryHandler(GetLogStatsQuery)
export class GetLogStatsHandler implements IQueryHandler<GetLogStatsQuery, LogStats> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute(): Promise<LogStats> {
    const rows = this.db.prepare('SELECT * FROM log_stats_v1 ORDER BY category').all() as LogStatsRow[];
    const categories = rows.map((r) => ({ category: r.category, events: r.events, streams: r.streams, lastPosition: r.last_position, lastRecordedAt: r.last_recorded_at }));
    return {
      position: this.runner.position(),
      categories,
      totals: { events: rows.reduce((n, r) => n + r.events, 0), streams: rows.reduce((n, r) => n + r.streams, 0) },
    };
  }
}
