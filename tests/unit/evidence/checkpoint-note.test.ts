import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { checkpointBody, openCheckpoint, openNote, parseVerifierKey, signCheckpoint, signNote, verifierKey } from '../../../src/evidence/checkpoint-note';

/**
 * The published example of golang.org/x/mod/sumdb/note (its package documentation and note_test.go):
 * the key PeterNeumann, its private key, a text and the signed note it gives. Ed25519 signatures are
 * deterministic, so signing the text must give exactly that note.
 */
const GO_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

function goPrivateKey() {
  const seed = Buffer.from(GO_SIGNER.split('+').slice(4).join('+'), 'base64').subarray(1);
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}

describe('signed notes and checkpoints', () => {
  it('reproduce and open the published sumdb/note example', () => {
    const privateKey = goPrivateKey();
    const publicKey = createPublicKey(privateKey);
    expect(verifierKey('PeterNeumann', publicKey)).toBe(GO_VERIFIER);
    expect(signNote(GO_TEXT, 'PeterNeumann', privateKey, publicKey)).toBe(GO_NOTE);
    const verifier = parseVerifierKey(GO_VERIFIER)!;
    expect(openNote(GO_NOTE, verifier)).toEqual({ ok: true, text: GO_TEXT });
    expect(openNote(GO_NOTE.replace('answer', 'Answer'), verifier)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not verify/) });
  });

  it('refuse mangled verifier keys', () => {
    expect(parseVerifierKey(GO_VERIFIER.replace('c74f20a3', 'c74f20a4'))).toBeNull();
    expect(parseVerifierKey(GO_VERIFIER.replace('PeterNeumann', 'Peter'))).toBeNull();
    expect(parseVerifierKey(GO_VERIFIER.slice(0, -2))).toBeNull();
    expect(parseVerifierKey('not a key')).toBeNull();
  });

  it('sign a checkpoint in the tlog-checkpoint format and open it only with the right key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const root = Buffer.alloc(32, 7);
    const note = signCheckpoint({ origin: 'example.org/log', size: 42, root }, 'example.org/log', privateKey, publicKey);
    expect(note.startsWith(`example.org/log\n42\n${root.toString('base64')}\n\n— example.org/log `)).toBe(true);
    expect(checkpointBody({ origin: 'example.org/log', size: 42, root })).toBe(`example.org/log\n42\n${root.toString('base64')}\n`);
    const verifier = parseVerifierKey(verifierKey('example.org/log', publicKey))!;
    expect(openCheckpoint(note, verifier)).toEqual({ ok: true, checkpoint: { origin: 'example.org/log', size: 42, root } });
    expect(openCheckpoint(note.replace('\n42\n', '\n41\n'), verifier)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not verify/) });
    const other = generateKeyPairSync('ed25519');
    expect(openCheckpoint(note, parseVerifierKey(verifierKey('example.org/log', other.publicKey))!)).toMatchObject({ ok: false, reason: expect.stringMatching(/carries no signature by the key/) });
    expect(openCheckpoint(GO_NOTE, parseVerifierKey(GO_VERIFIER)!)).toMatchObject({ ok: false, reason: expect.stringMatching(/tree size .* is not a whole number|not a checkpoint/) });
  });
});
