import { existsSync, readFileSync } from 'node:fs';
import { evidenceSettings, type LedgerConfig } from '../config';
import { DomainError, type Problem } from '../event-sourcing/domain-error';
import { openCheckpoint, parseVerifierKey, type Checkpoint, type Verifier } from './checkpoint-note';
import { loadSigningKey } from './signing-key';
import { problem, problemOf } from '../i18n/problem';

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
    if (!verifier) throw new DomainError('invalid', [problem('key', 'problem.evidence.keyOrFile', { key })]);
    return verifier;
  }
  const settings = evidenceSettings(config);
  if (!existsSync(settings.keyPath)) return null;
  return parseVerifierKey(loadSigningKey(settings.keyPath, settings.origin).verifierKey);
}

/** Opens each signed checkpoint with the verifier; a bad signature (or no key to check it) is an error naming it. */
export function openAnchors(notes: { label: string; note: string }[], verifier: Verifier | null): Anchor[] {
  if (notes.length > 0 && !verifier) {
    throw new DomainError('invalid', [problem('key', 'problem.evidence.noKey', { label: notes[0].label })]);
  }
  return notes.map(({ label, note }) => {
    const opened = openCheckpoint(note, verifier!);
    if (!opened.ok) throw new DomainError('invalid', [problemOf(label, opened)]);
    return { label, checkpoint: opened.checkpoint };
  });
}

/**
 * The origin every checkpoint checked must sign: LEDGER_ORIGIN when it is set. Otherwise none is
 * imposed: a copy of the log alone may sit under any file name on an auditor's machine, and the key's
 * name (the origin the key signs for, checked with the signature) already ties a checkpoint to its log.
 */
export function expectedOrigin(config: LedgerConfig): string | null {
  return config.evidence?.origin ?? null;
}

/**
 * Why the log (its event count and its roots at the anchors' sizes) does not extend an anchor, or null
 * when it extends every one. A checkpoint whose origin line is not this ledger's (`origin`,
 * LEDGER_ORIGIN) signs another log, whatever its root.
 */
export function unmetAnchor(log: { events: number; roots: Map<number, Buffer> }, anchors: Anchor[], origin: string | null): Problem | null {
  for (const { label, checkpoint } of anchors) {
    if (origin !== null && checkpoint.origin !== origin) return problem(undefined, 'problem.evidence.otherOrigin', { label, origin: checkpoint.origin, ours: origin });
    if (checkpoint.size > log.events) return problem(undefined, 'problem.evidence.logShorter', { label, events: log.events, size: checkpoint.size });
    const root = log.roots.get(checkpoint.size);
    if (!root || !root.equals(checkpoint.root)) {
      return problem(undefined, 'problem.evidence.rootDiffers', { label, size: checkpoint.size, root: String(root?.toString('base64')), signed: checkpoint.root.toString('base64') });
    }
  }
  return null;
}
