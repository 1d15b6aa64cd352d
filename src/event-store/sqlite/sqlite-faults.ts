import { setTimeout as sleep } from 'node:timers/promises';
import { StoreUnavailableError, type StoreFault } from '../../event-sourcing/errors';

/** SQLite result codes (and file-system errno codes met on open) that mean the store cannot serve, by what the operator must fix. */
const FAULTS: [RegExp, StoreFault][] = [
  [/^SQLITE_(BUSY|LOCKED)/, 'locked'],
  [/^SQLITE_READONLY|^EROFS$|^EACCES$|^EPERM$|^SQLITE_PERM/, 'read-only'],
  [/^SQLITE_FULL|^ENOSPC$|^SQLITE_IOERR_(WRITE|FSYNC|TRUNCATE|SHMSIZE)$/, 'full'],
  [/^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR)/, 'cannot-open'],
];

export function faultOf(error: unknown): StoreFault | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return FAULTS.find(([pattern]) => pattern.test(code))?.[1] ?? null;
}

/** The error as the edges must see it: a store fault becomes StoreUnavailableError (its message names no path); anything else is returned as it is. */
export function asStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const fault = faultOf(error);
  return fault ? new StoreUnavailableError(fault, { cause: error }) : error;
}

/** Runs synchronous SQLite work, mapping store faults to StoreUnavailableError. */
export function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asStoreError(error);
  }
}

/**
 * Runs synchronous SQLite work that needs the write lock. The connection's busy timeout is short
 * (better-sqlite3 blocks the event loop while it waits), so a lock held by another writer is waited
 * for here, asynchronously, with a growing pause between attempts, up to `deadlineMs`; then the
 * store is reported unavailable (locked).
 */
export async function whenUnlocked<T>(work: () => T, deadlineMs: number): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    try {
      return work();
    } catch (error) {
      const mapped = asStoreError(error);
      if (!(mapped instanceof StoreUnavailableError) || mapped.fault !== 'locked' || Date.now() + pause > deadline) throw mapped;
    }
    await sleep(pause);
  }
}
