/**
 * validateLayout: checks an untrusted value (parsed YAML/JSON) against the ReportLayout format of
 * layout.ts and collects every error as { path: 'tables[0].head[1][2]', reason }.
 * Shapes are tables (field → check, `?` marks optional); cross-field rules (header grids, column
 * references, sum cycles, labels present in every language) run after the shape checks.
 */
import type { LayoutError, ReportLayout } from './layout';
import { parseText } from './text';
import { at, describe } from '../input/validation-paths';

type Obj = Record<string, unknown>;
interface Ctx { errors: LayoutError[]; texts: { path: string; text: string }[] }
type Check = (value: unknown, path: string, ctx: Ctx) => void;

const LANGUAGES = ['zh-CN', 'vi'];
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const COLOUR = /^[0-9A-Fa-f]{6}$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (c: Ctx, path: string, reason: string): void => void c.errors.push({ path: path || '(root)', reason });


// ---- leaves -------------------------------------------------------------------------------

/** A template text; its placeholders are checked against the labels once all texts are known. */
const text: Check = (v, p, c) => {
  if (typeof v !== 'string') return fail(c, p, `expected a string, got ${describe(v)}${typeof v === 'number' ? ` (quote it: "${v}")` : ''}`);
  try { parseText(v); c.texts.push({ path: p, text: v }); } catch (e) { fail(c, p, (e as Error).message); }
};
const nonEmptyText: Check = (v, p, c) => (typeof v === 'string' && v.trim() === '' ? fail(c, p, 'must not be empty') : text(v, p, c));
const matching = (re: RegExp, what: string): Check => (v, p, c) => {
  if (typeof v !== 'string' || !re.test(v)) fail(c, p, `invalid ${what} ${describe(v)}`);
};
const id = matching(ID, 'id (letters, digits, - and _, starting with a letter)');
const bool: Check = (v, p, c) => (typeof v === 'boolean' ? undefined : fail(c, p, `expected true or false, got ${describe(v)}`));
const num = (min: number, max: number, integer = false): Check => (v, p, c) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    fail(c, p, `expected ${integer ? 'an integer' : 'a number'} ${min}–${max}, got ${describe(v)}`);
  }
};
const oneOf = (values: readonly string[]): Check => (v, p, c) => {
  if (typeof v !== 'string' || !values.includes(v)) fail(c, p, `expected one of ${values.join(', ')}, got ${describe(v)}`);
};
const align = oneOf(['left', 'center', 'right']);
const colour = matching(COLOUR, 'colour (six hex digits, e.g. FFE699)');

// ---- structure ----------------------------------------------------------------------------

function object(spec: Record<string, Check>, post?: (o: Obj, p: string, c: Ctx) => void): Check {
  const fields = Object.entries(spec).map(([k, check]) => ({ key: k.replace(/\?$/, ''), optional: k.endsWith('?'), check }));
  const known = new Set(fields.map((f) => f.key));
  return (v, p, c) => {
    if (!isObj(v)) return fail(c, p, `expected an object, got ${describe(v)}`);
    for (const f of fields) {
      if (Object.prototype.hasOwnProperty.call(v, f.key)) f.check(v[f.key], at(p, f.key), c);
      else if (!f.optional) fail(c, at(p, f.key), 'missing required field');
    }
    for (const k of Object.keys(v)) if (!known.has(k)) fail(c, at(p, k), `unknown field "${k}"`);
    post?.(v, p, c);
  };
}

function list(item: Check, nonEmpty = false): Check {
  return (v, p, c) => {
    if (!Array.isArray(v)) return fail(c, p, `expected a list, got ${describe(v)}`);
    if (nonEmpty && v.length === 0) fail(c, p, 'must not be empty');
    v.forEach((x, i) => item(x, at(p, i), c));
  };
}

const record = (value: Check): Check => (v, p, c) => {
  if (!isObj(v)) return fail(c, p, `expected an object, got ${describe(v)}`);
  for (const [k, x] of Object.entries(v)) value(x, at(p, k), c);
};

