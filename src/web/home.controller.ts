import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../access/auth.guard';
import { ROLES, type Role } from '../access/roles';
import { LedgerDirectory } from '../ledgers/ledger-directory';
import { ReachableLedgersQuery, type ReachableLedger } from '../ledgers/queries/reachable-ledgers.query';
import { isOcopProgramme } from './oversight/ledger-nav';
import { html, url, type Html } from './html';
import { page } from './layout';
import { Web, type WebContext } from './web-context';
import { WebErrorFilter } from './web-error.filter';

/** Where each role's work starts on a ledger (the pages check the grants again). */
export function ledgerLinks(web: WebContext, ledger: ReachableLedger, options: { ocop: boolean }): Html[] {
  const roles = new Set<Role>(ledger.grants.map((g) => g.role));
  const links: Html[] = [];
  // The as-of moment chosen on another page stays chosen here.
  const to = (path: string) => url(path, { asOf: web.asOf });
  const base = `/ledgers/${encodeURIComponent(ledger.ledgerId)}`;
  for (const grant of ledger.grants.filter((g) => g.role === 'submitter' || g.role === 'reviewer')) {
    links.push(html`<a href="${to(`${base}/units/${encodeURIComponent(grant.unit)}`)}">${web.t(`role.${grant.role}`)}: ${grant.unitName ?? grant.unit}</a>`);
  }
  if (roles.has('regulator') || roles.has('auditor') || roles.has('admin')) {
    links.push(html`<a href="${to(`${base}/board`)}">${web.t('nav.board')}</a>`, html`<a href="${to(`${base}/reports`)}">${web.t('nav.reports')}</a>`, html`<a href="${to(`${base}/history`)}">${web.t('nav.history')}</a>`);
    if (options.ocop) links.push(html`<a href="${to(`${base}/ocop`)}">${web.t('oversight.nav.ocop')}</a>`);
  }
  if (roles.has('admin')) links.push(html`<a href="/admin/ledgers/${encodeURIComponent(ledger.ledgerId)}">${web.t('nav.admin')}</a>`);
  return links;
}

/** The first page after sign-in: the ledgers the person's grants reach, and where each role's work is. */
@ApiExcludeController()
@Controller()
@UseFilters(WebErrorFilter)
export class HomeController {
  constructor(
    private readonly queries: QueryBus,
    private readonly directory: LedgerDirectory,
  ) {}

  @Get()
  @Roles(...ROLES)
  async home(@Web() web: WebContext, @Query('changed') changed?: string): Promise<string> {
    const ledgers: ReachableLedger[] = await this.queries.execute(new ReachableLedgersQuery(web.principal!));
    const ocop = new Set<string>();
    for (const ledger of ledgers) if (isOcopProgramme((await this.directory.get(ledger.ledgerId)).programme)) ocop.add(ledger.ledgerId);
    return page(
      web,
      web.t('home.title'),
      html`${changed === 'password' ? html`<div class="notice ok" role="status">${web.t('password.saved')}</div>` : ''}
${ledgers.length === 0 ? html`<p>${web.t('home.none')}</p>` : ''}
<div class="cards">${ledgers.map(
        (ledger) => html`<section class="card" aria-labelledby="ledger-${ledger.ledgerId}">
  <h2 id="ledger-${ledger.ledgerId}">${ledger.name}</h2>
  <p class="muted">${ledger.ledgerId} · ${ledger.programmeId}</p>
  <ul>${ledgerLinks(web, ledger, { ocop: ocop.has(ledger.ledgerId) }).map((link) => html`<li>${link}</li>`)}</ul>
</section>`,
      )}</div>`,
    );
  }
}
