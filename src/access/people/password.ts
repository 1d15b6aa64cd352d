import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Problem } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';

/**
 * Passwords: scrypt (memory-hard; N = 2^15, r = 8, p = 1, 32 MiB a hash) with a 16-byte salt per
 * hash, stored as `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` so that the cost can be raised later
 * without breaking older hashes. Hashing runs on libuv's thread pool, never on the event loop.
 */
const COST = { N: 1 << 15, r: 8, p: 1 };
const KEY_BYTES = 32;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether the password matches the stored hash (constant-time compare); false for a malformed hash. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that matches no password, checked when the login is unknown so that both answers take as long. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(18).toString('base64'));
  return decoy;
}

/** A one-time password shown once (to a new person, or after a reset): 20 characters from an unambiguous alphabet. */
export function oneTimePassword(random: (size: number) => Buffer = randomBytes): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = random(20);
  let text = '';
  for (const byte of bytes) text += alphabet[byte % alphabet.length];
  return `${text.slice(0, 5)}-${text.slice(5, 10)}-${text.slice(10, 15)}-${text.slice(15)}`;
}

/** Why a new password is refused, or null: at least 10 characters, not the login, not the old one (the caller checks that). */
export function passwordProblem(password: unknown, login: string): Problem | null {
  if (typeof password !== 'string') return problem('password', 'problem.notString');
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return problem('password', 'problem.passwordTooShort', { min: MIN_PASSWORD_LENGTH });
  if (length > MAX_PASSWORD_LENGTH) return problem('password', 'problem.atMostCharacters', { max: MAX_PASSWORD_LENGTH });
  if (password.toLowerCase().includes(login.toLowerCase())) return problem('password', 'problem.passwordHasLogin');
  return null;
}
