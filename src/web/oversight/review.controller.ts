import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor, grantWithRole } from '../../access/grants';
import { Moments } from '../../audit/moments';
import { DomainError } from '../../event-sourcing/domain-error';
import { one } from '../../http/query-params';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { owedReports } from '../../programmes/calendar';
import { localDateOf } from '../../programmes/local-time';
import { REPORT_PROVIDERS } from '../../reports/data/providers';
import { ReviewStatusQuery, type ReviewStatus, type UnitStanding } from '../../reviews/review-status.query';
import { SignOffCommand } from '../../reviews/sign-off.command';
import { html, url, type Html } from '../html';
import { busyStatus, csrfField, field, type FieldProblems, generalProblems, page } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { localMomentText, momentHtml, zoneOffsetText } from '../local-moment';
import { WebActors, type ActorName } from '../web-actors';
import { ledgerNav } from './ledger-nav';
import { refusal, textOf } from './refusal';

const STANDING_TONES: Record<UnitStanding, string> = { 'not-started': 'idle', 'in-progress': 'progress', complete: 'soon', returned: 'late', approved: 'ok', submitted: 'ok' };

/**
 * The regulator's review and sign-off of a report's period: where each unit stands (marked complete,
 * returned, approved), the sign-off (SignOffCommand: the files' digests and the 填报人 / 审核人 /
 * 填报日期 line recorded, the period locked), then the signed-off files, redrawn as of their moment.
 */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/review')
@UseFilters(WebErrorFilter)
@Roles('regulator', 'auditor', 'admin')
export class ReviewPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly actors: WebActors,
  ) {}

  @Get()
  async show(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Query() query: Record<string, unknown>): Promise<string> {
    assertMayActFor(web.principal!, { action: 'read', ledgerId });
    return this.reviewPage(web, ledgerId, one(query.report, 'report'), one(query.period, 'period'), {});
  }

  @Post('sign-off')
  @HttpCode(200)
  @Roles('regulator', 'admin')
  async signOff(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    assertMayActFor(web.principal!, { action: 'sign-off', ledgerId });
    const reportId = textOf(body, 'report');
    const period = textOf(body, 'period');
    try {
      await this.commands.execute(new SignOffCommand(ledgerId, reportId, period, web.principal!));
      return this.reviewPage(web, ledgerId, reportId, period, { signed: true });
    } catch (error) {
      return this.reviewPage(web, ledgerId, reportId, period, { problems: refusal(error, response, ['report', 'period'], web.lang) });
    }
  }

  private async reviewPage(web: WebContext, ledgerId: string, asked: string | undefined, askedPeriod: string | undefined, shown: { signed?: boolean; problems?: FieldProblems }): Promise<string> {
    const ledger = await this.directory.get(ledgerId);
    const programme = ledger.programme;
    const actorName = this.actors.of(ledger);
    const reportIds = programme.reports.filter((id) => id in REPORT_PROVIDERS);
    const owed = owedReports(programme);
    const today = localDateOf(this.moments.resolve({ kind: 'now' }).instant, programme.timeZone);
    const reportId = asked || reportIds[0];
    const period = askedPeriod || ([...owed].reverse().find((o) => o.due <= today) ?? owed[0])?.period.id;
    let status: ReviewStatus | null = null;
    const problems: FieldProblems = shown.problems ?? { byField: new Map(), general: [] };
    try {
      if (reportId && period) status = await this.queries.execute(new ReviewStatusQuery(ledgerId, reportId, period));
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== 'invalid' && error.code !== 'not-found')) throw error;
      for (const p of error.problems) problems.byField.set(p.field === 'reportId' ? 'report' : (p.field ?? 'period'), [p.reason]);
    }
    const maySign = grantWithRole(web.principal!, ['regulator', 'admin'], ledgerId) !== null;
    const base = `/ledgers/${encodeURIComponent(ledgerId)}/review`;
    const body = html`${ledgerNav({ ...web, asOf: null }, ledgerId, programme, { asOf: false })}
<form class="filters" method="get" action="${base}" role="search">
  ${field('report', web.t('oversight.reports.report'), (a) => html`<select ${a}>${reportIds.map((id) => html`<option value="${id}"${id === reportId ? html` selected` : ''}>${web.t(`oversight.report.${id}`)}</option>`)}</select>`, problems)}
  ${field('period', web.t('oversight.period'), (a) => html`<select ${a}>${owed.filter((o, i, all) => all.findIndex((x) => x.period.id === o.period.id) === i).map((o) => html`<option value="${o.period.id}"${o.period.id === period ? html` selected` : ''}>${o.period.id} (${web.t('oversight.due')} ${o.due})</option>`)}</select>`, problems)}
  <div><button type="submit">${web.t('asOf.show')}</button></div>
</form>
${shown.signed ? html`<div class="notice ok" role="status">${web.t('oversight.review.signedNow')}</div>` : ''}
${generalProblems(web, problems)}
${status ? reviewStatus(web, ledgerId, status, maySign, base, { zone: programme.timeZone, actorName, unitName: (id: string) => ledger.units.get(id)?.name ?? id }) : ''}`;
    return page(web, `${web.t('oversight.nav.review')} · ${ledger.name}`, body);
  }
}

