/**
 * How the adapter makes its calls to EventStoreDB: on the leader, and never without a deadline.
 * - The leader: every call sends `requires-leader` (LEADER), so a node that is (or has become) a follower
 *   answers NotLeader with the leader's address instead of serving its possibly stale copy; the client then
 *   reconnects to that leader, and `onLeader` repeats the call there. A NotLeader answer means the node did
 *   nothing, so repeating is safe for appends too.
 * - A deadline: the 6.2 client gives reads and subscriptions an infinite one (readAll.ts, readStream.ts:
 *   `deadline: Infinity`) whatever the caller asks, so `collectWithin` bounds each read call itself and
 *   cancels it when the time is up.
 */
import { StoreUnavailableError } from '../../event-sourcing/errors';
import { isNotLeaderError, toStoreError } from './mapping';

/** The call options that ask for the leader. */
export const LEADER = { requiresLeader: true } as const;

/** Tries after a NotLeader answer: the client needs one failed call to learn the leader, a second during an election. */
const LEADER_ATTEMPTS = 3;
/** A pause before repeating, so the client has closed the old channel (it does so asynchronously). */
const LEADER_RETRY_PAUSE_MS = 50;

export async function onLeader<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isNotLeaderError(error) || attempt >= LEADER_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, LEADER_RETRY_PAUSE_MS * attempt));
    }
  }
}

/** A read call of the client: an async iterable that can be cancelled. */
export interface CancellableRead<T> extends AsyncIterable<T> {
  cancel(): Promise<void>;
}

/** Collects one read call, or cancels it and throws StoreUnavailableError when it has not ended within `ms`. */
export async function collectWithin<T>(read: CancellableRead<T>, ms: number): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`no answer within ${ms} ms`)), ms);
  });
  const reading = (async () => {
    const items: T[] = [];
    for await (const item of read) items.push(item);
    return items;
  })();
  reading.catch(() => undefined); // it may settle after the timeout has already answered
  try {
    return await Promise.race([reading, timeout]);
  } catch (error) {
    if (error instanceof StoreUnavailableError) await read.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A read call on the leader within `ms`, errors mapped (StoreUnavailableError for an unreachable or silent server). */
export async function readOnLeader<T>(start: () => CancellableRead<T>, ms: number): Promise<T[]> {
  try {
    return await onLeader(() => collectWithin(start(), ms));
  } catch (error) {
    throw toStoreError(error);
  }
}
