import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { Clock } from '../event-sourcing/clock';
import { CLOCK } from '../event-sourcing/tokens';
import { READ_MODEL_DB } from '../read-models/tokens';
import type { AsOf } from './as-of';
import { EMPTY_LOG_DIGEST } from '../event-sourcing/log-digest';

export interface Moment {
  /** The instant it stands for (ISO): now, the time given, or the recorded time of the event at the position given (unless pinned to another instant). */
  instant: string;
  /** The last log position at or before it (0: before the first event). */
  position: number;
  /** The log's running digest at that position. */
  digest: string;
  /** Events in the log up to that position: the size of the Merkle tree a checkpoint of that moment signs. */
  size: number;
}

/** Where a moment falls in the log, read from the log-digest read model (callers catch up first). */
@Injectable()
export class Moments {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  resolve(asOf: AsOf): Moment {
    const columns = 'SELECT position, recorded_at, digest, events FROM log_digest_v1';
    const row = (
      asOf.kind === 'position'
        ? this.db.prepare(`${columns} WHERE position <= ? ORDER BY position DESC LIMIT 1`).get(asOf.position)
        : asOf.kind === 'size'
          ? this.db.prepare(`${columns} WHERE events <= ? ORDER BY position DESC LIMIT 1`).get(asOf.size)
          : asOf.kind === 'time'
            ? this.db.prepare(`${columns} WHERE recorded_at <= ? ORDER BY position DESC LIMIT 1`).get(asOf.at)
            : this.db.prepare(`${columns} ORDER BY position DESC LIMIT 1`).get()
    ) as { position: number; recorded_at: string; digest: string; events: number } | undefined;
    const pinned = asOf.kind === 'position' || asOf.kind === 'size';
    const instant = asOf.kind === 'time' ? asOf.at : pinned && (asOf.at ?? row) ? (asOf.at ?? row!.recorded_at) : this.clock.now().toISOString();
    return { instant, position: row?.position ?? 0, digest: row?.digest ?? EMPTY_LOG_DIGEST, size: row?.events ?? 0 };
  }

  async instantOf(asOf: AsOf): Promise<string> {
    return this.resolve(asOf).instant;
  }
}
