import { createHash } from 'node:crypto';

/** A number in [0, 1) fixed by its key: the demo's choices are the same on every run. */
export function chance(...key: (string | number)[]): number {
  return createHash('sha256').update(key.join('\u0000')).digest().readUInt32BE(0) / 2 ** 32;
}

export function pick<T>(items: readonly T[], ...key: (string | number)[]): T {
  return items[Math.floor(chance(...key) * items.length)];
}
