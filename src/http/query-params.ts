import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { langFromAcceptLanguage } from '../i18n/languages';
import { t } from '../i18n/translate';

/** Query-parameter parsing shared by every paginated, filterable route: one way to read them, one wording for their errors. */

/**
 * Middleware of the whole API: a query parameter given twice (`?unit=a&unit=b`) is refused with 400
 * naming it, before any route reads it; a route reads each parameter once, as text (`one` below).
 */
export function refuseRepeatedQueryParameters(request: Request, response: Response, next: NextFunction): void {
  const query = request.originalUrl.indexOf('?');
  if (query >= 0) {
    const seen = new Set<string>();
    for (const name of new URLSearchParams(request.originalUrl.slice(query + 1)).keys()) {
      if (seen.has(name)) {
        const lang = langFromAcceptLanguage(request.headers['accept-language']) ?? 'en';
        response.status(400).json({ error: 'invalid', problems: [{ field: name.slice(0, 64), reason: t(lang, 'problem.repeatedParameter') }] });
        return;
      }
      seen.add(name);
    }
  }
  next();
}

export const MAX_PAGE = 10_000;
export const DEFAULT_PAGE = 1000;

/** A query parameter given once, as text (a repeated `?unit=a&unit=b` is refused rather than half-read). */
export function one(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new DomainError('invalid', [problem(field, 'problem.onceAsText')]);
  return value;
}

export function wholeNumber(value: unknown, field: string, fallback: number, max: number): number {
  const text = one(value, field);
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,16}$/.test(text) || Number(text) > max) throw new DomainError('invalid', [problem(field, 'problem.wholeNumberUpTo', { max })]);
  return Number(text);
}

/** `offset` (default 0) and `limit` (default 1000, at most 10000) of a paginated route. */
export function pageOf(offset: unknown, limit: unknown): { offset: number; limit: number } {
  return { offset: wholeNumber(offset, 'offset', 0, Number.MAX_SAFE_INTEGER), limit: wholeNumber(limit, 'limit', DEFAULT_PAGE, MAX_PAGE) };
}

/** One page of a list, with the list's total and the page's offset and limit. */
export function paged<T>(list: readonly T[], page: { offset: number; limit: number }): { total: number; offset: number; limit: number; page: T[] } {
  return { total: list.length, offset: page.offset, limit: page.limit, page: list.slice(page.offset, page.offset + page.limit) };
}

export function flag(value: unknown, field: string): boolean | undefined {
  const text = one(value, field);
  if (text === undefined || text === '') return undefined;
  if (text !== 'true' && text !== 'false') throw new DomainError('invalid', [problem(field, 'problem.trueOrFalse', { value: text.slice(0, 40) })]);
  return text === 'true';
}

