/**
 * A filled-in workbook's cells ↔ submission records, and every problem located at a sheet and a
 * cell. Pure. The records are validated by BulkSubmitCommand (the NDJSON path), whose problems —
 * named by NDJSON line and field — are mapped back here to the cell they came from.
 */
import type { Problem } from '../../event-sourcing/domain-error';
import { uuidFromKey } from '../../event-sourcing/key-uuid';
import { dateForms, parseDateText } from '../../programmes/dates';
import { parseJsonText } from '../../input/json';
import { numberForms, parseNumberText } from '../../programmes/numbers';
import { refusal, type Refusal } from '../../i18n/problem';
import { localDate } from '../../programmes/local-time';
import { parsePeriod } from '../../programmes/period';
import type { Language } from '../../programmes/template';
import { PROGRESS_STATUSES } from '../submit/record-types';
import type { FilledWorkbook, PlainCell } from './read-workbook';
import {
  columnLetter,
  FIRST_DATA_ROW,
  LAYOUT_VERSION,
  META_KEYS,
  META_SHEET,
  metaCell,
  METRIC_COLUMNS,
  statusOfLabel,
  TASK_COLUMNS,
  TEXTS,
  WORKBOOK_KIND,
  type MetaKey,
  type WorkbookTexts,
} from './workbook-layout';

/** A problem at a cell: `field` is `<sheet>!<cell> <record field>` (e.g. `Chỉ tiêu!E7 value`), as the CLI and HTTP show it. */
export interface CellProblem extends Problem {
  field: string;
  reason: string;
  sheet: string;
  cell: string;
}

export interface WorkbookMeta {
  ledger: string;
  unit: string;
  period: string;
  programme: string;
  programmeVersion: number;
  language: Language;
  layoutVersion: number;
}

export type RecordFields = Record<string, unknown> & { type: 'progress' | 'metric'; ledger: string; unit: string; id?: string };

/** A record made from one row, with where it came from. */
export interface LocatedRecord {
  record: RecordFields;
  sheet: string;
  row: number;
  /** The row's identity: the task number, or the metric id and its dimension value ids. */
  key: string;
}

/** The label the NDJSON handed to BulkSubmitCommand carries: its problems are named `workbook:<line> <field>`. */
export const NDJSON_LABEL = 'workbook';

const WORKBOOK_FIELD = '(workbook)';

/** The reason as a refusal of the catalogue, or a reason already given (a located Problem's, with its entry). */
type Reason = Refusal | { problem: string; message?: Problem['message'] };

export function cellProblem(sheet: string, cell: string, field: string | undefined, reason: Reason): CellProblem {
  return { field: `${sheet}!${cell}${field ? ` ${field}` : ''}`, reason: reason.problem, ...(reason.message ? { message: reason.message } : {}), sheet, cell };
}

function workbookProblem(reason: Refusal): CellProblem {
  return { field: WORKBOOK_FIELD, reason: reason.problem, message: reason.message, sheet: '', cell: '' };
}

const texts = (language: Language): WorkbookTexts => TEXTS[language] ?? TEXTS['zh-CN'];

function describe(value: PlainCell): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value !== null && typeof value === 'object') return value.error;
  return JSON.stringify(value);
}

function text(value: PlainCell): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.normalize('NFC');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return null;
}

// ---------------------------------------------------------------------------------------------
// meta

