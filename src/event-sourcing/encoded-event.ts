import { canonicalJson } from './canonical-json';
import { chainedTextOf } from './hash-chain';
import type { EventStore, ReadAllOptions, StoredEvent } from './event-store.port';

/**
 * An event as the log's evidence reads it: its place, its chain links, the canonical text its chain
 * hash covers (hash-chain.ts) and its export line (the leaf of the log's tree) split around `index`,
 * which only the reader counting from the start of the log knows. Built either from a parsed event
 * (encodeStoredEvent) or, by the embedded store, from its stored canonical text without parsing it.
 */
export interface EncodedEvent {
  id: string;
  stream: string;
  revision: number;
  position: number;
  recordedAt: string;
  /** metadata.prevHash and metadata.hash as stored (checked by verify, not trusted). */
  prevHash: unknown;
  hash: unknown;
  chained: string;
  /** The export line is lineHead + index + lineTail (lineOf). */
  lineHead: string;
  lineTail: string;
}

/** The export line of an encoded event at `index` in the log. */
export function lineOf(event: EncodedEvent, index: number): string {
  return event.lineHead + index + event.lineTail;
}

/**
 * Both canonical encodings (RFC 8785: keys sorted, no spaces) from the canonical text of the data and
 * of the metadata with and without `hash`. The keys are written in sorted order by hand, so each equals
 * canonicalJson of the same object (a test holds them to it).
 */
export function encodeTexts(
  event: { id: string; stream: string; revision: number; position: number; type: string; recordedAt: string; prevHash: unknown; hash: unknown },
  data: string,
  metadata: string,
  unhashedMetadata: string,
): EncodedEvent {
  return {
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    position: event.position,
    recordedAt: event.recordedAt,
    prevHash: event.prevHash,
    hash: event.hash,
    chained: chainedTextOf(event, data, unhashedMetadata),
    ...lineTexts(event, data, metadata),
  };
}

/** The export line's two parts around `index`, from the canonical text of the data and of the metadata. */
export function lineTexts(
  event: { id: string; stream: string; revision: number; type: string; recordedAt: string },
  data: string,
  metadata: string,
): Pick<EncodedEvent, 'lineHead' | 'lineTail'> {
  return {
    lineHead: `{"data":${data},"id":${JSON.stringify(event.id)},"index":`,
    lineTail: `,"metadata":${metadata},"recordedAt":${JSON.stringify(event.recordedAt)},"revision":${event.revision},"stream":${JSON.stringify(event.stream)},"type":${JSON.stringify(event.type)}}`,
  };
}

/** A parsed event's encodings: its data and metadata encoded canonically (any store, any export file). */
export function encodeStoredEvent(event: StoredEvent): EncodedEvent {
  const { hash, ...unhashed } = event.metadata;
  const unhashedText = canonicalJson(unhashed);
  const metadataText = hash === undefined ? unhashedText : canonicalJson(event.metadata);
  return encodeTexts({ ...event, prevHash: event.metadata.prevHash, hash }, canonicalJson(event.data), metadataText, unhashedText);
}

/** The log's events encoded: the store's own encoded reading where it has one, else each event parsed and encoded. */
export async function* encodedEvents(store: Pick<EventStore, 'readAll' | 'readEncoded'>, options: ReadAllOptions = {}): AsyncIterable<EncodedEvent> {
  if (store.readEncoded) {
    yield* store.readEncoded(options);
    return;
  }
  for await (const event of store.readAll(options)) yield encodeStoredEvent(event);
}
