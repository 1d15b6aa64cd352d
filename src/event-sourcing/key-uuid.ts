import { createHash } from 'node:crypto';

/**
 * A UUID derived from a client's idempotency key (name-based, like UUID v5 but over SHA-256): the
 * same key in the same scope always gives the same event id, so a retried request appends nothing.
 */
export function uuidFromKey(scope: string, key: string): string {
  const bytes = createHash('sha256').update(`${scope}\u0000${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
