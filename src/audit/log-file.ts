import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { StoredEvent } from '../event-sourcing/event-store.port';

/** One exported event a line: every field of the stored event, so an import reproduces it exactly. */
export function exportLine(event: StoredEvent): string {
  const { position, id, stream, revision, type, recordedAt, data, metadata } = event;
  return JSON.stringify({ position, id, stream, revision, type, recordedAt, data, metadata });
}

const FIELDS: [keyof StoredEvent, string][] = [
  ['position', 'number'],
  ['id', 'string'],
  ['stream', 'string'],
  ['revision', 'number'],
  ['type', 'string'],
  ['recordedAt', 'string'],
  ['data', 'object'],
  ['metadata', 'object'],
];

/** Reads an export file line by line (never whole), checking each line's shape; errors name the line. */
export async function* readExportFile(path: string): AsyncIterable<StoredEvent> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${path}:${number}: not valid JSON: ${(error as Error).message}`);
    }
    for (const [field, type] of FIELDS) {
      const actual = value?.[field];
      if (typeof actual !== type || actual === null || Array.isArray(actual)) throw new Error(`${path}:${number} ${field}: must be ${type === 'object' ? 'an object' : `a ${type}`}`);
    }
    yield value as unknown as StoredEvent;
  }
}

/** sha256 of a file's bytes, read as a stream: which export an unfinished import was loading. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