/** The meta sheet's answer to "what is this workbook for", or the problems that stop the upload. */
export function readMeta(workbook: FilledWorkbook): { meta: WorkbookMeta | null; problems: CellProblem[] } {
  const sheet = workbook.sheets[META_SHEET];
  if (!sheet) {
    return {
      meta: null,
      problems: [workbookProblem(refusal('workbook.noMetaSheet', { sheet: META_SHEET }))],
    };
  }
  const problems: CellProblem[] = [];
  const found = new Map<string, { value: PlainCell; cell: string }>();
  for (const [address, value] of Object.entries(sheet)) {
    const m = /^A(\d+)$/.exec(address);
    if (m && typeof value === 'string') found.set(value, { value: sheet[`B${m[1]}`] ?? null, cell: `B${m[1]}` });
  }
  const get = (key: MetaKey): string | null => {
    const entry = found.get(key);
    const value = entry ? text(entry.value) : null;
    if (value === null) problems.push(cellProblem(META_SHEET, entry?.cell ?? metaCell(key), key, refusal('workbook.metaMissing')));
    return value;
  };
  const values = Object.fromEntries(META_KEYS.map((k) => [k, get(k)])) as Record<MetaKey, string | null>;
  if (problems.length > 0) return { meta: null, problems };
  const at = (key: MetaKey) => found.get(key)!.cell;
  if (values.kind !== WORKBOOK_KIND) problems.push(cellProblem(META_SHEET, at('kind'), 'kind', refusal('workbook.wrongKind', { value: String(values.kind), expected: WORKBOOK_KIND })));
  const layoutVersion = Number(values.layoutVersion);
  if (layoutVersion !== LAYOUT_VERSION) {
    problems.push(cellProblem(META_SHEET, at('layoutVersion'), 'layoutVersion', refusal('workbook.layoutVersion', { value: String(values.layoutVersion), expected: LAYOUT_VERSION })));
  }
  const programmeVersion = Number(values.programmeVersion);
  if (!Number.isInteger(programmeVersion) || programmeVersion < 1) problems.push(cellProblem(META_SHEET, at('programmeVersion'), 'programmeVersion', refusal('workbook.notVersion', { value: String(values.programmeVersion) })));
  if (!(values.language! in TEXTS)) problems.push(cellProblem(META_SHEET, at('language'), 'language', refusal('problem.notOneOf', { value: JSON.stringify(values.language), allowed: Object.keys(TEXTS).join(', ') })));
  const period = parsePeriod(values.period);
  if (!period.ok) problems.push(cellProblem(META_SHEET, at('period'), 'period', { problem: period.error.reason, message: period.error.message }));
  if (problems.length > 0) return { meta: null, problems };
  return {
    meta: {
      ledger: values.ledger!,
      unit: values.unit!,
      period: period.ok ? period.period.id : values.period!,
      programme: values.programme!,
      programmeVersion,
      language: values.language as Language,
      layoutVersion,
    },
    problems,
  };
}

/** A workbook for another ledger, unit or period than the one it is uploaded for. */
export function unexpectedMeta(meta: WorkbookMeta, expected: { ledgerId?: string; unitId?: string; period?: string }): CellProblem[] {
  const problems: CellProblem[] = [];
  const check = (key: 'ledger' | 'unit' | 'period', wanted: string | undefined) => {
    if (wanted !== undefined && meta[key] !== wanted) problems.push(cellProblem(META_SHEET, metaCell(key), key, refusal(`workbook.for.${key}`, { value: meta[key], expected: wanted })));
  };
  check('ledger', expected.ledgerId);
  check('unit', expected.unitId);
  const period = expected.period === undefined ? undefined : parsePeriod(expected.period);
  check('period', period === undefined ? undefined : period.ok ? period.period.id : expected.period);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// cells → values

/** A date cell → YYYY-MM-DD: a date value, an Excel serial number, or text as every channel reads it (src/input/dates.ts). */
export function dateOfCell(value: PlainCell, language: Language): { date: string } | Refusal {
  const notADate = refusal('problem.notDate', { value: describe(value), forms: dateForms(language) });
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return notADate;
    return { date: localDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()) };
  }
  if (typeof value === 'number') {
    // An Excel serial day (1900 date system) in a cell without a date format.
    if (!Number.isFinite(value) || value < 1 || value >= 2958466) return notADate;
    const d = new Date(Math.round((Math.floor(value) - 25569) * 86_400_000));
    return { date: localDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) };
  }
  return typeof value === 'string' ? parseDateText(value, language) : notADate;
}

/** A value cell → a number: a number, or text as every channel reads it in the programme's language (src/input/numbers.ts). */
export function numberOfCell(value: PlainCell, language: Language): { value: number } | Refusal {
  if (typeof value === 'number') return Number.isFinite(value) ? { value: value === 0 ? 0 : value } : refusal('workbook.notFinite');
  if (value instanceof Date) return refusal('workbook.dateNotNumber', { value: describe(value) });
  if (typeof value === 'string') return parseNumberText(value, language);
  if (value !== null && typeof value === 'object') return refusal('workbook.errorNotNumber', { error: value.error });
  return refusal('problem.notNumber', { value: describe(value), example: numberForms(language) });
}

// ---------------------------------------------------------------------------------------------
// rows → records

