/**
 * Dates and periods as every channel reads them, and the span of time a programme accepts. Pure.
 *
 * A date is ISO `YYYY-MM-DD`, or the programme's local form: `YYYY年M月D日` in a Chinese programme,
 * `DD/MM/YYYY` in a Vietnamese one (full-width digits read as ASCII). Nothing else: 2021/6/30 or
 * 6/30/2021 are ambiguous or foreign and refused on every channel.
 *
 * Grace: a programme accepts dates and periods from the year before its first year (the baseline its
 * year-on-year rules compare with) to the year after its last (late completions and corrections).
 */
import { refusal, type Refusal } from '../i18n/problem';
import type { MessageRef } from '../i18n/translate';
import { isLocalDate, localDate } from './local-time';
import type { Period } from './period';
import type { Language, ProgrammeTemplate } from './template';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL: Record<Language, { pattern: RegExp; ymd: (m: RegExpExecArray) => [string, string, string]; form: string }> = {
  'zh-CN': { pattern: /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/, ymd: (m) => [m[1], m[2], m[3]], form: 'YYYY年M月D日' },
  vi: { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, ymd: (m) => [m[3], m[2], m[1]], form: 'DD/MM/YYYY' },
};

/** The forms a date may be written in, for hints and error messages (`YYYY-MM-DD or DD/MM/YYYY`), as a phrase of the catalogue. */
export function dateForms(language: Language): MessageRef {
  return { key: 'phrase.either', params: { a: 'YYYY-MM-DD', b: LOCAL[language].form } };
}

/** A date written as text → `YYYY-MM-DD`, or the reason it is not one. */
export function parseDateText(text: string, language: Language): { date: string } | Refusal {
  const t = text.normalize('NFKC').trim();
  const local = LOCAL[language];
  const iso = ISO.exec(t);
  const m = iso ?? local.pattern.exec(t);
  const shown = JSON.stringify(text.slice(0, 40));
  if (!m) return refusal('problem.notDate', { value: shown, forms: dateForms(language) });
  const [y, mo, d] = iso ? [iso[1], iso[2], iso[3]] : local.ymd(m);
  const date = localDate(Number(y), Number(mo), Number(d));
  return isLocalDate(date) ? { date } : refusal('problem.notRealDate', { value: shown });
}

/** The years a programme accepts dates and periods in: its own, with a year's grace either side. */
export function acceptedYears(programme: Pick<ProgrammeTemplate, 'years'>): { from: number; to: number } {
  return { from: programme.years.from - 1, to: programme.years.to + 1 };
}

/** The span a programme accepts, as the parameters of its refusals. */
const span = (programme: Pick<ProgrammeTemplate, 'years' | 'id'>) => ({ ...acceptedYears(programme), programme: programme.id, first: programme.years.from, last: programme.years.to });

/** Why a programme refuses a date (`YYYY-MM-DD`, already real), or null. */
export function dateRangeProblem(date: string, programme: Pick<ProgrammeTemplate, 'years' | 'id'>): Refusal | null {
  const { from, to } = acceptedYears(programme);
  const year = Number(date.slice(0, 4));
  return year < from || year > to ? refusal('problem.dateOutsideProgramme', { value: date, ...span(programme) }) : null;
}

/** Why a programme refuses a reporting period, or null. */
export function periodRangeProblem(period: Period, programme: Pick<ProgrammeTemplate, 'years' | 'id'>): Refusal | null {
  const { from, to } = acceptedYears(programme);
  return period.year < from || period.year > to ? refusal('problem.periodOutsideProgramme', { value: period.id, ...span(programme) }) : null;
}
