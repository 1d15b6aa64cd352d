/**
 * JSON read the same way on every channel: a key repeated in one object is refused, at any depth.
 * JSON.parse keeps the last of two equal keys silently, so a record could say two things and be
 * stored as one. Pure.
 */
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { at } from './validation-paths';

type Frame = { kind: 'object'; path: string; keys: Set<string>; key: string } | { kind: 'array'; path: string; index: number };

/**
 * The path (`dimensions.service`, `evidence[2].x`) of the first key repeated in an object of a JSON
 * text, or null. One pass without recursion (deep nesting cannot exhaust the stack); text that is
 * not JSON gives null, for JSON.parse to name.
 */
export function duplicateKeyPath(text: string): string | null {
  const stack: Frame[] = [];
  let expectKey = false;
  const pathOfValue = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.kind === 'object' ? at(top.path, top.key) : at(top.path, top.index);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      if (end >= text.length) return null;
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === 'object') {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return null;
        }
        if (top.keys.has(key)) return at(top.path, key);
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push({ kind: 'object', path: pathOfValue(), keys: new Set(), key: '' });
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push({ kind: 'array', path: pathOfValue(), index: 0 });
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') expectKey = true;
      else if (top) top.index++;
    }
  }
  return null;
}

/** A JSON text → its value; malformed JSON is a problem of `field`, a repeated key a problem of its path. */
export function parseJsonText(text: string, field: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DomainError('invalid', [problem(field, 'problem.notJson', { detail: (error as Error).message })]);
  }
  const duplicate = duplicateKeyPath(text);
  if (duplicate !== null) throw new DomainError('invalid', [problem(duplicate, 'problem.duplicateKey')]);
  return value;
}
