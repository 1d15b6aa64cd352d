/**
 * Numbers as every channel reads them, and the values a metric accepts. Pure.
 *
 * A number may come as a JSON number, or as text in the programme's language: full-width digits
 * and separators (１２３，４５６．５) are read as their ASCII forms; a Chinese programme writes
 * `1,234.5` (comma groups thousands), a Vietnamese one `1.234,5` (point groups thousands, comma
 * for decimals); plain digits (`1520`) are read in both. Text never carries an exponent.
 */
import { refusal, type Refusal } from '../i18n/problem';
import type { MessageRef } from '../i18n/translate';
import type { Language, Metric } from './template';

/** No metric value reaches 10^12 in magnitude, whatever the template declares. */
export const VALUE_LIMIT = 1e12;
/** Decimals a metric accepts when its template says nothing (counts, `integer: true`, accept none). */
export const DEFAULT_DECIMALS = 2;

const FORMS: Record<Language, { pattern: RegExp; group: string; decimal: string; examples: [string, string] }> = {
  'zh-CN': { pattern: /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/, group: ',', decimal: '.', examples: ['1234.5', '1,234.5'] },
  vi: { pattern: /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/, group: '.', decimal: ',', examples: ['1234,5', '1.234,5'] },
};

/** How numbers may be written as text in a programme's language (`1234.5 or 1,234.5`), as a phrase of the catalogue. */
export function numberForms(language: Language): MessageRef {
  const [plain, grouped] = FORMS[language].examples;
  return { key: 'phrase.either', params: { a: plain, b: grouped } };
}

/** A number written as text in the programme's language, or the reason it is not one. */
export function parseNumberText(text: string, language: Language): { value: number } | Refusal {
  const form = FORMS[language];
  const written = text.normalize('NFKC').trim().replace(/^\u2212/, '-');
  if (!form.pattern.test(written)) return refusal('problem.notNumber', { value: JSON.stringify(text.slice(0, 40)), example: numberForms(language) });
  const value = Number(written.split(form.group).join('').replace(form.decimal, '.'));
  return { value: value === 0 ? 0 : value };
}

/** The decimals of a finite number as written shortest (0.1 → 1, 1e-7 → 7, 0.30000000000000004 → 17). */
export function decimalsIn(value: number): number {
  const [mantissa, exponent] = Math.abs(value).toString().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

export interface ValueBounds {
  /** Inclusive when declared by the template; otherwise the open bound ±VALUE_LIMIT. */
  min: number;
  max: number;
  minDeclared: boolean;
  maxDeclared: boolean;
  decimals: number;
}

export function valueBounds(metric: Pick<Metric, 'min' | 'max' | 'integer' | 'decimals'>): ValueBounds {
  return {
    min: metric.min ?? -VALUE_LIMIT,
    max: metric.max ?? VALUE_LIMIT,
    minDeclared: metric.min !== undefined,
    maxDeclared: metric.max !== undefined,
    decimals: metric.integer ? 0 : (metric.decimals ?? DEFAULT_DECIMALS),
  };
}

/** `0 ≤ value ≤ 100 %, at most 2 decimals`: what a metric accepts, as the errors and the workbook hints say it (a phrase of the catalogue). */
export function describeBounds(bounds: ValueBounds, unit: string): MessageRef {
  const params = { low: `${bounds.min} ${bounds.minDeclared ? '≤' : '<'}`, high: `${bounds.maxDeclared ? '≤' : '<'} ${bounds.max}`, unit, decimals: bounds.decimals };
  return { key: bounds.decimals === 0 ? 'phrase.boundsWhole' : bounds.decimals === 1 ? 'phrase.boundsOneDecimal' : 'phrase.boundsDecimals', params };
}

/** Why a metric refuses a value (not finite, out of its range, more decimals than it declares), with its catalogue entry, or null. */
export function metricValueProblem(metric: Pick<Metric, 'min' | 'max' | 'integer' | 'decimals' | 'unit'>, value: unknown): Refusal | null {
  const bounds = valueBounds(metric);
  const allowed = describeBounds(bounds, metric.unit);
  if (typeof value !== 'number' || !Number.isFinite(value)) return refusal('problem.valueNotFinite', { allowed });
  const below = bounds.minDeclared ? value < bounds.min : value <= bounds.min;
  const above = bounds.maxDeclared ? value > bounds.max : value >= bounds.max;
  if (below || above || Math.abs(value) >= VALUE_LIMIT) return refusal('problem.valueOutOfRange', { value: String(value), allowed });
  if (decimalsIn(value) > bounds.decimals) return refusal('problem.valueTooManyDecimals', { value: String(value), unit: metric.unit, allowed });
  return null;
}