/** An object that is one of several shapes, told apart by which discriminating key it has. */
function variant(what: string, shapes: Record<string, Record<string, Check>>): Check {
  const checks = Object.fromEntries(Object.entries(shapes).map(([k, spec]) => [k, object(spec)]));
  const keys = Object.keys(shapes);
  return (v, p, c) => {
    if (!isObj(v)) return fail(c, p, `expected an object, got ${describe(v)}`);
    const present = keys.filter((k) => k in v);
    if (present.length !== 1) return fail(c, p, `a ${what} needs exactly one of ${keys.join(', ')}${present.length ? `; found ${present.join(', ')}` : ''}`);
    checks[present[0]](v, p, c);
  };
}

// ---- the format ---------------------------------------------------------------------------

const textLine = object({ text, 'size?': num(4, 40), 'bold?': bool, 'align?': align });
const common = { 'format?': id, 'align?': align, 'bold?': bool };
const columnList = list(id, true);

const fixedCell = variant('fixed cell', {
  text: { text, ...common },
  bind: { bind: object({ key: nonEmptyText, 'where?': record(nonEmptyText) }), ...common },
  sum: { sum: columnList, ...common },
});
const rowCell = variant('row cell', {
  text: { text, ...common },
  field: { field: nonEmptyText, ...common },
  sum: { sum: columnList, ...common },
});
const groupCell = variant('group cell', {
  text: { text, ...common },
  count: { count: object({ 'field?': nonEmptyText, 'in?': list(nonEmptyText, true) }), ...common },
  total: { total: nonEmptyText, ...common },
  sum: { sum: columnList, ...common },
});

const highlight = object({ field: nonEmptyText, classes: record(nonEmptyText), fills: record(colour), 'columns?': columnList });

const body: Check = (v, p, c) => {
  if (!isObj(v)) return fail(c, p, `expected an object, got ${describe(v)}`);
  const shapes: Record<string, Check> = {
    fixed: object({ kind: () => {}, rows: list(record(fixedCell), true) }),
    repeated: object({ kind: () => {}, list: nonEmptyText, 'sort?': list(nonEmptyText, true), cells: record(rowCell), 'merge?': columnList, 'highlight?': highlight }),
    grouped: object({ kind: () => {}, list: nonEmptyText, groupBy: nonEmptyText, 'order?': oneOf(['input', 'asc']), cells: record(groupCell) }),
  };
  const check = typeof v.kind === 'string' && Object.prototype.hasOwnProperty.call(shapes, v.kind) ? shapes[v.kind] : undefined;
  if (!check) return fail(c, at(p, 'kind'), `expected one of ${Object.keys(shapes).join(', ')}, got ${describe(v.kind)}`);
  check(v, p, c);
};

const headCell = object({ text, 'colSpan?': num(1, 1000, true), 'rowSpan?': num(1, 1000, true), 'align?': align, 'fill?': colour });

const table = object({
  id,
  sheet: nonEmptyText,
  'caption?': text,
  columns: list(object({ id, width: num(1, 255), 'align?': align, 'format?': id }), true),
  head: list(list(headCell, true)),
  body,
  'totals?': object({ label: text, 'labelColumn?': id, sum: columnList }),
  'fontSize?': num(4, 40),
}, checkTable);

const format = variant('format', {
  number: { number: object({ decimals: num(0, 10, true), 'grouping?': bool }) },
  date: { date: nonEmptyText },
});

const labels: Check = (v, p, c) => {
  if (!isObj(v)) return fail(c, p, `expected an object, got ${describe(v)}`);
  for (const lang of Object.keys(v)) {
    if (!LANGUAGES.includes(lang)) fail(c, at(p, lang), `unknown language "${lang}"; expected one of ${LANGUAGES.join(', ')}`);
    record((x, q, cc) => (isObj(x) ? record(text)(x, q, cc) : text(x, q, cc)))(v[lang], at(p, lang), c);
  }
};

