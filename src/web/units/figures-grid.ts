/**
 * The grids a unit enters a period's figures in. Where one of the programme's report layouts has a
 * fixed table bound to submitted metrics (NEA's Attachment 3), the grid is that table: its header,
 * its row labels, its columns and its 合计 as the form prints them. The programme's other submitted
 * metrics get a generic grid: a row per combination of their dimensions but the last, a column per
 * value of the last one. Pure: from the programme and its layouts.
 */
import { dimensionCombinations } from '../../ledgers/workbook/workbook-plan';
import type { ReportLayout, TableLayout } from '../../reports/layout';
import type { Metric, ProgrammeTemplate } from '../../programmes/template';

/** One figure a unit states: a metric and one value of each of its dimensions. */
export interface FigureCell {
  kind: 'figure';
  /** The form field's name: `fig|<metric>|<dim>=<value>,…`. */
  name: string;
  metric: Metric;
  dimensions: Record<string, string>;
  /** What a screen reader says of the cell: the row's and the column's labels. */
  label: string;
}

export type GridCell = FigureCell | { kind: 'text'; text: string } | { kind: 'total'; of: string[] } | { kind: 'empty' };

export interface GridHeadCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
}

export interface FiguresGrid {
  id: string;
  /** The report the grid is laid out like (its id), or null for a generic grid. */
  reportId: string | null;
  caption: string;
  head: GridHeadCell[][];
  rows: GridCell[][];
}

