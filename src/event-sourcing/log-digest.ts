import { hash } from 'node:crypto';

/**
 * The log's running digest: after each event, SHA-256 of the previous digest and the event's own
 * chain hash. The digest at a position commits to every event up to it, in order — what a report
 * prints in its footer to pin the state of the log it came from — and does not depend on how a
 * store numbers positions, so it survives an export and import.
 */
export const EMPTY_LOG_DIGEST = '0'.repeat(64);

export function nextLogDigest(previous: string, eventHash: string): string {
  return hash('sha256', previous + eventHash, 'hex');
}
