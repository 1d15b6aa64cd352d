/**
 * The resolved report: everything both renderers need, already decided — texts filled and
 * NFC-normalised, rows materialised, totals computed, spans laid out on a grid. A renderer only
 * maps this onto its library; it makes no decision of its own, so the xlsx and the PDF agree.
 */
import type { Align, Colour, Language } from './layout';
import type { Scalar } from './text';

/** The data a layout is resolved with: plain values, no functions, no classes. */
export interface ReportData {
  /** ISO-8601 instant the report is as of; every date inside the files is pinned to it. */
  asOf: string;
  /** Selects the labels; default the layout's language. */
  language?: Language;
  /** Scalars for placeholders: jurisdiction, ledgerName, period.fromYear … (null prints empty). */
  fields: Record<string, Scalar>;
  /** Values of bound cells by binding key (see bindingKey): `benefit.households{service=sansheng}`. */
  values?: Record<string, number | string | null>;
  /** Row objects of repeated and grouped tables, by list name. */
  lists?: Record<string, ReadonlyArray<Record<string, Scalar>>>;
  /** What the report was drawn from (report-pin.ts), kept in the files' metadata for `verify --report`. */
  pin?: string;
  /** The signed checkpoint of the log at the pin, carried whole in the files' metadata. */
  checkpointNote?: string;
}

export interface ResolvedCell {
  /** As printed (the PDF's text, and what the xlsx number format shows). */
  text: string;
  /** What the xlsx stores: a number, a `YYYY-MM-DD` date, a text, or null for an empty cell. */
  value: string | number | null;
  type: 'text' | 'number' | 'date';
  /** xlsx number or date format code, e.g. `#,##0.00`, `dd/mm/yyyy`. */
  numFmt?: string;
  colSpan: number;
  rowSpan: number;
  align: Align;
  bold: boolean;
  fill?: Colour;
}

/** A grid position: a cell, or null where an earlier cell's span covers it. */
export type GridCell = ResolvedCell | null;

export interface ResolvedTable {
  id: string;
  sheet: string;
  caption?: string;
  /** Column widths in characters; the PDF uses their proportions. */
  widths: number[];
  head: GridCell[][];
  body: GridCell[][];
  fontSize: number;
}

export interface ResolvedLine {
  text: string;
  size: number;
  bold: boolean;
  align: Align;
}

export type PageNumberPart = { literal: string } | { counter: 'page' | 'pages' };

export interface ResolvedReport {
  layoutId: string;
  language: Language;
  asOf: string;
  /** The document title for file metadata: the first title line. */
  documentTitle: string;
  /** The report pin for file metadata (PDF Keywords, xlsx keywords); null for a layout drawn outside a ledger. */
  pin: string | null;
  page: {
    size: 'A4';
    orientation: 'portrait' | 'landscape';
    /** Millimetres. */
    margins: { top: number; right: number; bottom: number; left: number };
    fitToWidth: boolean;
    repeatHeaderRows: boolean;
    pageNumbers: PageNumberPart[] | null;
    fontSize: number;
    xlsxFont: string;
  };
  title: ResolvedLine[];
  header: { label: string; value: string }[];
  tables: ResolvedTable[];
  footnotes: string[];
  signature: ResolvedLine[];
}
