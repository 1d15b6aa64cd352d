import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { problem } from '../i18n/problem';

/**
 * Checkpoints as C2SP `tlog-checkpoint` bodies signed as C2SP `signed-note`s with Ed25519
 * (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note):
 *
 *     <origin>\n<tree size>\n<base64 root>\n\n— <key name> <base64(key hash ‖ signature)>\n
 *
 * The signature covers the body (every line before the blank one, with its newline); the key hash
 * is the first four bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key); the verifier key is
 * `<name>+<hex key hash>+<base64(0x01 ‖ public key)>`. No framework import: an auditor's tool can use
 * this file alone.
 */

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

const ED25519 = 0x01;
const DASH = '\u2014';

/** A key name or origin: no whitespace and no `+` (the note formats' rules). */
export function validKeyName(name: string): boolean {
  return /^[^\s+]+$/u.test(name);
}

export function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
}

function keyHash(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function verifierKey(name: string, publicKey: KeyObject): string {
  const raw = rawPublicKey(publicKey);
  return `${name}+${keyHash(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), raw]).toString('base64')}`;
}

export interface Verifier {
  name: string;
  keyId: Buffer;
  publicKey: KeyObject;
}

/** Reads a verifier key line; null when it is not an Ed25519 note verifier key. */
export function parseVerifierKey(text: string): Verifier | null {
  const m = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(text.trim());
  if (!m) return null;
  const key = Buffer.from(m[3], 'base64');
  if (key.length !== 33 || key[0] !== ED25519) return null;
  const raw = key.subarray(1);
  if (!keyHash(m[1], raw).equals(Buffer.from(m[2], 'hex'))) return null;
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  return { name: m[1], keyId: Buffer.from(m[2], 'hex'), publicKey };
}

export function checkpointBody(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\n`;
}

/** A signed note: the text (ending in a newline), a blank line, and one signature line by the key named `name`. */
export function signNote(text: string, name: string, privateKey: KeyObject, publicKey: KeyObject): string {
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  const id = keyHash(name, rawPublicKey(publicKey));
  return `${text}\n${DASH} ${name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

/** The signed note of a checkpoint, signed by the key named `name`. */
export function signCheckpoint(checkpoint: Checkpoint, name: string, privateKey: KeyObject, publicKey: KeyObject): string {
  return signNote(checkpointBody(checkpoint), name, privateKey, publicKey);
}

/** The text of a signed note when one of its signatures is `verifier`'s and verifies; the reason otherwise. */
export function openNote(note: string, verifier: Verifier): { ok: true; text: string } | { ok: false; reason: string } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return { ok: false, ...problem(undefined, 'problem.evidence.notSignedNote') };
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split('\n');
  let named = false;
  for (const line of signatures) {
    const m = new RegExp(`^${DASH} (\\S+) ([A-Za-z0-9+/]+=*)$`).exec(line);
    if (!m) return { ok: false, ...problem(undefined, 'problem.evidence.signatureLine', { line }) };
    const bytes = Buffer.from(m[2], 'base64');
    if (m[1] !== verifier.name || !bytes.subarray(0, 4).equals(verifier.keyId)) continue;
    named = true;
    if (bytes.length === 68 && verify(null, Buffer.from(text, 'utf8'), verifier.publicKey, bytes.subarray(4))) return { ok: true, text };
  }
  return {
    ok: false,
    ...(named ? problem(undefined, 'problem.evidence.badSignature', { name: verifier.name }) : problem(undefined, 'problem.evidence.unsigned', { key: `${verifier.name}+${verifier.keyId.toString('hex')}` })),
  };
}

export type OpenedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

/** Parses a signed checkpoint note and checks its signature by `verifier`; the reason says what is wrong. */
export function openCheckpoint(note: string, verifier: Verifier): OpenedCheckpoint {
  const opened = openNote(note, verifier);
  if (!opened.ok) return opened;
  const lines = opened.text.split('\n');
  if (lines.length < 4) return { ok: false, ...problem(undefined, 'problem.evidence.notCheckpoint') };
  const [origin, sizeText, rootText] = lines;
  if (!/^(0|[1-9]\d*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) return { ok: false, ...problem(undefined, 'problem.evidence.treeSize', { value: sizeText }) };
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText) return { ok: false, ...problem(undefined, 'problem.evidence.rootHash', { value: rootText }) };
  return { ok: true, checkpoint: { origin, size: Number(sizeText), root } };
}
