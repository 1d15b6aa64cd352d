import { hash } from 'node:crypto';
import { encodeStoredEvent, type EncodedEvent } from '../event-sourcing/encoded-event';
import type { StoredEvent } from '../event-sourcing/event-store.port';
import { CompactRange, leafHashOf } from './merkle';
import { EMPTY_LOG_DIGEST, nextLogDigest } from '../event-sourcing/log-digest';

export interface VerifyFailure {
  event: { id: string; stream: string; revision: number; position: number };
  reason: string;
}

export type VerifyResult =
  | {
      ok: true;
      events: number;
      streams: number;
      logDigest: string;
      lastPosition: number;
      /** The Merkle tree's root over the events read (its size is `events`). */
      root: Buffer;
      /** The roots of the tree at the sizes asked for (those the log reached). */
      roots: Map<number, Buffer>;
    }
  | { ok: false; events: number; failure: VerifyFailure };

/**
 * Walks the whole log once, in global order, and checks what tampering breaks: each event's hash
 * over its content (an altered payload or metadata), the link to the previous event of its stream
 * and its revision following on (a removed or reordered event), and positions increasing with
 * recorded times never going back (events moved in the global order). Memory holds one head per
 * stream, never the log; the log's running digest (log-digest.ts) and the Merkle tree's root over
 * the export lines (compared with checkpoints by the caller) come out at the end. Events come parsed
 * (any store, an export file) or already encoded (encodedEvents: the embedded store's stored text).
 */
export async function verifyLog(
  events: AsyncIterable<StoredEvent | EncodedEvent>,
  onProgress?: (events: number, position: number) => void,
  /** Stop after this position: the log's state at a past moment. */
  until = Number.POSITIVE_INFINITY,
  /** Tree sizes whose roots to keep: the checkpoints the log is checked against. */
  rootsAt: readonly number[] = [],
): Promise<VerifyResult> {
  const tree = new CompactRange();
  const wanted = new Set(rootsAt);
  const roots = new Map<number, Buffer>();
  if (wanted.has(0)) roots.set(0, tree.root());
  const heads = new Map<string, { revision: number; hash: string }>();
  let count = 0;
  let lastPosition = 0;
  let lastRecordedAt = '';
  let logDigest = EMPTY_LOG_DIGEST;
  const fail = (event: EncodedEvent, reason: string): VerifyResult => ({
    ok: false,
    events: count,
    failure: { event: { id: event.id, stream: event.stream, revision: event.revision, position: event.position }, reason },
  });
  for await (const given of events) {
    if (given.position > until) break;
    const event = 'chained' in given ? given : encodeStoredEvent(given);
    count++;
    const head = heads.get(event.stream);
    if (event.position <= lastPosition) return fail(event, `position ${event.position} does not follow position ${lastPosition}: the global order was changed`);
    if (event.recordedAt < lastRecordedAt) return fail(event, `recorded at ${event.recordedAt}, before the previous event (${lastRecordedAt}): the global order was changed`);
    const expectedRevision = head ? head.revision + 1 : 0;
    if (event.revision !== expectedRevision) {
      return fail(event, `revision ${event.revision} where ${expectedRevision} was expected: an event of the stream was removed or reordered`);
    }
    if ((event.prevHash ?? null) !== (head ? head.hash : null)) {
      return fail(event, 'prevHash does not match the previous event of its stream: the event was altered, or its predecessor removed or replaced');
    }
    const eventHash = event.hash;
    if (typeof eventHash !== 'string' || eventHash !== hash('sha256', event.chained, 'hex')) return fail(event, 'hash does not match the event content: the event was altered');
    // The stream's head is moved in place: one object per stream, not one per event.
    if (head) {
      head.revision = event.revision;
      head.hash = eventHash;
    } else {
      heads.set(event.stream, { revision: event.revision, hash: eventHash });
    }
    logDigest = nextLogDigest(logDigest, eventHash);
    tree.append(leafHashOf(event, count - 1));
    if (wanted.has(count)) roots.set(count, tree.root());
    lastPosition = event.position;
    lastRecordedAt = event.recordedAt;
    if (onProgress && count % 10000 === 0) onProgress(count, lastPosition);
  }
  return { ok: true, events: count, streams: heads.size, logDigest, lastPosition, root: tree.root(), roots };
}