function rowNumbers(cells: Record<string, PlainCell>): number[] {
  const rows = new Set<number>();
  for (const address of Object.keys(cells)) {
    const m = /^[A-Z]+(\d+)$/.exec(address);
    if (m && Number(m[1]) >= FIRST_DATA_ROW) rows.add(Number(m[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

const at = (column: number, row: number) => `${columnLetter(column)}${row}`;

/**
 * Every filled row as a record (progress: rows where a status was chosen; metric: rows with a
 * value), and every cell that cannot be read. The records carry no id yet (see `withIds`).
 */
export function workbookRecords(workbook: FilledWorkbook, meta: WorkbookMeta): { records: LocatedRecord[]; problems: CellProblem[] } {
  const t = texts(meta.language);
  const records: LocatedRecord[] = [];
  const problems: CellProblem[] = [];
  const taskCells = workbook.sheets[t.taskSheet];
  const metricCells = workbook.sheets[t.metricSheet];
  if (!taskCells) problems.push(workbookProblem(refusal('workbook.noTaskSheet', { sheet: t.taskSheet })));
  if (!metricCells) problems.push(workbookProblem(refusal('workbook.noMetricSheet', { sheet: t.metricSheet })));
  if (taskCells) progressRows(taskCells, t, meta, records, problems);
  if (metricCells) metricRows(metricCells, t, meta, records, problems);
  return { records, problems };
}

function progressRows(cells: Record<string, PlainCell>, t: WorkbookTexts, meta: WorkbookMeta, records: LocatedRecord[], problems: CellProblem[]): void {
  const C = TASK_COLUMNS;
  const sheet = t.taskSheet;
  const seen = new Map<string, number>();
  const labels = PROGRESS_STATUSES.map((s) => t.statuses[s]).join(', ');
  for (const row of rowNumbers(cells)) {
    const cell = (column: number) => cells[at(column, row)] ?? null;
    const statusCell = cell(C.status);
    const filled = [C.on, C.note, C.evidence].filter((c) => text(cell(c)) !== null);
    if (text(statusCell) === null) {
      if (filled.length > 0) {
        problems.push(cellProblem(sheet, at(C.status, row), 'status', refusal('workbook.statusEmpty', { cells: filled.map((c) => at(c, row)).join(', '), labels })));
      }
      continue;
    }
    const rowProblems: CellProblem[] = [];
    const task = text(cell(C.number));
    if (task === null) rowProblems.push(cellProblem(sheet, at(C.number, row), 'task', refusal('workbook.taskEmpty')));
    else if (seen.has(task)) rowProblems.push(cellProblem(sheet, at(C.number, row), 'task', refusal('workbook.taskRepeated', { task, row: seen.get(task)! })));
    else seen.set(task, row);
    const status = typeof statusCell === 'string' ? statusOfLabel(statusCell) : undefined;
    if (!status) rowProblems.push(cellProblem(sheet, at(C.status, row), 'status', refusal('problem.notOneOf', { value: describe(statusCell), allowed: labels })));
    const onCell = cell(C.on);
    let on: string | undefined;
    if (onCell === null || (typeof onCell === 'string' && onCell.trim() === '')) {
      rowProblems.push(cellProblem(sheet, at(C.on, row), 'on', refusal('workbook.onEmpty')));
    } else {
      const parsed = dateOfCell(onCell, meta.language);
      if ('problem' in parsed) rowProblems.push(cellProblem(sheet, at(C.on, row), 'on', parsed));
      else on = parsed.date;
    }
    problems.push(...rowProblems);
    if (rowProblems.length > 0) continue;
    const note = text(cell(C.note));
    const evidence = (text(cell(C.evidence)) ?? '')
      .split(/[\r\n;；]+/)
      .map((e) => e.trim())
      .filter((e) => e !== '');
    const record: RecordFields = { type: 'progress', ledger: meta.ledger, unit: meta.unit, task: task!, status: status!, on: on! };
    if (note !== null) record.note = note;
    if (evidence.length > 0) record.evidence = evidence;
    records.push({ record, sheet, row, key: `task:${task}` });
  }
}

function metricRows(cells: Record<string, PlainCell>, t: WorkbookTexts, meta: WorkbookMeta, records: LocatedRecord[], problems: CellProblem[]): void {
  const C = METRIC_COLUMNS;
  const sheet = t.metricSheet;
  const seen = new Map<string, number>();
  for (const row of rowNumbers(cells)) {
    const cell = (column: number) => cells[at(column, row)] ?? null;
    const valueCell = cell(C.value);
    if (valueCell === null || (typeof valueCell === 'string' && valueCell.trim() === '')) continue;
    const metric = text(cell(C.metricId));
    const dimensionText = text(cell(C.dimensionIds));
    let dimensions: Record<string, string> | null = null;
    try {
      const parsed: unknown = dimensionText === null ? {} : parseJsonText(dimensionText, 'dimensions');
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string')) dimensions = parsed as Record<string, string>;
    } catch {
      dimensions = null;
    }
    if (metric === null || dimensions === null) {
      problems.push(cellProblem(sheet, at(C.value, row), 'value', refusal('workbook.notMetricRow', { row, first: columnLetter(C.metricId), last: columnLetter(C.dimensionIds) })));
      continue;
    }
    const key = `metric:${metric}:${JSON.stringify(dimensions)}`;
    if (seen.has(key)) {
      problems.push(cellProblem(sheet, at(C.value, row), 'value', refusal('workbook.metricRepeated', { row: seen.get(key)! })));
      continue;
    }
    seen.set(key, row);
    const value = numberOfCell(valueCell, meta.language);
    if ('problem' in value) {
      problems.push(cellProblem(sheet, at(C.value, row), 'value', value));
      continue;
    }
    const record: RecordFields = { type: 'metric', ledger: meta.ledger, unit: meta.unit, period: meta.period, metric, value: value.value };
    if (Object.keys(dimensions).length > 0) record.dimensions = dimensions;
    records.push({ record, sheet, row, key });
  }
}

/**
 * Gives each record a stable id from (workbook, row, content): the ledger and unit (the scope), the
 * workbook's period and layout, the row's identity (task, or metric and breakdown — not its row
 * number, so sorted rows keep their ids) and the record's facts. The same filled workbook uploaded
 * again gives the same ids, so BulkSubmitCommand appends nothing new; a changed cell gives a new id.
 */
export function withIds(records: LocatedRecord[], meta: WorkbookMeta): LocatedRecord[] {
  return records.map((located) => {
    const { id: _ignored, ...facts } = located.record;
    const key = JSON.stringify({ layout: LAYOUT_VERSION, period: meta.period, row: located.key, facts });
    return { ...located, record: { ...facts, id: uuidFromKey(`workbook/${meta.ledger}/${meta.unit}`, key) } as RecordFields };
  });
}

// ---------------------------------------------------------------------------------------------
// BulkSubmitCommand's problems → cells

/** Which column of a row a record field is in; fields of the whole workbook go to the meta sheet. */
function columnOf(kind: 'progress' | 'metric', field: string): number | MetaKey {
  const top = field.split('.')[0];
  if (top === 'ledger' || top === 'unit') return top;
  if (kind === 'progress') {
    const columns: Record<string, number> = { task: TASK_COLUMNS.number, status: TASK_COLUMNS.status, on: TASK_COLUMNS.on, note: TASK_COLUMNS.note, evidence: TASK_COLUMNS.evidence };
    return columns[top] ?? TASK_COLUMNS.number;
  }
  if (top === 'period') return 'period';
  const columns: Record<string, number> = { metric: METRIC_COLUMNS.metric, dimensions: METRIC_COLUMNS.dimensions, value: METRIC_COLUMNS.value };
  return columns[top] ?? METRIC_COLUMNS.metric;
}

/**
 * BulkSubmitCommand names a problem `workbook:<line> <field>`; line n is records[n - 1]. Each is
 * put at its cell (a fact of the whole workbook — ledger, unit, period — at the meta sheet's cell,
 * once). Problems of lines past the records (the refusing line added when cells could not be
 * read) are dropped; problems not about a line are kept as they are.
 */
export function locateProblems(problems: Problem[], records: LocatedRecord[]): CellProblem[] {
  const located: CellProblem[] = [];
  for (const problem of problems) {
    const m = problem.field ? new RegExp(`^${NDJSON_LABEL}:(\\d+)(?: (.*))?$`).exec(problem.field) : null;
    if (!m) {
      located.push({ ...problem, field: problem.field ?? WORKBOOK_FIELD, sheet: '', cell: '' });
      continue;
    }
    const source = records[Number(m[1]) - 1];
    if (!source) continue;
    const field = m[2] ?? '';
    const column = columnOf(source.record.type, field);
    const reason = { problem: problem.reason, message: problem.message };
    if (typeof column === 'string') located.push(cellProblem(META_SHEET, metaCell(column), field, reason));
    else located.push(cellProblem(source.sheet, at(column, source.row), field || undefined, reason));
  }
  return located;
}

function addressOrder(cell: string): [number, number] {
  const m = /^([A-Z]+)(\d+)$/.exec(cell);
  if (!m) return [0, 0];
  return [Number(m[2]), [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0)];
}

/** One problem per (cell, field, reason), in workbook order: the workbook, meta, tasks, metrics; then row, then column. */
export function orderProblems(problems: CellProblem[], language: Language): CellProblem[] {
  const t = texts(language);
  const sheetOrder = ['', META_SHEET, t.taskSheet, t.metricSheet];
  const unique = new Map<string, CellProblem>();
  for (const p of problems) unique.set(`${p.field}\u0000${p.reason}`, p);
  return [...unique.values()].sort((a, b) => {
    const s = (sheetOrder.indexOf(a.sheet) + 1 || 99) - (sheetOrder.indexOf(b.sheet) + 1 || 99);
    if (s !== 0) return s;
    const [ra, ca] = addressOrder(a.cell);
    const [rb, cb] = addressOrder(b.cell);
    return ra - rb || ca - cb;
  });
}
