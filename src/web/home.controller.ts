import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/auth.guard';
import { ROLES, type Role } from '../access/roles';
import { ReachableLedgersQuery, type ReachableLedger } from '../ledgers/queries/reachable-ledgers.query';
import { html, type Html } from './html';
import { page } from './layout';
import { Web, type WebContext } from './web-context';
import { WebErrorFilter } from './web-error.filter';

/** Where each role's work starts on a ledger (the pages check the grants again). */
export function ledgerLinks(web: WebContext, ledger: ReachableLedger): Html[] {
  const roles = new Set<Role>(ledger.grants.map((g) => g.role));
  const links: Html[] = [];
  const base = `/ledgers/${encodeURIComponent(ledger.ledgerId)}`;
  for (const grant of ledger.grants.filter((g) => g.role === 'submitter' || g.role === 'reviewer')) {
    links.push(html`<a href="${base}/units/${encodeURIComponent(grant.unit)}">${web.t(`role.${grant.role}`)}: ${grant.unitName ?? grant.unit}</a>`);
  }
  if (roles.has('regulator') || roles.has('auditor') || roles.has('admin')) {
    links.push(html`<a href="${base}/board">${web.t('nav.board')}</a>`, html`<a href="${base}/reports">${web.t('nav.reports')}</a>`, html`<a href="${base}/history">${web.t('nav.history')}</a>`);
  }
  if (roles.has('admin')) links.push(html`<a href="/admin/ledgers/${encodeURIComponent(ledger.ledgerId)}">${web.t('nav.admin')}</a>`);
  return links;
}

/** The first page after sign-in: the ledgers the person's grants reach, and where each role's work is. */
@ApiExcludeController()
@Controller()
@UseFilters(WebErrorFilter)
export class HomeController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles(...ROLES)
  async home(@Web() web: WebContext, @Query('changed') changed?: string): Promise<string> {
    const ledgers = await this.queries.execute(new ReachableLedgersQuery(web.principal!));
    return page(
      web,
      web.t('home.title'),
      html`${changed === 'password' ? html`<div class="notice ok" role="status">${web.t('password.saved')}</div>` : ''}
${ledgers.length === 0 ? html`<p>${web.t('home.none')}</p>` : ''}
<div class="cards">${ledgers.map(
        (ledger) => html`<section class="card" aria-labelledby="ledger-${ledger.ledgerId}">
  <h2 id="ledger-${ledger.ledgerId}">${ledger.name}</h2>
  <p class="muted">${ledger.ledgerId} · ${ledger.programmeId}</p>
  <ul>${ledgerLinks(web, ledger).map((link) => html`<li>${link}</li>`)}</ul>
</section>`,
      )}</div>`,
    );
  }
}
