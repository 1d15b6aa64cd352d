import type { Principal } from '../../access/principal';
import { grantWithRole } from '../../access/grants';
import type { ProgrammeTemplate } from '../../programmes/template';
import { html, url, type Html } from '../html';
import { asOfControl } from '../layout';
import type { WebContext } from '../web-context';

/** The pages of one ledger a regulator, auditor or admin moves between; the "as of" moment travels with the links (and its control shows where the page answers as of a moment). */
export function ledgerNav(web: WebContext, ledgerId: string, programme: Pick<ProgrammeTemplate, 'metrics' | 'timeZone'>, options: { asOf?: boolean } = {}): Html {
  const base = `/ledgers/${encodeURIComponent(ledgerId)}`;
  const principal = web.principal as Principal;
  const items: [string, string][] = [
    [`${base}/board`, 'nav.board'],
    [`${base}/reports`, 'nav.reports'],
    [`${base}/review`, 'oversight.nav.review'],
    [`${base}/history`, 'nav.history'],
  ];
  if (isOcopProgramme(programme)) items.push([`${base}/ocop`, 'oversight.nav.ocop']);
  if (grantWithRole(principal, ['admin'], ledgerId)) items.push([`/admin/ledgers/${encodeURIComponent(ledgerId)}`, 'nav.admin']);
  return html`<nav class="subnav" aria-label="${ledgerId}"><ul>${items.map(
    ([href, key]) => html`<li><a href="${url(href, { asOf: web.asOf })}"${web.path === href ? html` aria-current="page"` : ''}>${web.t(key)}</a></li>`,
  )}</ul></nav>
${options.asOf === false ? '' : asOfControl(web, programme.timeZone)}`;
}

/** Whether a programme is an OCOP one (metrics counted from product events): it has the OCOP views. */
export const isOcopProgramme = (programme: Pick<ProgrammeTemplate, 'metrics'>): boolean => (programme.metrics ?? []).some((m) => m.derivedFrom === 'ocop');

/** Numbered pages: previous / next links keeping the page's other query parameters. */
export function pager(web: WebContext, query: Record<string, string | number | undefined | null>, page: { offset: number; limit: number; total: number }): Html {
  if (page.total <= page.limit) return html``;
  const from = page.offset + 1;
  const to = Math.min(page.offset + page.limit, page.total);
  const prev = page.offset > 0 ? url(web.path, { ...query, offset: Math.max(0, page.offset - page.limit) }) : null;
  const next = to < page.total ? url(web.path, { ...query, offset: page.offset + page.limit }) : null;
  return html`<nav class="pager" aria-label="${web.t('oversight.pager')}">
  ${prev ? html`<a href="${prev}" rel="prev">← ${web.t('oversight.pager.prev')}</a>` : ''}
  <span>${web.t('oversight.pager.range', { from, to, total: page.total })}</span>
  ${next ? html`<a href="${next}" rel="next">${web.t('oversight.pager.next')} →</a>` : ''}
</nav>`;
}
