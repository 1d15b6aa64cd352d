import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { encodeStoredEvent, encodeTexts, lineOf, lineTexts, type EncodedEvent } from '../event-sourcing/encoded-event';
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
 * An exported event's encodings and stored texts cut from its line, when the line is canonical JSON of
 * exactly the export's fields, else null (the caller then encodes the parsed event and compares, which
 * also accepts a canonical line JSON.stringify orders differently: integer-like keys). The test is the
 * cheap one: the line equals JSON.stringify of its parse (so no spaces, canonical numbers and escapes,
 * keys as the text orders them) and every object's keys stand sorted. Only the short metadata is
 * serialised again; the data's text is cut from the line.
 */
export function canonicalLineOf({ event, index, line, legacy, parsed }: ExportedEvent): CanonicalLine | null {
  if (legacy || Object.keys(parsed).length !== LINE_KEYS || !sortedDeep(parsed) || JSON.stringify(parsed) !== line) return null;
  const { hash, ...unhashed } = event.metadata;
  const metadata = JSON.stringify(event.metadata);
  // The line's parts around the data, written as the export writes them: the data is what lies between.
  const around = lineTexts(event, '', metadata);
  const data = line.slice(DATA_HEAD.length, line.length - around.lineTail.length - String(index).length - (around.lineHead.length - DATA_HEAD.length));
  const encoded = encodeTexts({ ...event, prevHash: event.metadata.prevHash, hash }, data, metadata, JSON.stringify(unhashed));
  return { encoded, data, metadata };
}

export interface CanonicalLine {
  encoded: EncodedEvent;
  /** The canonical texts of the event's data and metadata, as the store keeps them. */
  data: string;
  metadata: string;
}

const DATA_HEAD = '{"data":';
/** An export line's keys: the event's fields and `index`. */
const LINE_KEYS = 8;

/** Whether every object in a parsed JSON value has its keys in sorted (UTF-16) order, as canonical JSON writes them. */
function sortedDeep(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(sortedDeep);
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1] < keys[i])) return false;
    if (!sortedDeep((value as Record<string, unknown>)[keys[i]])) return false;
  }
  return true;
}

/** An exported event with its index in the log and its line as written (the leaf bytes). */
export interface ExportedEvent {
  event: StoredEvent;
  index: number;
  line: string;
  /** A line written before the tree (with the store's `position`, not canonical): it is no leaf. */
  legacy: boolean;
  /** The line parsed, as it stands (with `index`). */
  parsed: Record<string, unknown>;
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
    yield { event, index: index++, line, legacy, parsed: value };
  }
}

/**
 * sha256 of a file's bytes, read as a stream: which export an unfinished import was loading; and its
 * lines that are not empty (the events of an export file, known before the import's one pass).
 */
export async function fileDigest(path: string): Promise<{ digest: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  let previous = NEWLINE;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) {
      if ((at > 0 ? chunk[at - 1] : previous) !== NEWLINE) lines++;
    }
    if (chunk.length > 0) previous = chunk[chunk.length - 1];
  }
  if (previous !== NEWLINE) lines++;
  return { digest: hash.digest('hex'), lines };
}

const NEWLINE = 0x0a;
