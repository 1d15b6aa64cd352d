/**
 * WorkbookPlan → .xlsx (exceljs): the task sheet (a drop-down of the four statuses in the
 * programme's language, a date cell with date validation, note, evidence), the metric sheet (one
 * value cell per metric × dimension values, validated as the metric's numbers), and a very hidden
 * meta sheet naming what the workbook is for. Given cells are locked (sheet protection without a
 * password: it prevents slips, not intent; uploads check everything anyway).
 * Reproducible: core properties pinned to the plan's moment, then the zip re-packed (repackZip).
 */
import { acceptedYears } from '../../programmes/dates';
import { valueBounds, VALUE_LIMIT } from '../../programmes/numbers';
import ExcelJS from 'exceljs';
import { repackZip } from '../../files/reproducible-zip';
import { PROGRESS_STATUSES } from '../submit/record-types';
import {
  FIRST_DATA_ROW,
  HEADER_ROW,
  HELP_ROW,
  LAYOUT_VERSION,
  META_KEYS,
  META_SHEET,
  METRIC_COLUMNS,
  TASK_COLUMNS,
  TITLE_ROW,
  WORKBOOK_KIND,
  type MetaKey,
} from './workbook-layout';
import type { MetricRowPlan, WorkbookPlan } from './workbook-plan';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CREATOR = 'compliance-ledger';
const FONT: Record<string, string> = { 'zh-CN': '宋体', vi: 'Times New Roman' };
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FILL_IN: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true };

export function workbookFileName(plan: Pick<WorkbookPlan, 'ledgerId' | 'unit' | 'period'>): string {
  return `${plan.ledgerId}-${plan.unit.id}-${plan.period.id}.xlsx`;
}

/** The metric's constraint as the metric declares it (the server checks the same). */
export function valueRule(metric: MetricRowPlan['metric']): { min?: number; max?: number; integer: boolean; decimals: number } {
  return { min: metric.min, max: metric.max, integer: metric.integer === true, decimals: valueBounds(metric).decimals };
}

/** The label of a row's dimension values: "服务效益：居民用户" or "Hạng sao: 3 sao / Loại: mới". */
export function dimensionLabel(row: MetricRowPlan, language: string): string {
  const colon = language === 'zh-CN' ? '：' : ': ';
  return row.values.map((v) => `${v.dimension.label}${colon}${v.value.label}`).join(' / ');
}

/** The hidden key of a row's dimension values: `{"service":"sansheng"}` (dimension order of the metric). */
export function dimensionIds(row: MetricRowPlan): string {
  return JSON.stringify(Object.fromEntries(row.values.map((v) => [v.dimension.id, v.value.id])));
}

export async function renderWorkbook(plan: WorkbookPlan): Promise<Buffer> {
  const pinned = new Date(plan.pinnedAt);
  const wb = new ExcelJS.Workbook();
  Object.assign(wb, { creator: CREATOR, lastModifiedBy: CREATOR, created: pinned, modified: pinned, title: `${plan.programme.title} – ${plan.unit.name} – ${plan.period.id}` });
  const font = FONT[plan.programme.language] ?? FONT.vi;
  await taskSheet(wb, plan, font);
  await metricSheet(wb, plan, font);
  await metaSheet(wb, plan);
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return repackZip(raw, pinned);
}

function heading(ws: ExcelJS.Worksheet, width: number, title: string, help: string, headers: string[], font: string): void {
  ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, width);
  Object.assign(ws.getCell(TITLE_ROW, 1), { value: title, font: { name: font, size: 14, bold: true }, alignment: { vertical: 'middle' } });
  ws.getRow(TITLE_ROW).height = 24;
  ws.mergeCells(HELP_ROW, 1, HELP_ROW, width);
  Object.assign(ws.getCell(HELP_ROW, 1), { value: help, font: { name: font, size: 10, italic: true }, alignment: { vertical: 'top', wrapText: true } });
  ws.getRow(HELP_ROW).height = 32;
  headers.forEach((text, i) => {
    Object.assign(ws.getCell(HEADER_ROW, i + 1), {
      value: text,
      font: { name: font, size: 11, bold: true },
      alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
      border: BORDER,
      fill: HEADER_FILL,
    });
  });
  ws.getRow(HEADER_ROW).height = 30;
  ws.views = [{ state: 'frozen', ySplit: HEADER_ROW }];
}