export function figureName(metric: string, dimensions: Record<string, string>): string {
  return `fig|${metric}|${Object.entries(dimensions)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

/** The metrics a unit submits as figures (those counted from OCOP product events are not). */
export const submittedMetrics = (programme: ProgrammeTemplate): Metric[] => (programme.metrics ?? []).filter((m) => !m.derivedFrom);

/** Whether the metric's figures add up across its dimension values (a 合计 column means something). */
const adds = (metric: Metric) => (metric.aggregate ?? 'sum') === 'sum';

/** A fixed layout table whose bound cells are all submitted metrics of the programme, as a grid; null when it is not one. */
export function gridFromTable(reportId: string, table: TableLayout, metrics: Map<string, Metric>): FiguresGrid | null {
  if (table.body.kind !== 'fixed') return null;
  const rows: GridCell[][] = [];
  let bound = 0;
  for (const row of table.body.rows) {
    const rowLabel = table.columns.map((c) => row[c.id]).find((cell) => cell && 'text' in cell);
    const cells: GridCell[] = [];
    for (const column of table.columns) {
      const cell = row[column.id];
      if (!cell) cells.push({ kind: 'empty' });
      else if ('text' in cell) cells.push({ kind: 'text', text: cell.text });
      else if ('sum' in cell) cells.push({ kind: 'total', of: cell.sum });
      else {
        const metric = metrics.get(cell.bind.key);
        if (!metric) return null;
        const dimensions = Object.fromEntries((metric.dimensions ?? []).map((d) => [d.id, cell.bind.where?.[d.id] ?? '']));
        if (Object.values(dimensions).some((v) => v === '')) return null;
        const columnLabel = columnLabelOf(table, column.id);
        cells.push({ kind: 'figure', name: figureName(metric.id, dimensions), metric, dimensions, label: [rowLabel && 'text' in rowLabel ? rowLabel.text : metric.label, columnLabel].filter(Boolean).join(' · ') });
        bound++;
      }
    }
    rows.push(cells);
  }
  if (bound === 0) return null;
  // A sum names columns of the row; the page sums the figures' fields, so name them.
  const named = rows.map((cells) =>
    cells.map((cell): GridCell => {
      if (cell.kind !== 'total') return cell;
      const of = cell.of.map((id) => cells[table.columns.findIndex((c) => c.id === id)]).filter((c): c is FigureCell => c?.kind === 'figure');
      return { kind: 'total', of: of.map((c) => c.name) };
    }),
  );
  return { id: `${reportId}.${table.id}`, reportId, caption: captionOf(table), head: table.head.map((r) => r.map((h) => ({ text: h.text, colSpan: h.colSpan, rowSpan: h.rowSpan }))), rows: named };
}

/** The table's caption, else its sheet's name when it has no placeholder to fill (三零三省服务效益). */
const captionOf = (table: TableLayout): string => table.caption ?? (table.sheet.includes('{') ? '' : table.sheet);

/** The header texts above a column (a spanning group's text and the column's own), joined. */
function columnLabelOf(table: TableLayout, columnId: string): string {
  const index = table.columns.findIndex((c) => c.id === columnId);
  const texts: string[] = [];
  // Walk the head as a grid, honouring spans, to find the cells covering the column.
  const taken: boolean[][] = table.head.map(() => []);
  table.head.forEach((headRow, r) => {
    let c = 0;
    for (const cell of headRow) {
      while (taken[r][c]) c++;
      const span = cell.colSpan ?? 1;
      for (let dr = 0; dr < (cell.rowSpan ?? 1); dr++) for (let dc = 0; dc < span; dc++) if (taken[r + dr]) taken[r + dr][c + dc] = true;
      if (index >= c && index < c + span && !texts.includes(cell.text)) texts.push(cell.text);
      c += span;
    }
  });
  return texts.join(' ');
}

/** A generic grid of one metric: rows = combinations of all dimensions but the last, columns = the last's values (+ 合计 when they add up). */
export function genericGrid(metric: Metric, totalText: string): FiguresGrid {
  const dimensions = metric.dimensions ?? [];
  const last = dimensions[dimensions.length - 1];
  const rest: Metric = { ...metric, dimensions: dimensions.slice(0, -1) };
  const caption = `${metric.label}（${metric.unit}）`;
  const columns = last ? last.values : [null];
  const total = last !== undefined && columns.length > 1 && adds(metric);
  const corner = rest.dimensions!.map((d) => d.label).join(' / ') || (last?.label ?? '');
  const head: GridHeadCell[][] = [[{ text: corner }, ...(last ? last.values.map((v) => ({ text: v.label })) : [{ text: metric.unit }]), ...(total ? [{ text: totalText }] : [])]];
  const rows = dimensionCombinations(rest).map((combination): GridCell[] => {
    const rowLabel = combination.map((c) => c.value.label).join(' / ') || metric.label;
    const figures = columns.map((value): FigureCell => {
      const dims = Object.fromEntries([...combination.map((c) => [c.dimension.id, c.value.id]), ...(last && value ? [[last.id, value.id]] : [])]);
      return { kind: 'figure', name: figureName(metric.id, dims), metric, dimensions: dims, label: [metric.label, rowLabel === metric.label ? '' : rowLabel, value?.label ?? ''].filter(Boolean).join(' · ') };
    });
    return [{ kind: 'text', text: rowLabel }, ...figures, ...(total ? [{ kind: 'total' as const, of: figures.map((f) => f.name) }] : [])];
  });
  return { id: metric.id, reportId: null, caption, head, rows };
}

/** Every grid of the programme: its official tables first, then a generic grid per metric they leave out. */
export function figuresGrids(programme: ProgrammeTemplate, layoutOf: (reportId: string) => ReportLayout | null, totalText: string): FiguresGrid[] {
  const metrics = new Map(submittedMetrics(programme).map((m) => [m.id, m]));
  const grids: FiguresGrid[] = [];
  for (const reportId of programme.reports) {
    for (const table of layoutOf(reportId)?.tables ?? []) {
      const grid = gridFromTable(reportId, table, metrics);
      if (grid) grids.push(grid);
    }
  }
  const covered = new Set(grids.flatMap((g) => figureCells(g).map((c) => c.metric.id)));
  for (const metric of metrics.values()) if (!covered.has(metric.id)) grids.push(genericGrid(metric, totalText));
  return grids;
}

export const figureCells = (grid: FiguresGrid): FigureCell[] => grid.rows.flat().filter((c): c is FigureCell => c.kind === 'figure');
