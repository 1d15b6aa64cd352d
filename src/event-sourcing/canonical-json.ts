/**
 * JSON with object keys sorted at every depth and undefined fields dropped: one byte string per
 * value, for hashes and digests. Written as one pass of string building (no intermediate arrays):
 * verify runs it for every event of the log.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot encode ${value} as JSON`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i] === undefined ? null : value[i]);
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const [key, quoted] of sortedKeys(Object.keys(record))) {
        const item = record[key];
        if (item === undefined) continue;
        out += (first ? '' : ',') + quoted + canonicalJson(item);
        first = false;
      }
      return `${out}}`;
    }
    default:
      return JSON.stringify(value);
  }
}

/** Events of one type share their key sets: the sorted, quoted keys of each set are worked out once. */
const keyOrders = new Map<string, [string, string][]>();

function sortedKeys(keys: string[]): [string, string][] {
  const shape = keys.join('\u0000');
  let order = keyOrders.get(shape);
  if (!order) {
    order = [...keys].sort().map((key) => [key, `${JSON.stringify(key)}:`]);
    if (keyOrders.size < 10_000) keyOrders.set(shape, order);
  }
  return order;
}

/** Canonical texts of objects already encoded: an event's data is encoded once for its chain hash and reused as the text the store keeps. */
const encodedObjects = new WeakMap<object, string>();

/** canonicalJson of an object, remembered for that object (events are never mutated once built). */
export function canonicalJsonOf(value: object): string {
  let text = encodedObjects.get(value);
  if (text === undefined) {
    text = canonicalJson(value);
    encodedObjects.set(value, text);
  }
  return text;
}