function given(cell: ExcelJS.Cell, value: ExcelJS.CellValue, font: string, wrap = false): void {
  Object.assign(cell, { value, font: { name: font, size: 10 }, border: BORDER, alignment: { vertical: 'top', wrapText: wrap } });
}

function fillIn(cell: ExcelJS.Cell, font: string, validation?: ExcelJS.DataValidation, numFmt?: string): void {
  Object.assign(cell, { font: { name: font, size: 10 }, border: BORDER, fill: FILL_IN, alignment: { vertical: 'top', wrapText: true }, protection: { locked: false } });
  if (numFmt) cell.numFmt = numFmt;
  if (validation) cell.dataValidation = validation;
}

/** Rough row height for wrapped text: CJK characters count double. */
function height(texts: { text: string; width: number }[]): number {
  const lines = Math.max(1, ...texts.map(({ text, width }) => Math.ceil([...text].reduce((n, ch) => n + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0) / Math.max(1, width - 2))));
  return Math.max(18, lines * 14 + 4);
}

function message(ws: ExcelJS.Worksheet, width: number, text: string, font: string): void {
  ws.mergeCells(FIRST_DATA_ROW, 1, FIRST_DATA_ROW, width);
  Object.assign(ws.getCell(FIRST_DATA_ROW, 1), { value: text, font: { name: font, size: 11 }, alignment: { vertical: 'middle', wrapText: true } });
  ws.getRow(FIRST_DATA_ROW).height = 36;
}

