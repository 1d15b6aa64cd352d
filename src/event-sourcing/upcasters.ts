import type { StoredEvent } from './event-store.port';

/**
 * An upcaster brings a frozen old shape of an event type to its current shape on read, so that
 * history is never rewritten. Keyed by type and the schemaVersion the event was written with.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(event: StoredEvent): StoredEvent;
}

export function upcasterChain(upcasters: readonly Upcaster[]): (event: StoredEvent) => StoredEvent {
  const byKey = new Map(upcasters.map((u) => [`${u.type}@${u.fromVersion}`, u]));
  if (byKey.size !== upcasters.length) throw new Error('two upcasters for the same type and version');
  return (event) => {
    let current = event;
    for (;;) {
      const version = Number(current.metadata.schemaVersion ?? 1);
      const upcaster = byKey.get(`${current.type}@${version}`);
      if (!upcaster) return current;
      const next = upcaster.upcast(current);
      current = { ...next, metadata: { ...next.metadata, schemaVersion: version + 1 } };
    }
  };
}

/** No event shape has changed yet: the registry every reader applies. */
export const UPCASTERS: readonly Upcaster[] = [];
export const upcast = upcasterChain(UPCASTERS);
