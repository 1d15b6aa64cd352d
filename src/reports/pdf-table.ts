/**
 * A resolved table as pdfmake content: widths in the layout's proportions, header rows repeated,
 * header spans as real colSpan/rowSpan, texts broken into lines beforehand (pdf-wrap.ts).
 * Two pdfmake 0.3 limits are worked around here, both seen in rendered pages:
 * - `verticalAlignment` misplaces a rowSpan header cell when its table starts below page 1, so
 *   header rows get fixed heights and each header text a top margin that centres it;
 * - a body rowSpan cell's text does not grow its rows (it overflows into the rows below) and is
 *   misplaced when the span crosses a page, so a vertical merge in the body is drawn as one cell
 *   with no lines inside it and its text in its first row.
 */
import type { Content, TableCell } from 'pdfmake/interfaces';
import type { TextWrapper } from './pdf-wrap';
import type { GridCell, ResolvedCell, ResolvedTable } from './resolved';

/** A cell's text: one string, or one unbreakable inline per line with newlines between. */
type CellText = string | ({ text: string; noWrap: boolean } | string)[];

const PAD_X = 3;
const PAD_Y = 2;
const LINE = 0.5;

export interface TableOptions {
  /** Points between the page margins. */
  available: number;
  repeatHeader: boolean;
  /** Space above (a second table). */
  spaced: boolean;
  wrapper: TextWrapper;
  /** pdfmake's lineHeight factor of the document. */
  lineHeight: number;
}

export function pdfTable(t: ResolvedTable, o: TableOptions): Content[] {
  const cols = t.widths.length;
  const content = o.available - cols * 2 * PAD_X - (cols + 1) * LINE;
  const total = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => Math.floor(((content * w) / total) * 100) / 100);
  const lines = (c: ResolvedCell, x: number, bold: boolean): string[] => {
    const width = widths.slice(x, x + c.colSpan).reduce((a, b) => a + b, 0) + (c.colSpan - 1) * (2 * PAD_X + LINE);
    return o.wrapper.lines(c.text, width, t.fontSize, bold);
  };
  const head = headCells(t, lines, o.wrapper.lineHeight(t.fontSize, true, o.lineHeight));
  const out: Content[] = [];
  if (t.caption) out.push({ text: t.caption, bold: true, fontSize: t.fontSize + 1, margin: [0, o.spaced ? 14 : 0, 0, 4] });
  else if (o.spaced) out.push({ text: '', margin: [0, 14, 0, 0] });
  // One table however long: measured on 10,000 rows, splitting it into tables of 500 or 2,000 rows
  // gained nothing (slower if anything) and would print a header mid-page at each seam.
  out.push({
    table: {
      headerRows: o.repeatHeader ? head.cells.length : 0,
      keepWithHeaderRows: 1,
      widths,
      heights: (row: number) => head.heights[row] ?? 'auto',
      body: [...head.cells, ...bodyCells(t, (c, x) => lineInlines(lines(c, x, c.bold)))],
    },
    fontSize: t.fontSize,
    layout: {
      hLineWidth: () => LINE, vLineWidth: () => LINE,
      paddingLeft: () => PAD_X, paddingRight: () => PAD_X, paddingTop: () => PAD_Y, paddingBottom: () => PAD_Y,
    },
  } as Content);
  return out;
}

/** Header rows with fixed heights (tall enough for every cell, spans included) and centred texts. */
function headCells(t: ResolvedTable, lines: (c: ResolvedCell, x: number, bold: boolean) => string[], lineHeight: number) {
  const placed = t.head.flatMap((row, y) => row.flatMap((c, x) => (c ? [{ c, x, y, text: lines(c, x, true) }] : [])));
  const heights = t.head.map(() => lineHeight);
  const spanHeight = (y: number, n: number): number => heights.slice(y, y + n).reduce((a, b) => a + b, 0) + (n - 1) * (2 * PAD_Y + LINE);
  for (const p of [...placed].sort((a, b) => a.c.rowSpan - b.c.rowSpan)) {
    const missing = p.text.length * lineHeight - spanHeight(p.y, p.c.rowSpan);
    if (missing > 0) heights[p.y + p.c.rowSpan - 1] += missing;
  }
  const cells: TableCell[][] = t.head.map((row) => row.map(() => ({})));
  for (const p of placed) {
    const top = (spanHeight(p.y, p.c.rowSpan) - p.text.length * lineHeight) / 2;
    cells[p.y][p.x] = { ...(cell(p.c) as object), text: lineInlines(p.text), bold: true, margin: [0, Math.max(0, top), 0, 0] } as TableCell;
  }
  return { cells, heights };
}

function bodyCells(t: ResolvedTable, wrap: (c: ResolvedCell, x: number) => CellText): TableCell[][] {
  const runs: ({ last: number; fill?: string } | undefined)[] = [];
  return t.body.map((row, y) => row.map((c, x) => {
    const run = runs[x] && runs[x]!.last >= y ? runs[x] : undefined;
    if (!c) return run ? ({ text: '', border: [true, false, true, run.last === y], fillColor: run.fill ? `#${run.fill}` : undefined } as TableCell) : {};
    const out = cell({ ...c, rowSpan: 1 }) as Record<string, unknown>;
    out.text = wrap(c, x);
    if (c.rowSpan > 1) {
      runs[x] = { last: y + c.rowSpan - 1, fill: c.fill };
      out.border = [true, true, true, false];
    }
    return out as TableCell;
  }));
}

function lineInlines(lines: string[]): CellText {
  if (lines.length === 1) return lines[0] === '' ? '' : [{ text: lines[0], noWrap: true }];
  return lines.flatMap((text, i) => (i === 0 ? [{ text, noWrap: true }] : ['\n', { text, noWrap: true }]));
}

/** Only what differs from the table's defaults: pdfmake resolves every style property per inline, so fewer is faster. */
function cell(c: NonNullable<GridCell>): TableCell {
  const out: Record<string, unknown> = { text: c.text };
  if (c.bold) out.bold = true;
  if (c.align !== 'left') out.alignment = c.align;
  if (c.colSpan > 1) out.colSpan = c.colSpan;
  if (c.rowSpan > 1) out.rowSpan = c.rowSpan;
  if (c.fill) out.fillColor = `#${c.fill}`;
  return out as TableCell;
}
