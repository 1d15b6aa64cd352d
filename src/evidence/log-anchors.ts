import { existsSync, readFileSync } from 'node:fs';
import { evidenceSettings, type LedgerConfig } from '../config';
import { DomainError } from '../event-sourcing/domain-error';
import { openCheckpoint, parseVerifierKey, type Checkpoint, type Verifier } from './checkpoint-note';
import { loadSigningKey } from './signing-key';

/** A signed checkpoint the log is checked against, and where it came from (a file, a report, the kept ones). */
export interface Anchor {
  label: string;
  checkpoint: Checkpoint;
}

/**
 * The key checkpoints are checked with: `--key` (a verifier key, or a file holding one), else the
 * ledger's own signing key if its file exists (never created here: verify changes nothing).
 */
export function verifierFor(config: LedgerConfig, key: string | undefined): Verifier | null {
  if (key !== undefined) {
    const text = existsSync(key) ? readFileSync(key, 'utf8') : key;
    const verifier = parseVerifierKey(text);
    if (!verifier) throw DomainError.invalid('key', `"${key}" is neither a note verifier key (<name>+<8 hex digits>+<base64 Ed25519 key>) nor a file holding one`);
    return verifier;
  }
  const settings = evidenceSettings(config);
  if (!existsSync(settings.keyPath)) return null;
  return parseVerifierKey(loadSigningKey(settings.keyPath, settings.origin).verifierKey);
}

/** Opens each signed checkpoint with the verifier; a bad signature (or no key to check it) is an error naming it. */
export function openAnchors(notes: { label: string; note: string }[], verifier: Verifier | null): Anchor[] {
  if (notes.length > 0 && !verifier) {
    throw DomainError.invalid('key', `no key to check ${notes[0].label} with: the ledger's signing key file is absent; give the ledger's verifier key with --key`);
  }
  return notes.map(({ label, note }) => {
    const opened = openCheckpoint(note, verifier!);
    if (!opened.ok) throw new DomainError('invalid', [{ field: label, reason: opened.reason }]);
    return { label, checkpoint: opened.checkpoint };
  });
}

/**
 * Why the log (its event count and its roots at the anchors' sizes) does not extend an anchor, or null
 * when it extends every one. A checkpoint whose origin line is not this ledger's (`origin`,
 * LEDGER_ORIGIN) signs another log, whatever its root.
 */
export function unmetAnchor(log: { events: number; roots: Map<number, Buffer> }, anchors: Anchor[], origin: string): string | null {
  for (const { label, checkpoint } of anchors) {
    if (checkpoint.origin !== origin) {
      return `${label}: it signs the log "${checkpoint.origin}", not this ledger's log "${origin}" (LEDGER_ORIGIN): a checkpoint of another log`;
    }
    if (checkpoint.size > log.events) {
      return `${label}: the log holds ${log.events} events, fewer than the ${checkpoint.size} this checkpoint signs: events were removed from the log`;
    }
    const root = log.roots.get(checkpoint.size);
    if (!root || !root.equals(checkpoint.root)) {
      return `${label}: the log does not extend this checkpoint: its first ${checkpoint.size} events have the root ${root?.toString('base64')}, the checkpoint signs ${checkpoint.root.toString('base64')} (an event before it was altered, removed, inserted, reordered or re-timed)`;
    }
  }
  return null;
}
