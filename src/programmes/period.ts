/**
 * Reporting periods as CONTRACT.md writes them: `2021` (year), `2021-H1`/`H2`, `2021-Q1`…`Q4`,
 * `2021-01`…`12`, and `2021-9M` (January–September: Cà Mau's 09 tháng report).
 * Ids are canonical: upper-case letters, two-digit months, four-digit years.
 */
import type { LocalDate, PeriodKind } from './template';
import { endOfMonth, localDate, splitLocalDate } from './local-time';
import { DomainError } from '../event-sourcing/domain-error';
import { refusal, refusedField, type Refusal } from '../i18n/problem';

export interface Period {
  kind: PeriodKind;
  id: string;
  year: number;
  /** First day, inclusive. */
  start: LocalDate;
  /** Last day, inclusive. */
  end: LocalDate;
}

export type PeriodErrorCode = 'not-a-string' | 'malformed' | 'month-out-of-range' | 'quarter-out-of-range' | 'half-out-of-range';

export interface PeriodError {
  code: PeriodErrorCode;
  reason: string;
  /** The reason's catalogue entry, so each edge gives it in its caller's language. */
  message: Refusal['message'];
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; error: PeriodError };

export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'half-year', 'nine-months', 'year'];

/** The suffix after `YYYY-` of every period of a kind in a year ('' for the year itself). */
const SUFFIXES: Record<PeriodKind, readonly string[]> = {
  year: [''],
  'half-year': ['H1', 'H2'],
  quarter: ['Q1', 'Q2', 'Q3', 'Q4'],
  'nine-months': ['9M'],
  month: ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'],
};

/** The months (first, last) a suffix covers. */
function monthSpan(kind: PeriodKind, suffix: string): [number, number] {
  switch (kind) {
    case 'year': return [1, 12];
    case 'nine-months': return [1, 9];
    case 'half-year': return suffix === 'H1' ? [1, 6] : [7, 12];
    case 'quarter': { const q = Number(suffix[1]); return [q * 3 - 2, q * 3]; }
    case 'month': return [Number(suffix), Number(suffix)];
  }
}

function make(kind: PeriodKind, year: number, suffix: string): Period {
  const [from, to] = monthSpan(kind, suffix);
  const y = String(year).padStart(4, '0');
  return { kind, id: suffix ? `${y}-${suffix}` : y, year, start: localDate(year, from, 1), end: endOfMonth(year, to) };
}

/** The period suffixes valid for a kind, e.g. `['H1', 'H2']` (used by calendar `only`). */
export function periodSuffixes(kind: PeriodKind): readonly string[] {
  return SUFFIXES[kind];
}

export function parsePeriod(text: unknown): PeriodResult {
  const fail = (code: PeriodErrorCode, key: string, params: Record<string, string>): PeriodResult => {
    const { problem, message } = refusal(key, params);
    return { ok: false, error: { code, reason: problem, message } };
  };
  if (typeof text !== 'string') return fail('not-a-string', 'problem.periodNotString', { got: text === null ? 'null' : typeof text });
  const m = /^(\d{4})(?:-(.+))?$/.exec(text);
  if (!m || m[1] === '0000') return fail('malformed', 'problem.periodMalformed', { value: text });
  const year = Number(m[1]);
  const suffix = m[2];
  if (suffix === undefined) return { ok: true, period: make('year', year, '') };
  if (suffix === '9M') return { ok: true, period: make('nine-months', year, '9M') };
  let p: RegExpExecArray | null;
  if ((p = /^H(\d+)$/.exec(suffix))) {
    return SUFFIXES['half-year'].includes(suffix)
      ? { ok: true, period: make('half-year', year, suffix) }
      : fail('half-out-of-range', 'problem.periodHalfOutOfRange', { part: `H${p[1]}`, value: text });
  }
  if ((p = /^Q(\d+)$/.exec(suffix))) {
    return SUFFIXES.quarter.includes(suffix)
      ? { ok: true, period: make('quarter', year, suffix) }
      : fail('quarter-out-of-range', 'problem.periodQuarterOutOfRange', { part: `Q${p[1]}`, value: text });
  }
  if (/^\d{2}$/.test(suffix)) {
    return SUFFIXES.month.includes(suffix)
      ? { ok: true, period: make('month', year, suffix) }
      : fail('month-out-of-range', 'problem.periodMonthOutOfRange', { part: suffix, value: text });
  }
  return fail('malformed', 'problem.periodMalformed', { value: text });
}

/** A period the caller sent that is not one, as the DomainError naming the field. */
export function invalidPeriod(error: PeriodError, field = 'period'): DomainError {
  return new DomainError('invalid', [refusedField(field, { problem: error.reason, message: error.message })]);
}

/** parsePeriod for ids known to be valid (from the ledger or a template); throws a RangeError otherwise. */
export function periodOf(text: string): Period {
  const r = parsePeriod(text);
  if (!r.ok) throw new RangeError(r.error.reason);
  return r.period;
}

/** Every period of a kind in a year, in order. */
export function periodsOfKind(kind: PeriodKind, year: number): Period[] {
  return SUFFIXES[kind].map((s) => make(kind, year, s));
}

/** The period of a kind containing a date; null only for `nine-months` and a date in October–December. */
export function periodContaining(kind: PeriodKind, date: LocalDate): Period | null {
  const { year } = splitLocalDate(date);
  return periodsOfKind(kind, year).find((p) => p.start <= date && date <= p.end) ?? null;
}

/** The same period one year earlier: 2021-H1 → 2020-H1. */
export function previousYearPeriod(period: Period): Period {
  return make(period.kind, period.year - 1, period.id.slice(5));
}

/** Whether `inner` lies entirely within `outer` (a period is within itself). */
export function isWithin(inner: Period, outer: Period): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Order of closing: by last day, then by first day (2021-Q3 < 2021-9M < 2021-Q4 < 2021-H2 < 2021). */
export function comparePeriods(a: Period, b: Period): number {
  return a.end < b.end ? -1 : a.end > b.end ? 1 : a.start > b.start ? -1 : a.start < b.start ? 1 : 0;
}

export interface MonthsCovered {
  from: { year: number; month: number };
  to: { year: number; month: number };
  /** Month period ids, in order: ['2021-01', …, '2021-06']. */
  months: string[];
}

/** The months a period covers, for a report's (年月—年月) line: 2021-H1 → 2021-01 … 2021-06. */
export function monthsCovered(period: Period): MonthsCovered {
  const from = splitLocalDate(period.start);
  const to = splitLocalDate(period.end);
  const months: string[] = [];
  for (let m = from.month; m <= to.month; m++) months.push(`${String(period.year).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
  return { from: { year: from.year, month: from.month }, to: { year: to.year, month: to.month }, months };
}
