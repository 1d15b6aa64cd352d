/**
 * Reading a layout file (YAML or JSON) into a validated ReportLayout, errors located at a line and
 * column; and finding a layout by id under templates/reports.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { templatesDir } from '../config';
import type { LayoutError, ReportLayout } from './layout';
import { validateLayout } from './validate-layout';

export interface LayoutLoadError extends LayoutError {
  line?: number;
  column?: number;
}

export type LayoutLoad = { ok: true; layout: ReportLayout } | { ok: false; errors: LayoutLoadError[] };

/** The shipped report layouts: templates/reports (LEDGER_TEMPLATES_DIR). */
export function reportLayoutDir(): string {
  return join(templatesDir(), 'reports');
}

/** Parse and validate the text of `fileName`; the file's base name must be the layout id. */
export function parseLayout(text: string, fileName: string): LayoutLoad {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => ({ path: '(file)', reason: `YAML: ${e.message.split('\n')[0]}`, line: e.linePos?.[0].line, column: e.linePos?.[0].col })) };
  }
  const result = validateLayout(doc.toJS());
  const errors: LayoutLoadError[] = result.ok ? [] : result.errors.map((e) => ({ ...e, ...locate(doc, lineCounter, e.path) }));
  const id = basename(fileName).replace(/\.(ya?ml|json)$/i, '');
  if (result.ok && result.layout.id !== id) errors.push({ path: 'id', reason: `layout id "${result.layout.id}" differs from the file name "${id}"`, ...locate(doc, lineCounter, 'id') });
  return errors.length === 0 && result.ok ? { ok: true, layout: result.layout } : { ok: false, errors };
}

/** Reads and validates templates/reports/<id>.yaml (or another directory); throws listing every error. */
export function loadReportLayout(id: string, dir: string = reportLayoutDir()): ReportLayout {
  const file = join(dir, `${id}.yaml`);
  const result = parseLayout(readFileSync(file, 'utf8'), file);
  if (result.ok) return result.layout;
  const lines = result.errors.map((e) => `${file}${e.line ? `:${e.line}:${e.column}` : ''} ${e.path}: ${e.reason}`);
  throw new Error(`invalid report layout ${id}:\n${lines.join('\n')}`);
}

/** The line and column of the deepest node of `tables[0].head[1]` present in the document. */
function locate(doc: Document, lc: LineCounter, path: string): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    const seg = m[2] !== undefined ? Number(m[2]) : m[1];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
      offset = (node as { range?: number[] }).range?.[0] ?? offset;
    } else break;
  }
  if (offset === undefined) return {};
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}