const layout = object({
  id: matching(KEBAB, 'layout id (kebab-case)'),
  language: oneOf(LANGUAGES),
  'labels?': labels,
  page: object({
    size: oneOf(['A4']),
    orientation: oneOf(['portrait', 'landscape']),
    margins: object({ top: num(0, 100), right: num(0, 100), bottom: num(0, 100), left: num(0, 100) }),
    'fitToWidth?': bool,
    'repeatHeaderRows?': bool,
    'pageNumbers?': nonEmptyText,
    'fontSize?': num(4, 40),
    'xlsxFont?': nonEmptyText,
  }),
  'formats?': record(format),
  title: list(textLine, true),
  'header?': list(object({ label: text, 'value?': text }), true),
  tables: list(table, true),
  'footnotes?': list(nonEmptyText),
  'signature?': list(textLine, true),
}, checkLayout);

// ---- cross-field rules --------------------------------------------------------------------

function columnIds(t: Obj): string[] {
  return Array.isArray(t.columns) ? t.columns.filter(isObj).map((col) => col.id).filter((x): x is string => typeof x === 'string') : [];
}

function checkTable(t: Obj, p: string, c: Ctx): void {
  const ids = columnIds(t);
  const known = new Set(ids);
  ids.forEach((x, i) => { if (ids.indexOf(x) !== i) fail(c, `${p}.columns[${i}].id`, `duplicate column id "${x}"`); });
  const ref = (x: unknown, path: string): void => {
    if (typeof x === 'string' && !known.has(x)) fail(c, path, `unknown column "${x}"`);
  };
  if (Array.isArray(t.head)) checkHeadGrid(t.head, ids.length, `${p}.head`, c);
  if (isObj(t.body)) checkBody(t.body, ids, `${p}.body`, c, ref);
  if (isObj(t.totals)) {
    ref(t.totals.labelColumn, `${p}.totals.labelColumn`);
    if (Array.isArray(t.totals.sum)) t.totals.sum.forEach((x, i) => ref(x, `${p}.totals.sum[${i}]`));
  }
  if (typeof t.sheet === 'string' && /[[\]:*?/\\]/.test(t.sheet)) fail(c, `${p}.sheet`, 'a sheet name cannot contain [ ] : * ? / \\');
}

/** Every header row must cover every column exactly once, counting spans from rows above. */
function checkHeadGrid(rows: unknown[], width: number, p: string, c: Ctx): void {
  const taken: boolean[][] = rows.map(() => new Array<boolean>(width).fill(false));
  rows.forEach((row, r) => {
    if (!Array.isArray(row)) return;
    let col = 0;
    row.forEach((cell, i) => {
      if (!isObj(cell)) return;
      while (col < width && taken[r][col]) col++;
      const cs = typeof cell.colSpan === 'number' ? cell.colSpan : 1;
      const rs = typeof cell.rowSpan === 'number' ? cell.rowSpan : 1;
      if (col + cs > width) return fail(c, `${p}[${r}][${i}]`, `the cell runs past the last column (${width} columns)`);
      if (r + rs > rows.length) return fail(c, `${p}[${r}][${i}].rowSpan`, `rowSpan ${rs} runs past the last header row`);
      for (let y = r; y < r + rs; y++) for (let x = col; x < col + cs; x++) {
        if (taken[y][x]) fail(c, `${p}[${r}][${i}]`, `overlaps another cell at header row ${y + 1}, column ${x + 1}`);
        taken[y][x] = true;
      }
      col += cs;
    });
    const missing = taken[r].filter((x) => !x).length;
    if (missing > 0) fail(c, `${p}[${r}]`, `covers ${width - missing} of ${width} columns`);
  });
}

