import type { StoredEvent } from '../event-sourcing/event-store.port';
import { chainBreak } from '../event-sourcing/hash-chain';
import { CompactRange, leafHash } from './merkle';
import { encodeEvent } from '../audit/log-file';
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
 * the export lines (compared with checkpoints by the caller) come out at the end.
 */
export async function verifyLog(
  events: AsyncIterable<StoredEvent>,
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
  for await (const event of events) {
    if (event.position > until) break;
    count++;
    const head = heads.get(event.stream);
    const fail = (reason: string): VerifyResult => ({
      ok: false,
      events: count,
      failure: { event: { id: event.id, stream: event.stream, revision: event.revision, position: event.position }, reason },
    });
    if (event.position <= lastPosition) return fail(`position ${event.position} does not follow position ${lastPosition}: the global order was changed`);
    if (event.recordedAt < lastRecordedAt) return fail(`recorded at ${event.recordedAt}, before the previous event (${lastRecordedAt}): the global order was changed`);
    const expectedRevision = head ? head.revision + 1 : 0;
    if (event.revision !== expectedRevision) {
      return fail(`revision ${event.revision} where ${expectedRevision} was expected: an event of the stream was removed or reordered`);
    }
    const { chained, line } = encodeEvent(event, count - 1);
    const broken = chainBreak(event, head ? head.hash : null, chained);
    if (broken) return fail(`${broken}: the event was altered${broken.startsWith('prevHash') ? ', or its predecessor removed or replaced' : ''}`);
    heads.set(event.stream, { revision: event.revision, hash: String(event.metadata.hash) });
    logDigest = nextLogDigest(logDigest, String(event.metadata.hash));
    tree.append(leafHash(line));
    if (wanted.has(count)) roots.set(count, tree.root());
    lastPosition = event.position;
    lastRecordedAt = event.recordedAt;
    if (onProgress && count % 10000 === 0) onProgress(count, lastPosition);
  }
  return { ok: true, events: count, streams: heads.size, logDigest, lastPosition, root: tree.root(), roots };
}
