import type { MessageRef } from './translate';

type Item = string | number | MessageRef;

/**
 * A list as one message parameter, in the caller's language: a parameter holds one message, so the
 * items nest in pairs (`a, b, c` is `a, (b, c)`), each joined by the separator phrase.
 */
export function joined(items: readonly Item[], separator: 'phrase.listComma' | 'phrase.listSemicolon' | 'phrase.either'): Item {
  if (items.length === 0) throw new RangeError('joined: no items');
  return items.slice(0, -1).reduceRight<Item>((rest, item) => ({ key: separator, params: { a: item, b: rest } }), items[items.length - 1]);
}
