import { WrongExpectedRevisionError } from './errors';
import type { ExpectedRevision } from './event-store.port';

/** Throws unless a stream whose last revision is `head` (-1: no stream) meets the expectation. */
export function assertExpectedRevision(stream: string, expected: ExpectedRevision, head: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && head === -1) ||
    (expected === 'stream-exists' && head >= 0) ||
    expected === head;
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, head === -1 ? 'no-stream' : head);
}
