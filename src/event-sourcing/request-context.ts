import { randomUUID } from 'node:crypto';

/** Who acts, for which unit, and why: carried from the edge (HTTP, CLI) into every event's metadata. */
export interface RequestContext {
  /** The authenticated caller (token id, or `cli:<user>` for a local operator); never taken from a body. */
  actor: string;
  role: string;
  unit?: string;
  correlationId: string;
  /** The id of the event or command that caused this one, if any. */
  causationId?: string;
}

/** The schema version written on every new event; upcasters bring older shapes up to date on read. */
export const SCHEMA_VERSION = 1;

export function contextMetadata(context: RequestContext): Record<string, string | number> {
  return {
    actor: context.actor,
    role: context.role,
    ...(context.unit ? { unit: context.unit } : {}),
    correlationId: context.correlationId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    schemaVersion: SCHEMA_VERSION,
  };
}

/** The product acting on its own (start-up registration, the scheduler): recorded as `system:<what>`. */
export function systemContext(what: string, correlationId: string = randomUUID()): RequestContext {
  return { actor: `system:${what}`, role: 'admin', correlationId };
}
