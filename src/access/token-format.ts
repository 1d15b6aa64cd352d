import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens: `clt_<tokenId>_<secret>`. The token id (12 lowercase base32 characters, 60 random
 * bits) names the token's stream and appears in the log as the actor; the secret (32 random bytes,
 * base64url, 43 characters) is shown once and only its SHA-256 is stored.
 */
export const TOKEN_PREFIX = 'clt_';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const TOKEN_ID_LENGTH = 12;
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^clt_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
const TOKEN_ID_PATTERN = /^[a-z2-7]{12}$/;

export interface NewToken {
  tokenId: string;
  /** The full token to hand to the caller, once. */
  token: string;
  /** SHA-256 (hex) of the secret part: the only trace of the secret that is stored. */
  tokenHash: string;
}

/** Random bytes come from outside so that tests can pin them. */
export type RandomBytes = (size: number) => Buffer;

export function newToken(random: RandomBytes = randomBytes): NewToken {
  const idBytes = random(TOKEN_ID_LENGTH);
  let tokenId = '';
  for (let i = 0; i < TOKEN_ID_LENGTH; i++) tokenId += BASE32[idBytes[i] % 32];
  const secret = random(SECRET_BYTES).toString('base64url');
  return { tokenId, token: `${TOKEN_PREFIX}${tokenId}_${secret}`, tokenHash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Splits a presented token into its id and secret, or null when it is not shaped like one of ours. */
export function parseToken(token: string): { tokenId: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { tokenId: match[1], secret: match[2] } : null;
}

export function isTokenId(value: string): boolean {
  return TOKEN_ID_PATTERN.test(value);
}

/** Whether the secret hashes to the stored hash, compared in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
