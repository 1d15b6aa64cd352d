import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { Clock } from '../event-sourcing/clock';
import { CLOCK } from '../event-sourcing/tokens';
import { whenUnlocked } from '../event-store/sqlite/sqlite-faults';
import { READ_MODEL_DB } from '../read-models/tokens';

/** How long a key is remembered after its request (the draft leaves it to the server; a day covers any client's retries). */
const KEEP_MS = 24 * 60 * 60 * 1000;
/** A request still marked running after this long died with its process: its key may be claimed again. */
const STALE_RUNNING_MS = 2 * 60 * 1000;
/** The read-model file may be held a moment by another process catching up: waited for without blocking the event loop. */
const LOCK_WAIT_MS = 5000;

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'mismatch' }
  | { kind: 'running' }
  | { kind: 'done'; status: number; body: unknown };

interface KeyRow {
  fingerprint: string;
  status: number | null;
  body: string | null;
  claimed_at: number;
}

/**
 * Idempotency keys (IETF draft "The Idempotency-Key HTTP Header Field"), per caller: the
 * fingerprint of the request that first used a key, and once it is answered, its status and body.
 * Kept in the read-model database, shared by every process on the store's machine; not derived
 * from the log, so `rebuild` leaves the table alone. Losing it loses no event: a key also derives
 * the event id (see SubmitRecordHandler), so a retry still appends nothing twice.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      caller TEXT NOT NULL,
      key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      status INTEGER,
      body TEXT,
      claimed_at INTEGER NOT NULL,
      PRIMARY KEY (caller, key)
    )`);
  }

  /** Claims the key for a request, or says why it cannot: used with another request, still running, or answered already. */
  claim(caller: string, key: string, fingerprint: string): Promise<Claim> {
    const now = this.clock.now().getTime();
    const claim = this.db.transaction((): Claim => {
        this.db.prepare('DELETE FROM idempotency_keys WHERE claimed_at < ?').run(now - KEEP_MS);
        const row = this.db.prepare('SELECT fingerprint, status, body, claimed_at FROM idempotency_keys WHERE caller = ? AND key = ?').get(caller, key) as KeyRow | undefined;
        if (row && row.fingerprint !== fingerprint) return { kind: 'mismatch' };
        if (row && row.status !== null) return { kind: 'done', status: row.status, body: JSON.parse(row.body ?? 'null') };
        if (row && row.claimed_at > now - STALE_RUNNING_MS) return { kind: 'running' };
        this.db.prepare('INSERT OR REPLACE INTO idempotency_keys (caller, key, fingerprint, status, body, claimed_at) VALUES (?, ?, ?, NULL, NULL, ?)').run(caller, key, fingerprint, now);
        return { kind: 'claimed' };
      });
    return whenUnlocked(() => claim.immediate(), LOCK_WAIT_MS);
  }

  /** Keeps the answer, to replay it to a retry. */
  async answer(caller: string, key: string, status: number, body: unknown): Promise<void> {
    const update = this.db.prepare('UPDATE idempotency_keys SET status = ?, body = ? WHERE caller = ? AND key = ?');
    await whenUnlocked(() => update.run(status, JSON.stringify(body ?? null), caller, key), LOCK_WAIT_MS);
  }

  /** Frees the key of a request that could not be carried out (the store unavailable): a retry runs it afresh. */
  async release(caller: string, key: string): Promise<void> {
    const remove = this.db.prepare('DELETE FROM idempotency_keys WHERE caller = ? AND key = ? AND status IS NULL');
    await whenUnlocked(() => remove.run(caller, key), LOCK_WAIT_MS);
  }
}
