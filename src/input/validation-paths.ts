/** Shared by the template and layout validators: how a path into a document is written, and how a wrong value is named. */
import type { MessageRef } from '../i18n/translate';

/** `tasks[12].deadline`: a key appended to a path (an index in brackets). */
export const at = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** A value as an error message names it: `string "x"`, `number 4`, `a list`, `an object`, `null`. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `string "${v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${v}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** The same naming as a phrase of the catalogue, for reasons given in the reader's language. */
export function describedValue(v: unknown): MessageRef {
  if (v === null) return { key: 'phrase.value.null' };
  if (Array.isArray(v)) return { key: 'phrase.value.list' };
  if (typeof v === 'string') return { key: 'phrase.value.string', params: { value: v } };
  if (typeof v === 'number') return { key: 'phrase.value.number', params: { value: v } };
  if (typeof v === 'boolean') return { key: 'phrase.value.boolean', params: { value: String(v) } };
  return typeof v === 'object' ? { key: 'phrase.value.object' } : { key: 'phrase.value.other', params: { type: typeof v } };
}
