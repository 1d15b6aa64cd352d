import { openCheckpoint, parseVerifierKey, type Checkpoint } from './checkpoint-note';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle';
import { problem, reasonParam } from '../i18n/problem';

/**
 * What an auditor runs on a laptop, with no store: given the ledger's verifier key, a signed
 * checkpoint (from a report's metadata, `checkpoint`, or GET /api/checkpoint), an inclusion proof
 * (`prove <eventId>`) and the event's exported line, is the event in the log the checkpoint signs, at
 * the index its line says? And given two checkpoints and a consistency proof (`prove --from`), does
 * the later log extend the earlier one? No framework import; node:crypto only.
 *
 *     const result = verifyEventInLog({ verifierKey, checkpoint: note, proof: JSON.parse(proofText), line });
 *     if (!result.ok) console.error(result.reason);
 */
export interface InclusionProofInput {
  index: number;
  size: number;
  leaf: string;
  path: string[];
}

export type OfflineCheck = { ok: true; checkpoint: Checkpoint; index: number } | { ok: false; reason: string };

export function verifyEventInLog(input: { verifierKey: string; checkpoint: string; proof: InclusionProofInput; line: string }): OfflineCheck {
  const opened = openSigned(input.verifierKey, input.checkpoint);
  if (!opened.ok) return opened;
  const { checkpoint } = opened;
  const { proof } = input;
  if (!proofShape(proof)) return { ok: false, ...problem(undefined, 'problem.evidence.proofShape') };
  if (proof.size !== checkpoint.size) return { ok: false, ...problem(undefined, 'problem.evidence.proofSize', { proof: proof.size, checkpoint: checkpoint.size }) };
  const line = input.line.replace(/\r?\n$/, '');
  let index: unknown;
  try {
    index = (JSON.parse(line) as { index?: unknown }).index;
  } catch {
    return { ok: false, ...problem(undefined, 'problem.evidence.lineNotJson') };
  }
  if (index !== proof.index) return { ok: false, ...problem(undefined, 'problem.evidence.lineIndex', { line: String(index), proof: proof.index }) };
  const leaf = leafHash(line);
  if (leaf.toString('base64') !== proof.leaf) return { ok: false, ...problem(undefined, 'problem.evidence.lineAltered') };
  if (!verifyInclusion(proof.index, proof.size, leaf, proof.path.map((p) => Buffer.from(p, 'base64')), checkpoint.root)) {
    return { ok: false, ...problem(undefined, 'problem.evidence.notIncluded', { index: proof.index }) };
  }
  return { ok: true, checkpoint, index: proof.index };
}

export interface ConsistencyProofInput {
  from: number;
  size: number;
  path: string[];
}

export type ExtensionCheck = { ok: true; older: Checkpoint; newer: Checkpoint } | { ok: false; reason: string };

/**
 * Whether the log of the `newer` checkpoint extends the log of the `older` one (same origin), by a
 * consistency proof from `prove --from <older size> --size <newer size>`.
 */
export function verifyLogExtends(input: { verifierKey: string; older: string; newer: string; proof: ConsistencyProofInput }): ExtensionCheck {
  const older = openSigned(input.verifierKey, input.older);
  if (!older.ok) return { ok: false, ...problem(undefined, 'problem.evidence.older', { reason: reasonParam(older) }) };
  const newer = openSigned(input.verifierKey, input.newer);
  if (!newer.ok) return { ok: false, ...problem(undefined, 'problem.evidence.newer', { reason: reasonParam(newer) }) };
  const { proof } = input;
  if (!consistencyShape(proof)) return { ok: false, ...problem(undefined, 'problem.evidence.consistencyShape') };
  if (older.checkpoint.origin !== newer.checkpoint.origin) return { ok: false, ...problem(undefined, 'problem.evidence.twoLogs', { older: older.checkpoint.origin, newer: newer.checkpoint.origin }) };
  if (proof.from !== older.checkpoint.size || proof.size !== newer.checkpoint.size) {
    return { ok: false, ...problem(undefined, 'problem.evidence.proofSizes', { from: proof.from, size: proof.size, older: older.checkpoint.size, newer: newer.checkpoint.size }) };
  }
  const path = proof.path.map((p) => Buffer.from(p, 'base64'));
  return verifyConsistency(older.checkpoint.size, newer.checkpoint.size, older.checkpoint.root, newer.checkpoint.root, path)
    ? { ok: true, older: older.checkpoint, newer: newer.checkpoint }
    : { ok: false, ...problem(undefined, 'problem.evidence.notExtended', { newer: newer.checkpoint.size, older: older.checkpoint.size }) };
}

function openSigned(verifierKey: string, note: string): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } {
  const verifier = parseVerifierKey(verifierKey);
  if (!verifier) return { ok: false, ...problem(undefined, 'problem.evidence.notVerifierKey') };
  const opened = openCheckpoint(note, verifier);
  return opened.ok ? opened : { ok: false, ...problem(undefined, 'problem.evidence.checkpoint', { reason: reasonParam(opened) }) };
}

function consistencyShape(proof: ConsistencyProofInput): boolean {
  return pathShape(proof) && Number.isSafeInteger(proof.from);
}

function proofShape(proof: InclusionProofInput): boolean {
  return pathShape(proof) && Number.isSafeInteger(proof.index) && typeof proof.leaf === 'string';
}

/** What both proofs have: an object with a whole `size` and a `path` of strings. */
function pathShape(proof: { size: number; path: string[] } | null): proof is { size: number; path: string[] } {
  return typeof proof === 'object' && proof !== null && Number.isSafeInteger(proof.size) && Array.isArray(proof.path) && proof.path.every((p) => typeof p === 'string');
}
