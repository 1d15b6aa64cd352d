import { WrongExpectedRevisionError } from './errors';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent, StoredEvent } from './event-store.port';
import { assertExpectedRevision } from './expected-revision';
import { chainMetadata } from './hash-chain';

/**
 * The engine's one way to append: it links every event into its stream's hash chain before it
 * reaches the store, whichever store that is. The store is asked for the exact revision the
 * chain was computed on, so a concurrent writer can never leave two events claiming the same
 * predecessor; when the caller did not ask for an exact revision, a conflict is retried.
 */
export async function appendChained(
  store: EventStore,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
  maxAttempts = 20,
): Promise<AppendResult> {
  for (let attempt = 1; ; attempt++) {
    const head = await lastEvent(store, stream);
    const retried = retriedAppend(head, events);
    if (retried) return retried;
    assertExpectedRevision(stream, expected, head ? head.revision : -1);
    try {
      return (await appendAfter(store, stream, chainHeadOf(head), events)).result;
    } catch (error) {
      const retryable = typeof expected !== 'number' && error instanceof WrongExpectedRevisionError;
      if (!retryable || attempt >= maxAttempts) throw error;
    }
  }
}

/** Where a stream's chain ends: its last event's revision and hash. */
export interface ChainHead {
  revision: number;
  hash: string;
}

export function chainHeadOf(event: StoredEvent | null): ChainHead | null {
  return event ? { revision: event.revision, hash: String(event.metadata.hash) } : null;
}

/**
 * Appends the events linked after a chain head the caller already knows (null: the stream is
 * empty), expecting exactly that revision: a head that is no longer the last is a conflict.
 */
export async function appendAfter(store: EventStore, stream: string, head: ChainHead | null, events: NewEvent[]): Promise<{ result: AppendResult; chained: NewEvent[] }> {
  const chained = chainAfter(head, stream, events);
  return { result: await store.append(stream, chained, head ? head.revision : 'no-stream'), chained };
}

/** The events linked into the stream's chain after its last event (`head`, null for an empty stream). */
export function chainAfter(head: ChainHead | null, stream: string, events: NewEvent[]): NewEvent[] {
  const revision = head ? head.revision : -1;
  let prevHash = head ? head.hash : null;
  return events.map((event, index) => {
    const metadata = chainMetadata(event, stream, revision + 1 + index, prevHash);
    prevHash = String(metadata.hash);
    return { ...event, metadata };
  });
}

export async function lastEvent(store: EventStore, stream: string): Promise<StoredEvent | null> {
  for await (const event of store.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event;
  return null;
}

/** A retry of an append that already succeeded: the stream ends with the same event ids. */
function retriedAppend(head: StoredEvent | null, events: NewEvent[]): AppendResult | null {
  if (!head || head.id !== events[events.length - 1].id) return null;
  return { nextRevision: head.revision, position: head.position };
}
