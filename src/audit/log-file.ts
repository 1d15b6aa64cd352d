import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { canonicalJson } from '../event-sourcing/canonical-json';
import { encodeStoredEvent, encodeTexts, lineOf } from '../event-sourcing/encoded-event';
import type { StoredEvent } from '../event-sourcing/event-store.port';

/**
 * One exported event a line, and the event's leaf in the log's Merkle tree (its bytes exactly):
 * canonical JSON (RFC 8785: keys sorted, no spaces) of everything that matters — id, stream, revision,
 * type, data, metadata (who, the hash chain), recorded time — and `index`, its place in the log counted
 * from 0. The store's own position is left out, so the line (and the tree) is the same in every store.
 */
export function exportLine(event: StoredEvent, index: number): string {
  return encodeEvent(event, index).line;
}

/** An event's two canonical encodings: the text its chain hash covers (hash-chain.ts) and its export line. */
export function encodeEvent(event: StoredEvent, index: number): { chained: string; line: string } {
  const encoded = encodeStoredEvent(event);
  return { chained: encoded.chained, line: lineOf(encoded, index) };
}

/**
 * The text of an exported event's data cut from its line, when the line has the canonical form (all
 * but the data encoded again, which is short: only the data is long), else null. Import's restore
 * keeps this text instead of encoding the data again.
 */
export function dataTextOf({ event, index, line, legacy }: ExportedEvent): string | null {
  if (legacy) return null;
  const rest = encodeTexts({ ...event, prevHash: null, hash: null }, '', canonicalJson(event.metadata), '').lineTail;
  const head = `{"data":`;
  const middle = `,"id":${JSON.stringify(event.id)},"index":${index}`;
  if (!line.startsWith(head) || !line.endsWith(middle + rest)) return null;
  return line.slice(head.length, line.length - middle.length - rest.length);
}

/** An exported event with its index in the log and its line as written (the leaf bytes). */
export interface ExportedEvent {
  event: StoredEvent;
  index: number;
  line: string;
  /** A line written before the tree (with the store's `position`, not canonical): it is no leaf. */
  legacy: boolean;
}

const FIELDS: [keyof StoredEvent, string][] = [
  ['id', 'string'],
  ['stream', 'string'],
  ['revision', 'number'],
  ['type', 'string'],
  ['recordedAt', 'string'],
  ['data', 'object'],
  ['metadata', 'object'],
];

/**
 * Reads an export file line by line (never whole), checking each line's shape; errors name the line.
 * Lines carry `index` (the embedded store restores the event at position index + 1); files written
 * before the tree carry the store's `position` instead, which is kept.
 */
export async function* readExportFile(path: string): AsyncIterable<ExportedEvent> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  let index = 0;
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
    const legacy = value.index === undefined;
    const at = legacy ? value.position : value.index;
    if (!Number.isInteger(at) || (at as number) < (legacy ? 1 : 0)) throw new Error(`${path}:${number} ${legacy ? 'position' : 'index'}: must be a whole number${legacy ? ' above 0' : ''}`);
    if (!legacy && at !== index) throw new Error(`${path}:${number} index: ${at} where ${index} was expected: the lines are not the whole log in order`);
    const { index: _index, ...fields } = value;
    void _index;
    const event = { ...fields, position: legacy ? at : index + 1 } as unknown as StoredEvent;
    yield { event, index: index++, line, legacy };
  }
}

/** sha256 of a file's bytes, read as a stream: which export an unfinished import was loading. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
