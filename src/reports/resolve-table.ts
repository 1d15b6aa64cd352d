/**
 * One table of a layout onto a grid: header spans placed, body rows materialised (fixed, repeated
 * from a list, or grouped into counts), row and column sums computed, equal runs merged, rows
 * coloured by class. Pure; orderings are stable and locale-free.
 */
import type { Align, CellFormat, Column, GroupedBody, ReportLayout, RepeatedBody, TableLayout } from './layout';
import type { GridCell, ReportData, ResolvedCell, ResolvedTable } from './resolved';
import type { TextFiller } from './filler';
import { bindingKey } from './bindings';
import { cleanSum, formatDate, formatNumber, LOCAL_DATE, naturalCompare, numberFormatCode, scalarText, type Scalar } from './text';

type Row = Record<string, Scalar>;
/** A cell of a row before layout: its value and the format/alignment it asks for. */
interface Draft { value: Scalar; text?: string; format?: string; align?: Align; bold?: boolean }
type CellSpec = { format?: string; align?: Align; bold?: boolean } & ({ sum: string[] } | object);

export function resolveTable(t: TableLayout, layout: ReportLayout, data: ReportData, filler: TextFiller, pageFont: number): ResolvedTable {
  const formats = layout.formats ?? {};
  const patterns = new Map<string, string>(); // date patterns, filled once per table
  const datePattern = (pattern: string): string => patterns.get(pattern) ?? patterns.set(pattern, filler.fill(pattern)).get(pattern)!;
  const cellOf = (col: Column, d: Draft): ResolvedCell => makeCell(d, col, formats, datePattern);
  let drafts: Draft[][];
  let fills: (string | undefined)[][] = [];
  let merge: string[] = [];
  const body = t.body;
  if (body.kind === 'fixed') {
    drafts = body.rows.map((row) => rowDrafts(t.columns, row, (spec) => {
      if ('text' in spec) return { value: null, text: filler.fill(spec.text) };
      if ('bind' in spec) return { value: data.values?.[bindingKey(spec.bind)] ?? null };
      return undefined;
    }));
  } else if (body.kind === 'repeated') {
    const rows = sortRows(list(data, body.list), body.sort ?? []);
    drafts = rows.map((row) => rowDrafts(t.columns, body.cells, (spec) => {
      if ('text' in spec) return { value: null, text: filler.fill(spec.text, row) };
      if ('field' in spec) return { value: row[spec.field] ?? null };
      return undefined;
    }));
    fills = rows.map((row) => highlightRow(t.columns, body, row));
    merge = body.merge ?? [];
  } else {
    drafts = groups(list(data, body.list), body).map((rows) => rowDrafts(t.columns, body.cells, (spec) => {
      if ('text' in spec) return { value: null, text: filler.fill(spec.text, rows[0]) };
      if ('count' in spec) return { value: rows.filter((r) => matches(r, spec.count)).length };
      if ('total' in spec) return { value: sumOf(rows.map((r) => r[spec.total])) };
      return undefined;
    }));
  }
  const grid: GridCell[][] = drafts.map((row, r) => row.map((d, c) => {
    const cell = cellOf(t.columns[c], d);
    const fill = fills[r]?.[c];
    if (fill) cell.fill = fill;
    return cell;
  }));
  mergeRuns(grid, t.columns, merge);
  if (t.totals) grid.push(totalsRow(t, drafts, filler, cellOf));
  return {
    id: t.id,
    sheet: filler.fill(t.sheet),
    caption: t.caption === undefined ? undefined : filler.fill(t.caption),
    widths: t.columns.map((c) => c.width),
    head: headGrid(t, filler),
    body: grid,
    fontSize: t.fontSize ?? pageFont,
  };
}

function list(data: ReportData, name: string): ReadonlyArray<Row> {
  return data.lists?.[name] ?? [];
}

/** Drafts of one row in column order; `sum` cells are summed after the others, following their references. */
function rowDrafts<S extends CellSpec>(columns: Column[], cells: Record<string, S>, draft: (spec: S) => Draft | undefined): Draft[] {
  const done = new Map<string, Draft>();
  const get = (id: string): Draft => {
    const known = done.get(id);
    if (known) return known;
    const spec = cells[id];
    const d = draft(spec) ?? { value: sumOf(('sum' in spec ? spec.sum : []).map((x) => get(x).value)) };
    d.format = spec.format;
    d.align = spec.align;
    d.bold = spec.bold;
    done.set(id, d);
    return d;
  };
  return columns.map((c) => get(c.id));
}

/** Sum of the numbers among the values; null when there are none (an empty row sums to an empty cell). */
function sumOf(values: Scalar[]): number | null {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return numbers.length === 0 ? null : cleanSum(numbers);
}

