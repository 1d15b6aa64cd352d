/**
 * ResolvedReport → .xlsx (exceljs): one sheet per table, each with the title lines and header block
 * above the table; footnotes and the seal block below the last table, as in the PDF. Merges,
 * borders, widths, number formats, frozen header rows, A4 print setup with the header rows repeated.
 * Reproducible: core properties pinned to the as-of moment, then the zip re-packed (repackZip).
 */
import ExcelJS from 'exceljs';
import type { GridCell, ResolvedLine, ResolvedReport, ResolvedTable } from './resolved';
import { repackZip } from '../files/reproducible-zip';

const CREATOR = 'compliance-ledger';
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const MM_PER_INCH = 25.4;

export async function renderXlsx(report: ResolvedReport): Promise<Buffer> {
  const asOf = new Date(report.asOf);
  const wb = new ExcelJS.Workbook();
  Object.assign(wb, { creator: CREATOR, lastModifiedBy: CREATOR, created: asOf, modified: asOf, title: report.documentTitle, ...(report.pin ? { keywords: report.pin } : {}) });
  const names = new Set<string>();
  report.tables.forEach((table, i) => {
    const ws = wb.addWorksheet(sheetName(table.sheet, names));
    new SheetWriter(ws, report, table).write(i === report.tables.length - 1);
  });
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return repackZip(raw, asOf);
}

