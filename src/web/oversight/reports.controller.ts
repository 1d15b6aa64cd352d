import { Controller, Get, Param, Query, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { parseAsOf } from '../../audit/as-of';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { one } from '../../http/query-params';
import { Moments } from '../../audit/moments';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { owedReports } from '../../programmes/calendar';
import { localDateOf } from '../../programmes/local-time';
import { REPORT_PROVIDERS } from '../../reports/data/providers';
import { GenerateReportQuery, type GeneratedReport } from '../../reports/generate/generate-report.query';
import { ListReportsQuery, type RecordedReport } from '../../reports/list-reports.query';
import { html, url } from '../html';
import { busyStatus, field, fieldProblems, type FieldProblems, generalProblems, page } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { localMomentText, momentHtml, zoneOffsetText } from '../local-moment';
import { ledgerNav } from './ledger-nav';

const FORM_FIELDS = ['report', 'period', 'format', 'asOf'] as const;

/**
 * Reports of a ledger: the calendar with what was generated (recorded, with digests) and what is
 * owed, and the download of any report for any period, now or as of a past moment, in xlsx or PDF,
 * drawn by the same generation code as the API (GenerateReportQuery).
 */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/reports')
@UseFilters(WebErrorFilter)
@Roles('regulator', 'auditor', 'admin')
export class ReportsPageController {
  constructor(
    private readonly queries: QueryBus,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
  ) {}

  @Get()
  async show(@Web() web: WebContext, @Param('ledgerId') ledgerId: string): Promise<string> {
    assertMayActFor(web.principal!, { action: 'read', ledgerId });
    return this.reportsPage(web, ledgerId);
  }

  /** One report file; a refused request comes back as the page with the refusal next to its field. */
  @Get('file')
  async file(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string | StreamableFile> {
    assertMayActFor(web.principal!, { action: 'read', ledgerId });
    const sent = Object.fromEntries(FORM_FIELDS.map((name) => [name, typeof query[name] === 'string' ? (query[name] as string) : '']));
    try {
      const reportId = one(query.report, 'report');
      const period = one(query.period, 'period');
      const format = one(query.format, 'format');
      if (!reportId) throw new DomainError('invalid', [problem('report', 'oversight.reports.required')]);
      if (!period) throw new DomainError('invalid', [problem('period', 'oversight.reports.required')]);
      const asOf = parseAsOf(one(query.asOf, 'asOf') || undefined);
      const report: GeneratedReport = await this.queries.execute(new GenerateReportQuery(ledgerId, reportId, period, format ?? 'pdf', asOf));
      response.setHeader('X-Report-Digest', `sha256:${report.digest}`);
      response.setHeader('X-Ledger-Position', String(report.position));
      return new StreamableFile(report.bytes, { type: report.contentType, disposition: `attachment; filename="${report.fileName}"`, length: report.bytes.length });
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== 'invalid' && error.code !== 'not-found')) throw error;
      response.status(error.code === 'invalid' ? 400 : 404);
      return this.reportsPage(web, ledgerId, fieldProblems(error.problems.map((p) => ({ ...p, field: p.field === 'reportId' ? 'report' : p.field })), FORM_FIELDS, web.lang), sent);
    }
  }

  private async reportsPage(web: WebContext, ledgerId: string, problems?: FieldProblems, sent?: Record<string, string>): Promise<string> {
    const asOf = parseAsOf(web.asOf ?? undefined);
    const ledger = await this.directory.get(ledgerId, asOf);
    const recorded: RecordedReport[] = await this.queries.execute(new ListReportsQuery(ledgerId));
    const programme = ledger.programme;
    const reportIds = programme.reports.filter((id) => id in REPORT_PROVIDERS);
    // Owed or upcoming as of the moment shown (now, or the past moment asked).
    const today = localDateOf(this.moments.resolve(asOf).instant, programme.timeZone);
    const byKey = new Map(recorded.map((r) => [`${r.reportId}\u0000${r.period}`, r]));
    const owed = owedReports(programme);
    const fileUrl = (reportId: string, period: string, format: string, at: string | null) => url(`/ledgers/${encodeURIComponent(ledgerId)}/reports/file`, { report: reportId, period, format, asOf: at });
    const links = (reportId: string, period: string, at: string | null) =>
      html`<a href="${fileUrl(reportId, period, 'xlsx', at)}" download>xlsx</a> · <a href="${fileUrl(reportId, period, 'pdf', at)}" download>PDF</a>`;
    const value = (name: string, fallback: string) => sent?.[name] ?? fallback;
    const lastDue = [...owed].reverse().find((o) => o.due <= today) ?? owed[0];

    const body = html`${ledgerNav(web, ledgerId, programme)}
<h2 id="download">${web.t('oversight.reports.download')}</h2>
<form class="stack" method="get" action="${url(`/ledgers/${encodeURIComponent(ledgerId)}/reports/file`)}" data-busy data-download>
  ${generalProblems(web, problems)}
  ${field('report', web.t('oversight.reports.report'), (a) => html`<select ${a}>${reportIds.map((id) => html`<option value="${id}"${value('report', '') === id ? html` selected` : ''}>${web.t(`oversight.report.${id}`)} (${id})</option>`)}</select>`, problems)}
  ${field('period', web.t('oversight.period'), (a) => html`<input ${a} required list="periods" value="${value('period', lastDue?.period.id ?? '')}" placeholder="2021-H1" autocomplete="off"><datalist id="periods">${owed.map((o) => html`<option value="${o.period.id}">`)}</datalist>`, problems)}
  ${field('format', web.t('oversight.reports.format'), (a) => html`<select ${a}><option value="xlsx"${value('format', '') === 'xlsx' ? html` selected` : ''}>Excel (.xlsx)</option><option value="pdf"${value('format', '') === 'pdf' ? html` selected` : ''}>PDF</option></select>`, problems)}
  ${web.asOf ? html`<input type="hidden" name="asOf" value="${web.asOf}">` : ''}
  <p class="muted">${web.asOf ? web.t('oversight.reports.asOfChosen') : web.t('oversight.reports.asOfHint')}</p>
  <div><button type="submit">${web.t('oversight.reports.generate')}</button> ${busyStatus(web, web.t('oversight.reports.generating'))}</div>
</form>
<h2 id="calendar">${web.t('oversight.reports.calendar')}</h2>
<div class="table-wrap"><table aria-labelledby="calendar">
<thead><tr><th>${web.t('oversight.period')}</th><th>${web.t('oversight.due')}</th>${reportIds.map((id) => html`<th>${web.t(`oversight.report.${id}`)}</th>`)}</tr></thead>
<tbody>${owed.map(
      (o) => html`<tr><td>${o.period.id}</td><td>${o.due}</td>${reportIds.map((id) => {
        const r = byKey.get(`${id}\u0000${o.period.id}`);
        if (r) {
          return html`<td><span class="status ok">${web.t('oversight.reports.recorded')}</span> <span class="muted">${momentHtml(web.lang, r.recordedAt, programme.timeZone, 'minute')}</span><br>${links(id, o.period.id, r.asOf)}
<details><summary>${web.t('oversight.reports.digests')}</summary><ul class="digests">${r.files.map((f) => html`<li>${f.format}: <code>sha256:${f.sha256}</code></li>`)}</ul><p class="muted">${web.t('oversight.reports.pinned', { position: r.logPosition, asOf: `${localMomentText(r.asOf, programme.timeZone, web.lang)} (${zoneOffsetText(programme.timeZone, r.asOf)})` })}</p></details></td>`;
        }
        const owedNow = o.due < today;
        return html`<td><span class="status ${owedNow ? 'late' : 'idle'}">${web.t(owedNow ? 'oversight.reports.owed' : 'oversight.reports.upcoming')}</span><br>${links(id, o.period.id, web.asOf)}</td>`;
      })}</tr>`,
    )}</tbody></table></div>`;
    return page(web, `${web.t('nav.reports')} · ${ledger.name}`, body);
  }
}