async function taskSheet(wb: ExcelJS.Workbook, plan: WorkbookPlan, font: string): Promise<void> {
  const { texts } = plan;
  const C = TASK_COLUMNS;
  const ws = wb.addWorksheet(texts.taskSheet, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const widths: Record<keyof typeof C, number> = { number: 8, text: 60, deadline: 14, responsibility: 9, status: 14, on: 13, note: 32, evidence: 28 };
  for (const [key, column] of Object.entries(C)) ws.getColumn(column).width = widths[key as keyof typeof C];
  const headers = (Object.keys(C) as (keyof typeof C)[]).map((k) => texts.taskHeaders[k]);
  heading(ws, headers.length, texts.taskTitle(plan.unit.name, plan.period.id), texts.taskHelp, headers, font);
  const statusList: ExcelJS.DataValidation = {
    type: 'list',
    allowBlank: true,
    formulae: [`"${PROGRESS_STATUSES.map((s) => texts.statuses[s]).join(',')}"`],
    showInputMessage: true,
    prompt: texts.statusPrompt,
    showErrorMessage: true,
    errorStyle: 'stop',
    error: PROGRESS_STATUSES.map((s) => texts.statuses[s]).join(texts.listSeparator),
  };
  // The dates every channel accepts for the programme (src/input/dates.ts).
  const from = `${acceptedYears(plan.programme).from}-01-01`;
  const to = `${acceptedYears(plan.programme).to}-12-31`;
  const dateRange: ExcelJS.DataValidation = {
    type: 'date',
    operator: 'between',
    allowBlank: true,
    formulae: [new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`)],
    showInputMessage: true,
    prompt: texts.datePrompt(from, to),
    showErrorMessage: true,
    errorStyle: 'stop',
    error: texts.datePrompt(from, to),
  };
  if (plan.tasks.length === 0) message(ws, headers.length, texts.noTasks(plan.unit.role), font);
  plan.tasks.forEach((task, i) => {
    const r = FIRST_DATA_ROW + i;
    given(ws.getCell(r, C.number), task.number, font);
    given(ws.getCell(r, C.text), task.text, font, true);
    given(ws.getCell(r, C.deadline), task.deadline, font, true);
    given(ws.getCell(r, C.responsibility), texts.responsibility[task.responsibility], font);
    fillIn(ws.getCell(r, C.status), font, statusList);
    fillIn(ws.getCell(r, C.on), font, dateRange, 'yyyy-mm-dd');
    fillIn(ws.getCell(r, C.note), font);
    fillIn(ws.getCell(r, C.evidence), font);
    ws.getRow(r).height = height([{ text: task.text, width: widths.text }, { text: task.deadline, width: widths.deadline }]);
  });
  await ws.protect('', PROTECTION);
}

function valueValidation(rule: ReturnType<typeof valueRule>, requirement: string): ExcelJS.DataValidation {
  const base = { type: rule.integer ? 'whole' : 'decimal', allowBlank: true, showInputMessage: true, prompt: requirement, showErrorMessage: true, errorStyle: 'stop', error: requirement } as const;
  if (rule.min !== undefined && rule.max !== undefined) return { ...base, operator: 'between', formulae: [rule.min, rule.max] };
  return { ...base, operator: 'between', formulae: [rule.min ?? -VALUE_LIMIT, rule.max ?? VALUE_LIMIT] };
}

async function metricSheet(wb: ExcelJS.Workbook, plan: WorkbookPlan, font: string): Promise<void> {
  const { texts } = plan;
  const C = METRIC_COLUMNS;
  const ws = wb.addWorksheet(texts.metricSheet, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const widths: Record<keyof typeof C, number> = { index: 6, metric: 34, dimensions: 44, unit: 12, value: 16, requirement: 24, metricId: 24, dimensionIds: 40 };
  for (const [key, column] of Object.entries(C)) ws.getColumn(column).width = widths[key as keyof typeof C];
  ws.getColumn(C.metricId).hidden = true;
  ws.getColumn(C.dimensionIds).hidden = true;
  const visible = (['index', 'metric', 'dimensions', 'unit', 'value', 'requirement'] as const).map((k) => texts.metricHeaders[k]);
  heading(ws, visible.length, texts.metricTitle(plan.unit.name, plan.period.id), texts.metricHelp(plan.period.id), visible, font);
  ws.getCell(HEADER_ROW, C.metricId).value = 'metric';
  ws.getCell(HEADER_ROW, C.dimensionIds).value = 'dimensions';
  if (plan.metrics.message) message(ws, visible.length, plan.metrics.message, font);
  plan.metrics.rows.forEach((row, i) => {
    const r = FIRST_DATA_ROW + i;
    const rule = valueRule(row.metric);
    const requirement = texts.requirement(rule);
    const dimensions = dimensionLabel(row, plan.programme.language);
    given(ws.getCell(r, C.index), i + 1, font);
    given(ws.getCell(r, C.metric), row.metric.label, font, true);
    given(ws.getCell(r, C.dimensions), dimensions, font, true);
    given(ws.getCell(r, C.unit), row.metric.unit, font);
    fillIn(ws.getCell(r, C.value), font, valueValidation(rule, requirement), rule.integer ? '0' : 'General');
    given(ws.getCell(r, C.requirement), requirement, font, true);
    ws.getCell(r, C.metricId).value = row.metric.id;
    ws.getCell(r, C.dimensionIds).value = dimensionIds(row);
    ws.getRow(r).height = height([{ text: row.metric.label, width: widths.metric }, { text: dimensions, width: widths.dimensions }]);
  });
  await ws.protect('', PROTECTION);
}

async function metaSheet(wb: ExcelJS.Workbook, plan: WorkbookPlan): Promise<void> {
  const ws = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  const values: Record<MetaKey, string | number> = {
    kind: WORKBOOK_KIND,
    layoutVersion: LAYOUT_VERSION,
    ledger: plan.ledgerId,
    unit: plan.unit.id,
    period: plan.period.id,
    programme: plan.programme.id,
    programmeVersion: plan.programme.version,
    language: plan.programme.language,
    pinnedAt: plan.pinnedAt,
  };
  META_KEYS.forEach((key, i) => {
    ws.getCell(i + 1, 1).value = key;
    ws.getCell(i + 1, 2).value = values[key];
  });
  ws.getColumn(1).width = 18;
  ws.getColumn(2).width = 40;
  await ws.protect('', PROTECTION);
}
