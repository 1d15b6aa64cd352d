/**
 * Reading a template file's text (YAML or JSON, by extension) into a validated ProgrammeTemplate,
 * with errors located at a line and column; the canonical JSON and digest that identify a template
 * version; and the diff between two versions recorded with an amendment.
 * Pure: the caller reads the file.
 */
import { createHash } from 'node:crypto';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { canonicalJson } from '../event-sourcing/canonical-json';
import type { ProgrammeTemplate } from './template';
import { duplicateKeyPath } from '../input/json';
import { t, type MessageParams } from '../i18n/translate';
import { nfcStrings } from '../input/text';
import { validateTemplate, type TemplateError } from './validate-template';

export interface LoadError extends TemplateError {
  /** 1-based, where known. */
  line?: number;
  column?: number;
}

export type TemplateLoad = { ok: true; template: ProgrammeTemplate; digest: string } | { ok: false; errors: LoadError[] };

/** Parse and validate the text of `fileName` (.yaml, .yml or .json). */
export function parseTemplate(text: string, fileName: string): TemplateLoad {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext !== 'yaml' && ext !== 'yml' && ext !== 'json') {
    return { ok: false, errors: [{ path: '(file)', ...refusalOf('problem.template.fileType', { file: fileName }) }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  let value: unknown;
  if (ext === 'json') {
    try {
      value = JSON.parse(text);
    } catch (e) {
      return { ok: false, errors: [jsonError(e, text, doc)] };
    }
    const duplicate = duplicateKeyPath(text);
    if (duplicate !== null) return { ok: false, errors: [{ path: duplicate, ...refusalOf('problem.duplicateKey') }] };
  } else {
    if (doc.errors.length > 0) {
      return {
        ok: false,
        errors: doc.errors.map((e) => ({
          path: '(file)',
          ...refusalOf('problem.template.yaml', { detail: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') }),
          line: e.linePos?.[0].line,
          column: e.linePos?.[0].col,
        })),
      };
    }
    value = doc.toJS();
  }
  const result = validateTemplate(nfcStrings(value));
  if (!result.ok) {
    if (doc.errors.length > 0) return { ok: false, errors: result.errors };
    const errors: LoadError[] = result.errors.map((e) => ({ ...e, ...locate(doc, lineCounter, e.path) }));
    const key = (e: LoadError): number => (e.line ?? Infinity) * 1e6 + (e.column ?? 0);
    return { ok: false, errors: errors.sort((a, b) => key(a) - key(b)) };
  }
  return { ok: true, template: result.template, digest: templateDigest(result.template) };
}

function jsonError(e: unknown, text: string, doc: Document): LoadError {
  const message = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(message);
  let where: { line?: number; column?: number } = {};
  if (pos) {
    const before = text.slice(0, Number(pos[1])).split('\n');
    where = { line: before.length, column: before[before.length - 1].length + 1 };
  } else if (doc.errors[0]?.linePos) {
    where = { line: doc.errors[0].linePos[0].line, column: doc.errors[0].linePos[0].col };
  }
  return { path: '(file)', ...refusalOf('problem.template.json', { detail: message.replace(/ in JSON at position \d+.*$/, '') }), ...where };
}

/** A reason in English with its catalogue entry, for the administrator's language. */
function refusalOf(key: string, params: MessageParams = {}): Pick<LoadError, 'reason' | 'message'> {
  return { reason: t('en', key, params), message: { key, params } };
}

/** `tasks[12].deadline.kind` → ['tasks', 12, 'deadline', 'kind']. */
function segments(path: string): (string | number)[] {
  if (path.startsWith('(')) return [];
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** The line and column of the deepest node of the path present in the document (a key for map entries). */
function locate(doc: Document, lc: LineCounter, path: string): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
  for (const seg of segments(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as { range?: [number, number, number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
      offset = (node as { range?: [number, number, number] }).range?.[0] ?? offset;
    } else break;
  }
  if (offset === undefined) return {};
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

/** The canonical JSON of a template: keys sorted at every level, arrays in order, undefined fields dropped. */
export function canonicalTemplateJson(template: ProgrammeTemplate | unknown): string {
  return canonicalJson(template);
}

/** sha256 (hex) of the canonical JSON: the identity of a template version. */
export function templateDigest(template: ProgrammeTemplate): string {
  return createHash('sha256').update(canonicalTemplateJson(template), 'utf8').digest('hex');
}

export interface ItemDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface TemplateDiff {
  tasksAdded: string[]; tasksRemoved: string[]; tasksChanged: string[];
  indicatorsAdded: string[]; indicatorsRemoved: string[]; indicatorsChanged: string[];
  metricsAdded: string[]; metricsRemoved: string[]; metricsChanged: string[];
  /** Top-level keys otherwise changed (added, removed or different), sorted; `tasks`, `indicators` or
   *  `metrics` appear here when only the order of their items changed. */
  otherChanged: string[];
}

function diffItems<T>(before: T[] = [], after: T[] = [], key: (x: T) => string): ItemDiff & { reordered: boolean } {
  const b = new Map(before.map((x) => [key(x), canonicalTemplateJson(x)]));
  const a = new Map(after.map((x) => [key(x), canonicalTemplateJson(x)]));
  const kept = (m: Map<string, string>, other: Map<string, string>) => [...m.keys()].filter((k) => other.has(k));
  return {
    added: [...a.keys()].filter((k) => !b.has(k)),
    removed: [...b.keys()].filter((k) => !a.has(k)),
    changed: kept(a, b).filter((k) => a.get(k) !== b.get(k)),
    reordered: kept(b, a).join('\u0000') !== kept(a, b).join('\u0000'),
  };
}

/** What an amendment changes, by task number, indicator number and metric id. */
export function diffTemplates(before: ProgrammeTemplate, after: ProgrammeTemplate): TemplateDiff {
  const t = diffItems(before.tasks, after.tasks, (x) => x.number);
  const i = diffItems(before.indicators, after.indicators, (x) => x.number);
  const m = diffItems(before.metrics, after.metrics, (x) => x.id);
  const listed = new Set(['tasks', 'indicators', 'metrics']);
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  const json = (v: unknown): string => (v === undefined ? '' : canonicalTemplateJson(v));
  const other = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => !listed.has(k) && json(b[k]) !== json(a[k]));
  if (t.reordered) other.push('tasks');
  if (i.reordered) other.push('indicators');
  if (m.reordered) other.push('metrics');
  return {
    tasksAdded: t.added, tasksRemoved: t.removed, tasksChanged: t.changed,
    indicatorsAdded: i.added, indicatorsRemoved: i.removed, indicatorsChanged: i.changed,
    metricsAdded: m.added, metricsRemoved: m.removed, metricsChanged: m.changed,
    otherChanged: other.sort(),
  };
}
