/**
 * The report layout format: a regulator's form as data (templates/reports/*.yaml), documented in
 * templates/reports/README.md. One layout feeds both renderers through resolveReport.
 * Texts are templates with placeholders, never code:
 *   {name}          a scalar of the report data (`fields`), or of the current row in a repeated table
 *   {label.key}     a label of the language the data selects (`labels`)
 *   {name|map}      the value looked up in a label map (`labels.<lang>.<map>`), e.g. {status|status}
 * `{{` and `}}` write literal braces.
 */
import type { Language } from '../programmes/template';

export type { Language };

export type Align = 'left' | 'center' | 'right';

/** Hex colour without '#', e.g. `FFE699`. */
export type Colour = string;

export interface TextLine {
  text: string;
  /** Font size in points. */
  size?: number;
  bold?: boolean;
  align?: Align;
}

/** One item of the header block line: 填报人及联系方式：{reporter}. */
export interface HeaderItem {
  label: string;
  value?: string;
}

export interface PageSetup {
  size: 'A4';
  orientation: 'portrait' | 'landscape';
  /** Millimetres. */
  margins: { top: number; right: number; bottom: number; left: number };
  /** Scale the sheet to one page wide when printing (xlsx); the PDF always fits the width. Default true. */
  fitToWidth?: boolean;
  /** Repeat the table header rows on every page (PDF and xlsx print titles). Default true. */
  repeatHeaderRows?: boolean;
  /** Footer text with {page} and {pages}: `第 {page} 页 共 {pages} 页`, `Trang {page}/{pages}`. */
  pageNumbers?: string;
  /** Body font size in points; default 10. */
  fontSize?: number;
  /** Font name written into the xlsx (the PDF always embeds Noto Sans SC); default by language. */
  xlsxFont?: string;
}

export type CellFormat =
  /** Rounded half away from zero; `grouping` adds thousands separators (xlsx `#,##0.00`). */
  | { number: { decimals: number; grouping?: boolean } }
  /** A `YYYY-MM-DD` value shown with a pattern of yyyy, mm, dd (placeholders allowed: `{label.dateFormat}`). */
  | { date: string };

/** Names a value of the data's `values` map: a key and optionally a dimension filter. */
export interface Binding {
  key: string;
  where?: Record<string, string>;
}

interface CellCommon {
  /** A name from `formats`. */
  format?: string;
  align?: Align;
  bold?: boolean;
}

/** A cell of a fixed row: literal text, a bound value, or the sum of other columns of the row. */
export type FixedCell =
  | (CellCommon & { text: string })
  | (CellCommon & { bind: Binding })
  | (CellCommon & { sum: string[] });

/** A cell of a repeated row: text from the row, the row's field value (typed), or a row sum. */
export type RowCell =
  | (CellCommon & { text: string })
  | (CellCommon & { field: string })
  | (CellCommon & { sum: string[] });

/** Counts rows of a group, all of them or those whose field is one of `in`. */
export interface CountSpec {
  field?: string;
  in?: string[];
}

/** A cell of a grouped (roll-up) row: text (the group's first row supplies fields), a count, a field sum, or a row sum. */
export type GroupCell =
  | (CellCommon & { text: string })
  | (CellCommon & { count: CountSpec })
  | (CellCommon & { total: string })
  | (CellCommon & { sum: string[] });

export interface FixedBody {
  kind: 'fixed';
  /** Each row maps every column id to a cell. */
  rows: Record<string, FixedCell>[];
}

export interface RepeatedBody {
  kind: 'repeated';
  /** The name of a list in the data's `lists`. */
  list: string;
  /** Stable sort by these fields (numbers by value, texts in natural order: "1.2" < "1.10"); default: the list's order. */
  sort?: string[];
  cells: Record<string, RowCell>;
  /** Columns merged vertically over consecutive equal values, each within the runs of the one before. */
  merge?: string[];
  /** A row fill by the class of a field's value: status → class → colour. */
  highlight?: Highlight;
}

export interface GroupedBody {
  kind: 'grouped';
  list: string;
  groupBy: string;
  /** `input`: groups in order of first appearance (default); `asc`: by group value, natural order. */
  order?: 'input' | 'asc';
  cells: Record<string, GroupCell>;
}

export interface Highlight {
  field: string;
  /** Field value → class, e.g. { overdue: overdue, blocked: behind }. */
  classes: Record<string, string>;
  /** Class → fill colour. */
  fills: Record<string, Colour>;
  /** Columns filled; default every column. */
  columns?: string[];
}

export interface Column {
  id: string;
  /** Width in characters (xlsx); the PDF divides the page width in the same proportions. */
  width: number;
  align?: Align;
  format?: string;
}

export interface HeadCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
  align?: Align;
  fill?: Colour;
}

/** Column sums below the body: the label in `labelColumn` (default the first), sums in `sum`. */
export interface TotalsRow {
  label: string;
  labelColumn?: string;
  sum: string[];
}

export interface TableLayout {
  id: string;
  /** xlsx sheet name (placeholders allowed; ≤ 31 characters once filled). */
  sheet: string;
  /** A line above the table. */
  caption?: string;
  columns: Column[];
  /** Header rows; a cell spanned over by an earlier one is simply left out, as in HTML. */
  head: HeadCell[][];
  body: FixedBody | RepeatedBody | GroupedBody;
  totals?: TotalsRow;
  /** Body font size in points; default the page's. */
  fontSize?: number;
}

/** Per language: a label is a text; a map is value → text. */
export type Labels = Record<string, string | Record<string, string>>;

export interface ReportLayout {
  /** kebab-case; the file name. */
  id: string;
  /** The default language; the data may select another one present in `labels`. */
  language: Language;
  labels?: Partial<Record<Language, Labels>>;
  page: PageSetup;
  formats?: Record<string, CellFormat>;
  title: TextLine[];
  header?: HeaderItem[];
  tables: TableLayout[];
  footnotes?: string[];
  /** The seal / signature block below everything: 填报单位盖章处, nơi ký, đóng dấu. */
  signature?: TextLine[];
}

export interface LayoutError {
  path: string;
  reason: string;
}

