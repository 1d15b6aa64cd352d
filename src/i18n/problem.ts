import type { Problem } from '../event-sourcing/domain-error';
import type { Lang } from './languages';
import { t, type MessageParams, type MessageRef } from './translate';

/** A problem whose reason the catalogue can give in any of the three languages (English kept as the reason). */
export function problem(field: string | undefined, key: string, params: MessageParams = {}): Problem {
  return { ...(field === undefined ? {} : { field }), reason: t('en', key, params), message: { key, params } };
}

/** The problems as a caller reads them: each reason in its language where the catalogue has it; the field (and any sheet or cell) as sent. */
export function localize(problems: readonly Problem[], lang: Lang): Omit<Problem, 'message'>[] {
  return problems.map(({ message, ...rest }) => (message ? { ...rest, reason: t(lang, message.key, message.params) } : rest));
}

/** A parser's refusal: the English reason and its catalogue entry, for the caller to put in a Problem. */
export interface Refusal {
  problem: string;
  message: { key: string; params: MessageParams };
}

export function refusal(key: string, params: MessageParams = {}): Refusal {
  return { problem: t('en', key, params), message: { key, params } };
}

/** A refusal as the Problem of a field. */
export function refusedField(field: string | undefined, refused: Refusal): Problem {
  return { ...(field === undefined ? {} : { field }), reason: refused.problem, message: refused.message };
}

/** A check's reason as a Problem, keeping the catalogue entry it carries when it has one (`{ ok: false, ...problem(undefined, key) }`). */
export function problemOf(field: string | undefined, reasoned: { reason: string }): Problem {
  const { message } = reasoned as Problem;
  return { ...(field === undefined ? {} : { field }), reason: reasoned.reason, ...(message ? { message } : {}) };
}

/** A check's reason as a parameter of another message, in the same language when it carries its catalogue entry. */
export function reasonParam(reasoned: { reason: string }): MessageRef | string {
  return (reasoned as Problem).message ?? reasoned.reason;
}