function reviewStatus(web: WebContext, ledgerId: string, status: ReviewStatus, maySign: boolean, base: string, { zone, actorName, unitName }: { zone: string; actorName: ActorName; unitName: (unitId: string) => string }): Html {
  const s = status.signOff;
  const file = (format: string) => url(`/ledgers/${encodeURIComponent(ledgerId)}/reports/file`, { report: status.reportId, period: status.period, format, asOf: s ? s.asOfPosition : undefined });
  return html`<h2 id="units">${web.t('oversight.review.units', { report: web.t(`oversight.report.${status.reportId}`), period: status.period })}</h2>
<div class="table-wrap"><table aria-labelledby="units"><thead><tr><th>${web.t('oversight.board.unit')}</th><th>${web.t('oversight.board.status')}</th><th>${web.t('oversight.history.who')}</th><th>${web.t('oversight.history.when')}</th><th>${web.t('oversight.history.reason')}</th></tr></thead>
<tbody>${status.units.map((u) => html`<tr data-unit="${u.unitId}"><td>${u.name}</td><td><span class="status ${STANDING_TONES[u.state]}">${web.t(`oversight.review.state.${u.state}`)}</span></td><td>${u.by ? actorName(u.by.actor) || u.by.name : ''}</td><td>${u.at ? momentHtml(web.lang, u.at, zone, 'minute') : ''}</td><td>${u.reason ?? ''}</td></tr>`)}</tbody></table></div>
<h2 id="sign-off">${web.t('oversight.review.signOff')}</h2>
${s
  ? html`<div class="notice ok" id="signed-off"><p><strong>${web.t('oversight.review.signed', { name: s.reporter.name, date: s.reportDate })}</strong></p>
<ul><li>${web.t('oversight.review.reviewers')}: ${s.reviewers.map((r) => actorName(r.actor) || r.name).join('、') || '—'}</li>
<li>${web.t('oversight.review.notReported')}: ${s.notReported.map(unitName).join('、') || '—'}</li>
<li>${web.t('oversight.reports.pinned', { position: s.asOfPosition, asOf: `${localMomentText(s.asOf, zone, web.lang)} (${zoneOffsetText(zone, s.asOf)})` })}</li>
${s.files.map((f) => html`<li><a href="${file(f.format)}" download>${f.format === 'pdf' ? 'PDF' : 'Excel (.xlsx)'}</a> <code class="digest">sha256:${f.sha256}</code></li>`)}</ul></div>`
  : maySign
    ? html`<form method="post" action="${base}/sign-off" data-busy>${csrfField(web)}<input type="hidden" name="report" value="${status.reportId}"><input type="hidden" name="period" value="${status.period}">
<p>${web.t('oversight.review.signHelp')}</p><button type="submit" data-confirm="${web.t('oversight.review.signConfirm', { period: status.period })}">${web.t('oversight.review.signButton')}</button> ${busyStatus(web)}</form>`
    : html`<p>${web.t('oversight.review.notSigned')}</p>`}`;
}
