import { Controller, Get, Param, Query, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { parseAsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { one } from '../../http/query-params';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { OcopCountsQuery, OcopDistrictTargetsQuery, OcopGoalsQuery, type OcopCountsReport, type OcopDistrictTargetsReport, type OcopGoalsReport } from '../../ocop/queries/ocop.queries';
import type { IndicatorVerdict } from '../../programmes/indicator-rules';
import { localDateOf } from '../../programmes/local-time';
import { html, type Html } from '../html';
import { field, fieldProblems, page, type FieldProblems } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { isOcopProgramme, ledgerNav } from './ledger-nav';

const STARS = ['3', '4', '5', '1', '2'] as const;
const VERDICT_TONES: Record<IndicatorVerdict, string> = { met: 'ok', 'not-met': 'late', 'no-data': 'idle', 'not-yet-due': 'soon' };

/**
 * The OCOP views of an OCOP ledger for a period: products by district and star rating, the
 * programme's goals against actual, and the districts' actual against their allocated targets
 * (Cà Mau's Phụ lục 4), from the OCOP queries, as of any moment.
 */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/ocop')
@UseFilters(WebErrorFilter)
@Roles('regulator', 'auditor', 'admin')
export class OcopPageController {
  constructor(
    private readonly queries: QueryBus,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
  ) {}

  @Get()
  async show(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    assertMayActFor(web.principal!, { action: 'read', ledgerId });
    const asOf = parseAsOf(web.asOf ?? undefined);
    const ledger = await this.directory.get(ledgerId, asOf);
    if (!isOcopProgramme(ledger.programme)) throw new DomainError('not-found', [problem('ledgerId', 'oversight.ocop.notOcop', { programme: ledger.programme.id })]);
    const year = localDateOf(this.moments.resolve(asOf).instant, ledger.programme.timeZone).slice(0, 4);
    const years = ledger.programme.years;
    const fallback = String(Math.min(Math.max(Number(year), years.from), years.to));
    let period = one(query.period, 'period') || fallback;
    let problems: FieldProblems | undefined;
    let reports: [OcopCountsReport, OcopGoalsReport, OcopDistrictTargetsReport];
    try {
      reports = await this.read(ledgerId, period, asOf);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
      response.status(400);
      problems = fieldProblems(error.problems, ['period'], web.lang);
      reports = await this.read(ledgerId, (period = fallback), asOf);
    }
    const [counts, goals, targets] = reports;
    const body = html`${ledgerNav(web, ledgerId, ledger.programme)}
<form class="filters" method="get" action="${web.path}" role="search">
  ${web.asOf ? html`<input type="hidden" name="asOf" value="${web.asOf}">` : ''}
  ${field('period', web.t('oversight.period'), (a) => html`<input ${a} value="${period}" list="ocop-periods" autocomplete="off"><datalist id="ocop-periods">${Array.from({ length: years.to - years.from + 1 }, (_, i) => html`<option value="${years.from + i}">`)}</datalist>`, problems)}
  <div><button type="submit">${web.t('asOf.show')}</button></div>
</form>
${countsSection(web, counts)}
${goalsSection(web, goals)}
${targetsSection(web, targets)}`;
    return page(web, `OCOP · ${ledger.name}`, body);
  }

  private read(ledgerId: string, period: string, asOf: ReturnType<typeof parseAsOf>): Promise<[OcopCountsReport, OcopGoalsReport, OcopDistrictTargetsReport]> {
    return Promise.all([
      this.queries.execute(new OcopCountsQuery(ledgerId, { period, asOf })),
      this.queries.execute(new OcopGoalsQuery(ledgerId, period, asOf)),
      this.queries.execute(new OcopDistrictTargetsQuery(ledgerId, period, asOf)),
    ]);
  }
}

function countsSection(web: WebContext, report: OcopCountsReport): Html {
  const c = report.counts;
  return html`<h2 id="ocop-counts">${web.t('oversight.ocop.counts', { date: c.date ?? '' })}</h2>
<ul class="legend">${STARS.map((s) => html`<li>${'★'.repeat(Number(s))} <strong>${c.byStars[s]}</strong></li>`)}<li>${web.t('oversight.ocop.products')}: <strong>${c.products}</strong></li>${report.changes ? html`<li>${web.t('oversight.ocop.changes', { registeredNew: report.changes.registered.new, registeredUpgrade: report.changes.registered.upgrade, recognised: report.changes.new, upgraded: report.changes.upgraded, revoked: report.changes.revoked })}</li>` : ''}</ul>
<div class="table-wrap"><table aria-labelledby="ocop-counts"><thead><tr><th>${web.t('oversight.ocop.district')}</th><th class="num">${web.t('oversight.ocop.products')}</th><th class="num">${web.t('oversight.ocop.new')}</th><th class="num">${web.t('oversight.ocop.upgrade')}</th><th class="num">${web.t('oversight.ocop.certified')}</th>${['3', '4', '5'].map((s) => html`<th class="num">${s}★</th>`)}<th class="num">${web.t('oversight.ocop.revoked')}</th></tr></thead>
<tbody>${c.byDistrict.map((d) => html`<tr><td>${d.district}</td><td class="num">${d.products}</td><td class="num">${d.registeredNew}</td><td class="num">${d.registeredUpgrade}</td><td class="num">${d.certified}</td>${(['3', '4', '5'] as const).map((s) => html`<td class="num">${d.byStars[s]}</td>`)}<td class="num">${d.revoked}</td></tr>`)}</tbody></table></div>`;
}

function goalsSection(web: WebContext, report: OcopGoalsReport): Html {
  return html`<h2 id="ocop-goals">${web.t('oversight.ocop.goals', { period: report.period })}</h2>
${report.goals.length === 0 ? html`<p>${web.t('oversight.ocop.noGoals')}</p>` : html`<div class="table-wrap"><table aria-labelledby="ocop-goals"><thead><tr><th>${web.t('oversight.ocop.goal')}</th><th>${web.t('oversight.ocop.figures')}</th><th>${web.t('oversight.ocop.verdict')}</th></tr></thead>
<tbody>${report.goals.map((g) => html`<tr><td>${g.text}</td><td>${g.figures.map((f) => html`${f.label}: <strong>${f.value ?? '—'}</strong>${f.target !== null && f.target !== undefined ? html` / ${f.target}` : ''} ${f.unit ?? ''}<br>`)}</td><td><span class="status ${VERDICT_TONES[g.verdict]}">${web.t(`oversight.verdict.${g.verdict}`)}</span>${g.due ? html`<br><span class="muted">${web.t('oversight.due')} ${g.due}</span>` : ''}</td></tr>`)}</tbody></table></div>`}`;
}

function targetsSection(web: WebContext, report: OcopDistrictTargetsReport): Html {
  const t = report.targets;
  if (!t) return html`<h2>${web.t('oversight.ocop.targets')}</h2><p>${web.t('oversight.ocop.noTargets')}</p>`;
  const columns = t.rows[0]?.columns ?? [];
  return html`<h2 id="ocop-targets">${web.t('oversight.ocop.targets')} · ${t.table}</h2>
<div class="table-wrap"><table aria-labelledby="ocop-targets"><thead><tr><th rowspan="2">${web.t('oversight.ocop.district')}</th>${columns.map((c) => html`<th colspan="2">${c.label}</th>`)}</tr>
<tr>${columns.map(() => html`<th class="num">${web.t('oversight.ocop.allocated')}</th><th class="num">${web.t('oversight.ocop.actual')}</th>`)}</tr></thead>
<tbody>${t.rows.map((r) => html`<tr><td>${r.district}</td>${r.columns.map((c) => html`<td class="num">${c.allocated}</td><td class="num"><span class="status ${c.met === null ? 'idle' : c.met ? 'ok' : 'late'}">${c.actual ?? '—'}</span></td>`)}</tr>`)}</tbody></table></div>
${t.unallocated.length > 0 ? html`<p class="muted">${web.t('oversight.ocop.unallocated')}: ${t.unallocated.join(', ')}</p>` : ''}`;
}
