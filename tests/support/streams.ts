import { randomUUID } from 'node:crypto';

/** A stream id no other test uses: `<category>-<uuid without dashes>`. */
export function freshStream(category = 'contract'): string {
  return `${category}-${randomUUID().replace(/-/g, '')}`;
}

export function newEvent(type = 'SomethingHappened', data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  return { id: randomUUID(), type, data: data as never, metadata: metadata as never };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
