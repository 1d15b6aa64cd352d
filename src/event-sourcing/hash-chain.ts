import { hash } from 'node:crypto';
import { canonicalJson, canonicalJsonOf } from './canonical-json';
import type { JsonObject } from './event-store.port';

/**
 * The per-stream hash chain written into every event's metadata by the engine (so both stores
 * carry it): `prevHash` is the hash of the stream's previous event (null for revision 0) and
 * `hash` is the SHA-256 of the canonical encoding of the event's id, stream, revision, type, data
 * and metadata without `hash`. Altering, removing or reordering an event breaks the chain.
 */
export interface ChainedFields {
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: JsonObject;
  /** Metadata including prevHash, excluding hash. */
  metadata: JsonObject;
}

export function eventHash(fields: ChainedFields): string {
  return hash('sha256', chainedText(fields), 'hex');
}

/**
 * The canonical text an event's chain hash covers: canonicalJson({ id, stream, revision, type, data,
 * metadata }) with the keys written in sorted order by hand, and the data's text remembered, so the
 * embedded store keeps the same text without encoding the data again.
 */
export function chainedText(fields: ChainedFields): string {
  const { hash: _ignored, ...metadata } = fields.metadata;
  void _ignored;
  return chainedTextOf(fields, canonicalJsonOf(fields.data), canonicalJson(metadata));
}

/** The chain hash's text from the canonical texts of the data and of the metadata without `hash` (keys in sorted order, by hand). */
export function chainedTextOf(event: { id: string; stream: string; revision: number; type: string }, data: string, unhashedMetadata: string): string {
  return `{"data":${data},"id":${JSON.stringify(event.id)},"metadata":${unhashedMetadata},"revision":${event.revision},"stream":${JSON.stringify(event.stream)},"type":${JSON.stringify(event.type)}}`;
}

/** The metadata with `prevHash` and `hash` set for an event at `revision` after `prevHash`. */
export function chainMetadata(
  event: { id: string; type: string; data: JsonObject; metadata: JsonObject },
  stream: string,
  revision: number,
  prevHash: string | null,
): JsonObject {
  const metadata: JsonObject = { ...event.metadata, prevHash };
  delete metadata.hash;
  return { ...metadata, hash: eventHash({ id: event.id, stream, revision, type: event.type, data: event.data, metadata }) };
}

/** Why a stored event breaks its stream's chain, or null when it holds; `chained`: its chainedText, when the caller has it already. */
export function chainBreak(
  event: ChainedFields & { metadata: JsonObject },
  expectedPrevHash: string | null,
  chained: string = chainedText(event),
): string | null {
  if ((event.metadata.prevHash ?? null) !== expectedPrevHash) return 'prevHash does not match the previous event of its stream';
  if (event.metadata.hash !== hash('sha256', chained, 'hex')) return 'hash does not match the event content';
  return null;
}
