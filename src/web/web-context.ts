import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../access/auth.guard';
import type { Principal } from '../access/principal';
import { isLang, langFromAcceptLanguage, type Lang } from '../i18n/languages';
import { t, type MessageKey } from '../i18n/translate';
import { instantOfLocal } from './local-moment';

/** What every page needs of its request: who, in which language, the CSRF token for its forms, and the "as of" moment asked. */
export interface WebContext {
  lang: Lang;
  principal: Principal | null;
  csrf: string | null;
  /** The path of the page (for the active navigation entry and the "as of" form). */
  path: string;
  /** The raw `asOf` query parameter (an ISO-8601 time or a log position), or null for now. */
  asOf: string | null;
  t: (key: MessageKey | string, params?: Record<string, string | number>) => string;
}

/** The person's language; else `?lang=`; else the browser's; else 简体中文 (the first programmes' language). */
export function webContextOf(request: AuthenticatedRequest): WebContext {
  const query = request.query as Record<string, unknown>;
  const asked = typeof query?.lang === 'string' && isLang(query.lang) ? query.lang : null;
  const personal = request.principal?.language;
  const lang: Lang = isLang(personal) ? personal : (asked ?? langFromAcceptLanguage(request.headers['accept-language']) ?? 'zh');
  return { lang, principal: request.principal ?? null, csrf: request.session?.csrf ?? null, path: request.path, asOf: asOfOf(query), t: (key, params) => t(lang, key, params) };
}

/**
 * The moment asked: `asOf` as the links carry it (ISO-8601 or a log position), or what a person
 * typed in the as-of control (`asOfLocal`, wall-clock time in the programme's zone `asOfZone`, or a
 * log position). Text that is neither is passed on as typed, for the page to refuse by name.
 */
function asOfOf(query: Record<string, unknown> | undefined): string | null {
  const typed = typeof query?.asOfLocal === 'string' ? query.asOfLocal.trim() : null;
  if (typed !== null) {
    if (typed === '') return null;
    return (typeof query?.asOfZone === 'string' && instantOfLocal(typed, query.asOfZone)) || typed;
  }
  return typeof query?.asOf === 'string' && query.asOf.trim() !== '' ? query.asOf.trim() : null;
}

/** `@Web() web: WebContext` in a page handler. */
export const Web = createParamDecorator((_data: unknown, context: ExecutionContext): WebContext => webContextOf(context.switchToHttp().getRequest<AuthenticatedRequest>()));

/** The same context in another language (a person who just changed theirs). */
export function withLang(web: WebContext, lang: Lang): WebContext {
  return { ...web, lang, t: (key, params) => t(lang, key, params) };
}
