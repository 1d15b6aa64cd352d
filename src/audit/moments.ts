import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { Clock } from '../event-sourcing/clock';
import { CLOCK } from '../event-sourcing/tokens';
import { READ_MODEL_DB } from '../read-models/tokens';
import type { AsOf } from './as-of';
import { EMPTY_LOG_DIGEST } from './log-digest';

export interface Moment {
  /** The instant it stands for (ISO): now, the time given, or the recorded time of the event at the position given (unless pinned to another instant). */
  instant: string;
  /** The last log position at or before it (0: before the first event). */
  position: number;
  /** The log's running digest at that position. */
  digest: string;
}

/** Where a moment falls in the log, read from the log-digest read model (callers catch up first). */
@Injectable()
export class Moments {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  resolve(asOf: AsOf): Moment {
    const row = (
      asOf.kind === 'position'
        ? this.db.prepare('SELECT position, recorded_at, digest FROM log_digest_v1 WHERE position <= ? ORDER BY position DESC LIMIT 1').get(asOf.position)
        : asOf.kind === 'time'
          ? this.db.prepare('SELECT position, recorded_at, digest FROM log_digest_v1 WHERE recorded_at <= ? ORDER BY position DESC LIMIT 1').get(asOf.at)
          : this.db.prepare('SELECT position, recorded_at, digest FROM log_digest_v1 ORDER BY position DESC LIMIT 1').get()
    ) as { position: number; recorded_at: string; digest: string } | undefined;
    const instant =
      asOf.kind === 'time' ? asOf.at : asOf.kind === 'position' && (asOf.at ?? row) ? (asOf.at ?? row!.recorded_at) : this.clock.now().toISOString();
    return { instant, position: row?.position ?? 0, digest: row?.digest ?? EMPTY_LOG_DIGEST };
  }

  async instantOf(asOf: AsOf): Promise<string> {
    return this.resolve(asOf).instant;
  }
}
