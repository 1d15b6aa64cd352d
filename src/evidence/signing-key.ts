import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { verifierKey } from './checkpoint-note';

export interface SigningKey {
  /** The key name in signature lines and the verifier key (the log's origin). */
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** `<name>+<hex key hash>+<base64 key>`: what an auditor is given to check checkpoints. */
  verifierKey: string;
}

/**
 * The checkpoint signing key: an Ed25519 key in a PKCS#8 PEM file named by configuration, outside
 * the store (never in the log, never in an export). Created on first use, readable by its owner
 * only (0600), and never overwritten: the `wx` flag refuses a file another process created meanwhile.
 */
export function loadSigningKey(path: string, name: string): SigningKey {
  if (path === ':memory:') return keyOf(generateKeyPairSync('ed25519').privateKey, name);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    }
    pem = readFileSync(path, 'utf8');
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${path}: the checkpoint signing key must be an Ed25519 key, not ${privateKey.asymmetricKeyType}`);
  return keyOf(privateKey, name);
}

function keyOf(privateKey: KeyObject, name: string): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { name, privateKey, publicKey, verifierKey: verifierKey(name, publicKey) };
}