// Cells are built as plain literals, not spreads: a 10,000-row table makes 70,000 of them.
function makeCell(d: Draft, col: Column, formats: Record<string, CellFormat>, datePattern: (p: string) => string): ResolvedCell {
  const bold = d.bold ?? false;
  const fmt = formats[d.format ?? col.format ?? ''] as CellFormat | undefined;
  if (d.text !== undefined) return textCell(d.text, d.align ?? col.align ?? 'left', bold);
  const v = d.value;
  if (typeof v === 'number') {
    const align = d.align ?? col.align ?? 'right';
    if (!fmt || !('number' in fmt)) return { text: scalarText(v), value: v, type: 'number', colSpan: 1, rowSpan: 1, align, bold };
    const { decimals, grouping = false } = fmt.number;
    return { text: formatNumber(v, decimals, grouping), value: v, type: 'number', numFmt: numberFormatCode(decimals, grouping), colSpan: 1, rowSpan: 1, align, bold };
  }
  const align = d.align ?? col.align ?? 'left';
  if (fmt && 'date' in fmt && typeof v === 'string' && LOCAL_DATE.test(v)) {
    const pattern = datePattern(fmt.date);
    return { text: formatDate(v, pattern), value: v, type: 'date', numFmt: pattern, colSpan: 1, rowSpan: 1, align, bold };
  }
  return textCell(scalarText(v).normalize('NFC'), align, bold);
}

function textCell(text: string, align: Align, bold: boolean): ResolvedCell {
  return { text, value: text === '' ? null : text, type: 'text', colSpan: 1, rowSpan: 1, align, bold };
}

/** Header rows on the grid: spanned-over positions are null, as the validator guarantees coverage. */
function headGrid(t: TableLayout, filler: TextFiller): GridCell[][] {
  const width = t.columns.length;
  const grid: (GridCell | undefined)[][] = t.head.map(() => new Array<GridCell | undefined>(width).fill(undefined));
  t.head.forEach((row, r) => {
    let col = 0;
    for (const h of row) {
      while (grid[r][col] !== undefined) col++;
      const colSpan = h.colSpan ?? 1;
      const rowSpan = h.rowSpan ?? 1;
      for (let y = r; y < r + rowSpan; y++) for (let x = col; x < col + colSpan; x++) grid[y][x] = null;
      const text = filler.fill(h.text);
      grid[r][col] = { text, value: text === '' ? null : text, type: 'text', colSpan, rowSpan, align: h.align ?? 'center', bold: true, fill: h.fill };
      col += colSpan;
    }
  });
  return grid.map((row) => row.map((c) => c ?? null));
}

function sortRows(rows: ReadonlyArray<Row>, keys: string[]): Row[] {
  const indexed = rows.map((row, i) => ({ row, i }));
  indexed.sort((a, b) => {
    for (const k of keys) {
      const d = naturalCompare(a.row[k], b.row[k]);
      if (d !== 0) return d;
    }
    return a.i - b.i;
  });
  return indexed.map((x) => x.row);
}

function groups(rows: ReadonlyArray<Row>, body: GroupedBody): Row[][] {
  const byKey = new Map<string, { value: Scalar; rows: Row[] }>();
  for (const row of rows) {
    const value = row[body.groupBy] ?? null;
    const key = scalarText(value);
    const g = byKey.get(key) ?? { value, rows: [] };
    g.rows.push(row);
    byKey.set(key, g);
  }
  const all = [...byKey.values()];
  if (body.order === 'asc') all.sort((a, b) => naturalCompare(a.value, b.value));
  return all.map((g) => g.rows);
}

function matches(row: Row, spec: { field?: string; in?: string[] }): boolean {
  if (!spec.field) return true;
  const v = scalarText(row[spec.field]);
  return spec.in ? spec.in.includes(v) : v !== '';
}

function highlightRow(columns: Column[], body: RepeatedBody, row: Row): (string | undefined)[] {
  const h = body.highlight;
  const cls = h ? h.classes[scalarText(row[h.field])] : undefined;
  const fill = cls !== undefined && h ? h.fills[cls] : undefined;
  return columns.map((c) => (fill && (!h?.columns || h.columns.includes(c.id)) ? fill.toUpperCase() : undefined));
}

/** Vertical merges over runs of equal text; each merge column's runs stay inside the previous one's. */
function mergeRuns(grid: GridCell[][], columns: Column[], merge: string[]): void {
  let bounds = new Set<number>([0, grid.length]);
  for (const id of merge) {
    const c = columns.findIndex((col) => col.id === id);
    const next = new Set(bounds);
    for (let r = 1; r < grid.length; r++) if (grid[r][c]?.text !== grid[r - 1][c]?.text) next.add(r);
    const cuts = [...next].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [from, to] = [cuts[i], cuts[i + 1]];
      const first = grid[from][c];
      if (to - from < 2 || !first) continue;
      first.rowSpan = to - from;
      for (let r = from + 1; r < to; r++) grid[r][c] = null;
    }
    bounds = next;
  }
}

function totalsRow(t: TableLayout, drafts: Draft[][], filler: TextFiller, cellOf: (col: Column, d: Draft) => ResolvedCell): GridCell[] {
  const totals = t.totals as NonNullable<TableLayout['totals']>;
  const labelColumn = totals.labelColumn ?? t.columns[0].id;
  return t.columns.map((col, c) => {
    if (col.id === labelColumn) return cellOf(col, { value: null, text: filler.fill(totals.label), bold: true, align: 'center' });
    if (!totals.sum.includes(col.id)) return cellOf(col, { value: null, text: '' });
    const format = drafts.find((row) => typeof row[c].value === 'number')?.[c].format;
    return cellOf(col, { value: sumOf(drafts.map((row) => row[c].value)), format, bold: true });
  });
}
