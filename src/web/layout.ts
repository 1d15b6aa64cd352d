import type { Role } from '../access/roles';
import type { Problem } from '../event-sourcing/domain-error';
import { LANG_NAMES, type Lang } from '../i18n/languages';
import { localize } from '../i18n/problem';
import { html, url, type Html } from './html';
import { localMomentPattern, localMomentText, zoneOffsetText } from './local-moment';
import type { WebContext } from './web-context';

interface NavItem {
  href: string;
  key: string;
  roles: readonly Role[];
}

/** The sections of the application and who sees them (the routes check the grants again). */
const NAV: NavItem[] = [
  { href: '/', key: 'nav.home', roles: ['submitter', 'reviewer', 'regulator', 'auditor', 'admin'] },
  { href: '/tasks', key: 'nav.tasks', roles: ['submitter', 'reviewer'] },
  { href: '/audit', key: 'nav.audit', roles: ['auditor', 'regulator', 'admin'] },
  { href: '/admin', key: 'nav.admin', roles: ['admin'] },
  { href: '/account', key: 'nav.account', roles: ['submitter', 'reviewer', 'regulator', 'auditor', 'admin'] },
];

function isActive(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** What a form doing long work (an upload, a report, a verification) shows while it runs: shown by app.js on submit. */
export const busyStatus = (web: WebContext, text: string = web.t('common.working')): Html =>
  html`<span role="status" hidden><progress aria-label="${text}"></progress> ${text}</span>`;

/** The CSRF field every state-changing form carries. */
export const csrfField = (web: WebContext): Html => html`<input type="hidden" name="_csrf" value="${web.csrf ?? ''}">`;

/**
 * The "as of" control: any page shown as the ledger stood at a chosen moment, typed as wall-clock
 * time in the programme's time zone (its offset said beside the field) in the page's language form,
 * or as a log position; the moment then travels in every link (`asOf`, ISO with the offset).
 */
export function asOfControl(web: WebContext, zone: string): Html {
  const time = web.asOf && !/^\d+$/.test(web.asOf) && !Number.isNaN(Date.parse(web.asOf)) ? new Date(Date.parse(web.asOf)).toISOString() : null;
  const typed = time ? localMomentText(time, zone, web.lang, 'minute') : (web.asOf ?? '');
  const shown = time ? `${localMomentText(time, zone, web.lang)} (${zoneOffsetText(zone, time)})` : web.t('asOf.position', { position: web.asOf ?? '' });
  return html`<form class="asof${web.asOf ? ' past' : ''}" method="get" action="${web.path}" role="search">
  <label for="asOfLocal">${web.t('asOf.label')}</label>
  <input id="asOfLocal" name="asOfLocal" type="text" inputmode="numeric" autocomplete="off" size="17" placeholder="${localMomentPattern(web.lang)}" value="${typed}" aria-describedby="asOf-zone">
  <input type="hidden" name="asOfZone" value="${zone}">
  <span id="asOf-zone" class="muted">${web.t('asOf.zone', { offset: zoneOffsetText(zone), zone, pattern: localMomentPattern(web.lang) })}</span>
  <button type="submit" class="secondary">${web.t('asOf.show')}</button>
  ${web.asOf ? html`<a href="${web.path}">${web.t('asOf.now')}</a> <span role="status">${web.t('asOf.banner', { moment: shown })}</span>` : ''}
</form>`;
}

/** A whole page: header with the sections the caller may use, language, sign-out; the body; nothing from outside. */
export function page(web: WebContext, title: string, body: Html | Html[]): string {
  const roles = new Set(web.principal?.grants.map((g) => g.role) ?? []);
  const nav = web.principal ? NAV.filter((item) => item.roles.some((role) => roles.has(role))) : [];
  return html`<!doctype html>
<html lang="${web.lang === 'zh' ? 'zh-CN' : web.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${web.t('app.name')}</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${web.t('nav.skip')}</a>
<header class="top">
  <a class="brand" href="${url('/', { asOf: web.asOf })}">${web.t('app.name')}</a>
  ${nav.length > 0 ? html`<nav aria-label="${web.t('app.name')}"><ul>${nav.map((item) => html`<li><a href="${url(item.href, { asOf: web.asOf })}"${isActive(item.href, web.path) ? html` aria-current="page"` : ''}>${web.t(item.key)}</a></li>`)}</ul></nav>` : ''}
  <div class="who">
    ${web.principal ? html`<span>${web.principal.name ?? web.principal.id}</span>
    <form method="post" action="/sign-out">${csrfField(web)}<button type="submit">${web.t('nav.signOut')}</button></form>` : html`<span>${Object.entries(LANG_NAMES).map(([lang, name]) => html` <a href="${url(web.path, { lang })}" lang="${lang}">${name}</a>`)}</span>`}
  </div>
</header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.text;
}

/** Problems shown next to the fields they concern (by field name), and the rest above the form. */
export interface FieldProblems {
  byField: Map<string, string[]>;
  general: string[];
}

/** The problems by field, each reason in the page's language where the catalogue has it. */
export function fieldProblems(problems: Problem[], fields: readonly string[], lang: Lang = 'en'): FieldProblems {
  const byField = new Map<string, string[]>();
  const general: string[] = [];
  for (const problem of localize(problems, lang)) {
    const field = problem.field === undefined ? undefined : fields.find((name) => problem.field === name || problem.field!.startsWith(`${name}.`) || problem.field!.startsWith(`${name}[`));
    if (field) byField.set(field, [...(byField.get(field) ?? []), problem.reason]);
    else general.push(problem.field ? `${problem.field}: ${problem.reason}` : problem.reason);
  }
  return { byField, general };
}

/** A labelled input with its errors tied to it (aria-describedby), as every form field is drawn. */
export function field(name: string, label: string, control: (attributes: Html) => Html, problems?: FieldProblems): Html {
  const errors = problems?.byField.get(name) ?? [];
  const errorId = `${name}-error`;
  const attributes = html`id="${name}" name="${name}"${errors.length > 0 ? html` aria-invalid="true" aria-describedby="${errorId}"` : ''}`;
  return html`<div class="field"><label for="${name}">${label}</label>${control(attributes)}${errors.length > 0 ? html`<div class="field-error" id="${errorId}">${errors.join('; ')}</div>` : ''}</div>`;
}

export function generalProblems(web: WebContext, problems?: FieldProblems): Html {
  if (!problems || problems.general.length === 0) return html``;
  return html`<div class="notice bad" role="alert"><p class="error">${web.t('error.invalid')}</p><ul>${problems.general.map((p) => html`<li>${p}</li>`)}</ul><p>${web.t('common.nothingAppended')}</p></div>`;
}