/** Excel's limits: ≤ 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)}_${n}`;
  used.add(name.toLowerCase());
  return name;
}

class SheetWriter {
  private row = 1;
  private readonly width: number;

  constructor(private readonly ws: ExcelJS.Worksheet, private readonly report: ResolvedReport, private readonly table: ResolvedTable) {
    this.width = table.widths.length;
  }

  write(withClosing: boolean): void {
    const { report, table, ws } = this;
    table.widths.forEach((w, i) => { ws.getColumn(i + 1).width = w; });
    for (const line of report.title) this.line(line);
    if (report.header.length > 0) this.headerBlock();
    this.row++;
    if (table.caption) this.line({ text: table.caption, size: table.fontSize + 1, bold: true, align: 'left' });
    const headFirst = this.row;
    this.grid(table.head, true);
    const headLast = this.row - 1;
    this.grid(table.body, false);
    if (withClosing) {
      if (report.footnotes.length > 0) this.row++;
      for (const f of report.footnotes) this.line({ text: f, size: table.fontSize, bold: false, align: 'left' });
      if (report.signature.length > 0) this.row++;
      for (const s of report.signature) this.line(s);
    }
    this.pageSetup(headFirst, headLast);
  }

  private font(size: number, bold: boolean): Partial<ExcelJS.Font> {
    return { name: this.report.page.xlsxFont, size, bold };
  }

  /** A line of text across the table's width. */
  private line(l: ResolvedLine): void {
    const r = this.row++;
    this.ws.mergeCells(r, 1, r, this.width);
    const cell = this.ws.getCell(r, 1);
    cell.value = l.text;
    cell.font = this.font(l.size, l.bold);
    cell.alignment = { horizontal: l.align, vertical: 'middle', wrapText: true };
    const lines = estimateLines(l.text, this.table.widths.reduce((a, b) => a + b, 0), l.size);
    this.ws.getRow(r).height = points(Math.max(lines * l.size * 1.45 + 4, 15));
  }

  /** 填报人及联系方式：… 审核人：… 填报日期：… over the width in about equal parts, cut at column edges. */
  private headerBlock(): void {
    const r = this.row++;
    const items = this.report.header;
    const widths = this.table.widths;
    const size = this.report.page.fontSize;
    const edges = splitColumns(widths, items.length);
    let lines = 1;
    items.forEach((h, i) => {
      const [from, to] = [edges[i] + 1, Math.max(edges[i] + 1, edges[i + 1])];
      if (to > from) this.ws.mergeCells(r, from, r, to);
      const cell = this.ws.getCell(r, from);
      cell.value = h.label + h.value;
      cell.font = this.font(size, false);
      cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
      lines = Math.max(lines, estimateLines(h.label + h.value, widths.slice(from - 1, to).reduce((a, b) => a + b, 0), size));
    });
    this.ws.getRow(r).height = points(Math.max(lines * size * 1.45 + 4, 15));
  }

  private grid(rows: GridCell[][], head: boolean): void {
    const { ws, table } = this;
    const first = this.row;
    const heights = rowHeights(rows, table);
    rows.forEach((cells, y) => {
      const r = first + y;
      cells.forEach((c, x) => {
        const cell = ws.getCell(r, x + 1);
        cell.border = BORDER;
        if (!c) return;
        if (c.type === 'number') cell.value = c.value as number;
        else if (c.type === 'date') cell.value = utcDate(c.value as string);
        else if (c.value !== null) cell.value = c.value;
        if (c.numFmt) cell.numFmt = c.numFmt;
        cell.font = this.font(table.fontSize, c.bold || head);
        cell.alignment = { horizontal: c.align, vertical: 'middle', wrapText: true };
        if (c.fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${c.fill}` } };
        if (c.colSpan > 1 || c.rowSpan > 1) mergeDisjoint(ws, r, x + 1, r + c.rowSpan - 1, x + c.colSpan);
      });
      ws.getRow(r).height = heights[y];
    });
    this.row = first + rows.length;
  }

  private pageSetup(headFirst: number, headLast: number): void {
    const { page } = this.report;
    const inch = (mm: number): number => Math.round((mm / MM_PER_INCH) * 100) / 100;
    this.ws.pageSetup = {
      paperSize: 9, // A4
      orientation: page.orientation,
      fitToPage: page.fitToWidth,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { top: inch(page.margins.top), bottom: inch(page.margins.bottom), left: inch(page.margins.left), right: inch(page.margins.right), header: 0.2, footer: 0.2 },
      printTitlesRow: page.repeatHeaderRows && headLast >= headFirst ? `${headFirst}:${headLast}` : undefined,
    };
    this.ws.views = headLast >= headFirst ? [{ state: 'frozen', xSplit: 0, ySplit: headLast }] : [];
    if (page.pageNumbers) {
      const footer = page.pageNumbers.map((p) => ('literal' in p ? p.literal.replace(/&/g, '&&') : p.counter === 'page' ? '&P' : '&N')).join('');
      this.ws.headerFooter = { oddFooter: `&C${footer}` };
    }
  }
}

/**
 * mergeCells checks the new range against every earlier merge: quadratic, 3 s of a 10,000-row
 * sheet. Our merges are disjoint by construction (the resolver's grid), so it checks against none.
 */
function mergeDisjoint(ws: ExcelJS.Worksheet, top: number, left: number, bottom: number, right: number): void {
  const sheet = ws as unknown as { _merges?: Record<string, unknown> };
  const merges = sheet._merges;
  if (!merges) return ws.mergeCells(top, left, bottom, right);
  sheet._merges = {};
  try {
    ws.mergeCells(top, left, bottom, right);
  } finally {
    sheet._merges = Object.assign(merges, sheet._merges);
  }
}

/** `2021-06-30` → the UTC midnight exceljs turns into the Excel serial 44377, independent of the host zone. */
function utcDate(local: string): Date {
  const [y, m, d] = local.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** Column edges (0 … n) cutting the widths into `parts` runs of about equal width, each at least one column. */
function splitColumns(widths: number[], parts: number): number[] {
  const total = widths.reduce((a, b) => a + b, 0);
  const cum = widths.map((_, i) => widths.slice(0, i + 1).reduce((a, b) => a + b, 0));
  const edges = [0];
  for (let i = 1; i < parts; i++) {
    const target = (total * i) / parts;
    let best = edges[i - 1] + 1;
    for (let e = best; e <= widths.length - (parts - i); e++) if (Math.abs(cum[e - 1] - target) < Math.abs(cum[best - 1] - target)) best = e;
    edges.push(best);
  }
  edges.push(widths.length);
  return edges;
}

const points = (x: number): number => Math.round(x * 10) / 10;

/** Wide (CJK) characters take two columns of width; others one. */
function estimateLines(text: string, widthChars: number, size: number): number {
  const perLine = Math.max(1, (widthChars * 11) / size - 1);
  return text.split('\n').reduce((n, part) => {
    let w = 0;
    for (const ch of part) w += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F“”]/.test(ch) ? 2 : 1;
    return n + Math.max(1, Math.ceil(w / perLine));
  }, 0);
}

/** Excel does not grow rows for wrapped text on its own: the tallest cell decides, a merge shares its rows. */
function rowHeights(rows: GridCell[][], table: ResolvedTable): number[] {
  const lines = rows.map(() => 1);
  rows.forEach((cells, y) => cells.forEach((c, x) => {
    if (!c) return;
    const width = table.widths.slice(x, x + c.colSpan).reduce((a, b) => a + b, 0);
    const share = Math.ceil(estimateLines(c.text, width, table.fontSize) / c.rowSpan);
    for (let r = y; r < y + c.rowSpan; r++) lines[r] = Math.max(lines[r], share);
  }));
  return lines.map((n) => points(Math.max(n * table.fontSize * 1.45 + 5, 16)));
}