function checkBody(b: Obj, ids: string[], p: string, c: Ctx, ref: (x: unknown, path: string) => void): void {
  const checkCells = (cells: unknown, path: string): void => {
    if (!isObj(cells)) return;
    for (const x of ids) if (!(x in cells)) fail(c, `${path}.${x}`, 'missing cell for this column');
    for (const [k, cell] of Object.entries(cells)) {
      if (!ids.includes(k)) fail(c, `${path}.${k}`, `unknown column "${k}"`);
      if (isObj(cell) && Array.isArray(cell.sum)) cell.sum.forEach((x, i) => ref(x, `${path}.${k}.sum[${i}]`));
    }
    checkSumCycles(cells, path, c);
  };
  if (b.kind === 'fixed' && Array.isArray(b.rows)) b.rows.forEach((row, i) => checkCells(row, `${p}.rows[${i}]`));
  if (b.kind === 'repeated' || b.kind === 'grouped') checkCells(b.cells, `${p}.cells`);
  if (Array.isArray(b.merge)) b.merge.forEach((x, i) => ref(x, `${p}.merge[${i}]`));
  const h = b.highlight;
  if (isObj(h)) {
    if (Array.isArray(h.columns)) h.columns.forEach((x, i) => ref(x, `${p}.highlight.columns[${i}]`));
    if (isObj(h.classes) && isObj(h.fills)) {
      for (const [value, cls] of Object.entries(h.classes)) {
        if (typeof cls === 'string' && !(cls in h.fills)) fail(c, `${p}.highlight.classes.${value}`, `class "${cls}" has no fill`);
      }
    }
  }
}

function checkSumCycles(cells: Obj, p: string, c: Ctx): void {
  const deps = (k: string): string[] => {
    const cell = cells[k];
    return isObj(cell) && Array.isArray(cell.sum) ? cell.sum.filter((x): x is string => typeof x === 'string') : [];
  };
  for (const start of Object.keys(cells)) {
    const stack = [...deps(start)];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const k = stack.pop() as string;
      if (k === start) { fail(c, `${p}.${start}.sum`, 'sums refer to each other in a cycle'); break; }
      if (!seen.has(k)) { seen.add(k); stack.push(...deps(k)); }
    }
  }
}

/** Formats referenced exist; every {label.x} and {v|map} exists, with the right kind, in every language. */
function checkLayout(o: Obj, _p: string, c: Ctx): void {
  const formats = isObj(o.formats) ? o.formats : {};
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, at(path, i)));
    if (!isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (path === '' && (k === 'formats' || k === 'labels')) continue;
      if (k === 'format' && typeof x === 'string' && !(x in formats)) fail(c, at(path, k), `unknown format "${x}"`);
      else walk(x, at(path, k));
    }
  };
  walk(o, '');
  const byLang = isObj(o.labels) ? Object.entries(o.labels).filter(([l]) => LANGUAGES.includes(l)) : [];
  if (byLang.length > 0 && typeof o.language === 'string' && !byLang.some(([l]) => l === o.language)) {
    fail(c, 'labels', `no labels for the layout's language "${o.language}"`);
  }
  for (const { path, text: t } of c.texts) {
    for (const part of parseText(t)) {
      if ('literal' in part) continue;
      if (path.startsWith('labels.')) {
        if (part.map || part.name.startsWith('label.')) fail(c, path, 'a label cannot refer to labels');
        continue;
      }
      const want = part.map ? { key: part.map, kind: 'map' } : part.name.startsWith('label.') ? { key: part.name.slice(6), kind: 'label' } : null;
      if (!want) continue;
      if (byLang.length === 0) fail(c, path, `{${part.name}${part.map ? `|${part.map}` : ''}} needs labels, and the layout has none`);
      for (const [lang, entries] of byLang) {
        const found = isObj(entries) ? entries[want.key] : undefined;
        const kind = found === undefined ? undefined : isObj(found) ? 'map' : 'label';
        if (kind !== want.kind) fail(c, path, `${want.kind} "${want.key}" is ${kind ? `a ${kind}, not a ${want.kind},` : 'missing'} in labels.${lang}`);
      }
    }
  }
}

export type LayoutValidation = { ok: true; layout: ReportLayout } | { ok: false; errors: LayoutError[] };

/** Validate a parsed layout; on success the same value, typed. Collects all errors. */
export function validateLayout(input: unknown): LayoutValidation {
  const ctx: Ctx = { errors: [], texts: [] };
  layout(input, '', ctx);
  return ctx.errors.length === 0 ? { ok: true, layout: input as ReportLayout } : { ok: false, errors: ctx.errors };
}
