import type { Response } from 'express';
import { DomainError } from '../../event-sourcing/domain-error';
import { toHttp } from '../../http/domain-error.filter';
import type { Lang } from '../../i18n/languages';
import { fieldProblems, type FieldProblems } from '../layout';

/**
 * A refused write as a form shows it: the answer's status set as the API would answer, the
 * problems placed next to the form's fields, in the page's language where the catalogue has them. Anything but a domain refusal goes on to the error page.
 */
export function refusal(error: unknown, response: Response, fields: readonly string[], lang: Lang, rename: Record<string, string> = {}): FieldProblems {
  if (!(error instanceof DomainError)) throw error;
  response.status(toHttp(error).status);
  // A command's field (units) named by the form's own (the file field it came in).
  const named = error.problems.map((p) => (p.field !== undefined && p.field.split(/[.[]/)[0] in rename ? { ...p, field: rename[p.field.split(/[.[]/)[0]] } : p));
  return fieldProblems(named, fields, lang);
}

/** A form's text field, trimmed ('' when absent or sent twice as a list). */
export const textOf = (body: Record<string, unknown> | undefined, name: string): string => (typeof body?.[name] === 'string' ? (body[name] as string).trim() : '');
