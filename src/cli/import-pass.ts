import { DomainError } from '../event-sourcing/domain-error';
import { encodedEvents, encodeStoredEvent, lineOf, type EncodedEvent } from '../event-sourcing/encoded-event';
import type { EventStore, RestoredEvent } from '../event-sourcing/event-store.port';
import { verifyLog, type VerifyResult } from '../evidence/verify-log';
import { problem } from '../i18n/problem';
import { canonicalLineOf, readExportFile, type ExportedEvent } from '../audit/log-file';

/** What an interrupted import had loaded: `count` events, and the root of their Merkle tree (over their export lines). */
export interface LoadedPrefix {
  count: number;
  root: Buffer | null;
}

/** The events an interrupted import left in the store, checked as verify checks them; nothing when the store is empty. */
export async function loadedPrefix(store: EventStore, file: string): Promise<LoadedPrefix> {
  const stored = await verifyLog(encodedEvents(store));
  if (!stored.ok) throw new DomainError('conflict', [problem(undefined, 'problem.audit.notResumable', { file, count: stored.events })]);
  return { count: stored.events, root: stored.root };
}

/**
 * The import's one pass over an export file: each line is read once, checked by verifyLog (order,
 * revisions, chain hashes, the Merkle tree's roots at the sizes asked for) and, once checked, restored
 * in batches of `batchSize`, each its own transaction. The events of a resumed import's prefix are
 * checked, not restored again: the file's first lines must give the stored prefix's tree root (the
 * same export lines, byte for byte). The last batch is handed back unwritten: the caller restores it,
 * finishing the import, once the file has passed every check (the checkpoints' roots are known only
 * at the end), or takes back the batches written if anything failed.
 */
export async function restoreWhileVerifying(
  store: EventStore,
  file: string,
  options: { loaded: LoadedPrefix; batchSize: number; rootsAt: readonly number[]; onBatch: (count: number) => void },
): Promise<{ checked: VerifyResult; imported: number; last: RestoredEvent[] }> {
  let batch: RestoredEvent[] = [];
  let count = 0;
  const restore = async (event: RestoredEvent): Promise<void> => {
    if (++count <= options.loaded.count) return;
    batch.push(event);
    if (batch.length < options.batchSize) return;
    await store.restore(batch);
    options.onBatch(count);
    batch = [];
  };
  const { loaded } = options;
  const checked = await verifyLog(checkedThenRestored(readExportFile(file), restore), undefined, Number.POSITIVE_INFINITY, [...options.rootsAt, loaded.count]);
  if (checked.ok && loaded.root && !checked.roots.get(loaded.count)?.equals(loaded.root)) {
    throw new DomainError('conflict', [problem(undefined, 'problem.audit.notResumable', { file, count: loaded.count })]);
  }
  return { checked, imported: count - options.loaded.count, last: batch };
}

/** Yields each line's encoding to verifyLog; the event is handed on only when verifyLog asks for the next, having checked it. */
async function* checkedThenRestored(lines: AsyncIterable<ExportedEvent>, restore: (event: RestoredEvent) => Promise<void>): AsyncIterable<EncodedEvent> {
  for await (const exported of lines) {
    const { encoded, text } = encodedLine(exported);
    yield encoded;
    const event: RestoredEvent = exported.event;
    if (text) event.text = text;
    await restore(event);
  }
}

/** The events of an export file, encoded once; a line that is not its event's canonical leaf bytes is refused (the tree would not be the file's). */
export async function* encodedLines(lines: AsyncIterable<ExportedEvent>): AsyncIterable<EncodedEvent> {
  for await (const exported of lines) yield encodedLine(exported).encoded;
}

/** A line's encoding and, when the line is canonical, the texts cut from it: restore stores them without encoding them again. */
function encodedLine(exported: ExportedEvent): { encoded: EncodedEvent; text?: RestoredEvent['text'] } {
  const { event, index, line, legacy } = exported;
  const cut = canonicalLineOf(exported);
  if (cut) return { encoded: cut.encoded, text: { data: cut.data, metadata: cut.metadata } };
  const encoded = encodeStoredEvent(event);
  if (!legacy && line !== lineOf(encoded, index)) throw new DomainError('invalid', [problem(undefined, 'problem.audit.notCanonical', { line: index + 1 })]);
  return { encoded };
}
