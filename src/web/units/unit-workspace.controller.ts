import { Body, Controller, Get, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { contextOf } from '../../access/principal';
import { DomainError } from '../../event-sourcing/domain-error';
import { TaskStatusQuery, type TaskStatusReport } from '../../ledgers/queries/task-status.query';
import { PROGRESS_STATUSES } from '../../ledgers/submit/record-types';
import { SubmitRecordCommand } from '../../ledgers/submit/submit-record.command';
import { assignedTasks } from '../../ledgers/workbook/workbook-plan';
import { ListReportsQuery, type RecordedReport } from '../../reports/list-reports.query';
import { localDateText } from '../local-moment';
import { reportName } from '../oversight/report-name';
import { html, url } from '../html';
import { asOfControl, csrfField, field, fieldProblems, generalProblems, page, type FieldProblems } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { metricFactsOf } from './figure-entries';
import { daysText, statusBadge } from './task-cells';
import { byUrgency } from './task-lights';
import { historyTable } from './unit-history';
import { startedPeriods, UnitScopes, unitTabs, type UnitScope } from './unit-scope';

const PROGRESS_FIELDS = ['task', 'status', 'on', 'note', 'evidence'] as const;

/** A reporting unit's workspace: its tasks by urgency, the periods and reports it owes, what it has submitted; and its progress form. */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/units/:unitId')
@UseFilters(WebErrorFilter)
export class UnitWorkspaceController {
  constructor(
    private readonly scopes: UnitScopes,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  async workspace(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Query('saved') saved?: string): Promise<string> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'read');
    const status: TaskStatusReport = await this.queries.execute(new TaskStatusQuery(ledgerId, scope.asOf, { unit: unitId }));
    const entries = await this.scopes.history(scope);
    const recorded: RecordedReport[] = await this.queries.execute(new ListReportsQuery(ledgerId));
    const texts = new Map(scope.ledger.programme.tasks.map((t) => [t.number, t.text]));
    const rows = [...status.rows].sort(byUrgency);
    const figuresByPeriod = new Map<string, number>();
    for (const entry of entries) {
      const facts = metricFactsOf(entry);
      if (facts && entry.supersededBy === null) figuresByPeriod.set(facts.period, (figuresByPeriod.get(facts.period) ?? 0) + 1);
    }
    const owed = startedPeriods(scope);
    const upcoming = owed.filter((r) => r.due >= scope.today).reverse();
    const periods = [...upcoming.slice(0, 3).reverse(), ...owed.filter((r) => r.due < scope.today).slice(0, 6)];
    const hasMetrics = (scope.ledger.programme.metrics ?? []).some((m) => !m.derivedFrom);
    return page(
      web,
      `${scope.unit.name}`,
      html`${unitTabs(web, scope, 'workspace')}${asOfControl(web, scope.ledger.programme.timeZone)}
${saved === 'progress' ? html`<div class="notice ok" role="status">${web.t('progressForm.saved')}</div>` : ''}
<p><a href="#tasks">${web.t('unit.tasks')}</a> · <a href="#periods">${web.t('unit.periods')}</a> · <a href="#history">${web.t('unit.history')}</a></p>
<h2 id="tasks">${web.t('unit.tasks')}</h2>
${rows.length === 0 ? html`<p>${web.t('unit.noTasks')}</p>` : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${web.t('col.task')}</th><th scope="col">${web.t('col.text')}</th><th scope="col">${web.t('col.deadline')}</th><th scope="col">${web.t('col.due')}</th><th scope="col">${web.t('col.status')}</th><th scope="col">${web.t('col.lastReport')}</th></tr></thead>
<tbody>${rows.map(
        (row) => html`<tr>
  <td class="nowrap">${row.task}</td>
  <td>${texts.get(row.task) ?? ''}${scope.maySubmit ? html`<br><a href="${url(`${scope.base}/progress`, { task: row.task })}">${web.t('tasks.report')}</a>` : ''}</td>
  <td>${row.deadline}</td>
  <td class="nowrap">${row.due ? localDateText(row.due, web.lang) : ''}${row.due && !row.completedOn ? html`<br><span class="muted">${daysText(web, scope.today, row.due)}</span>` : ''}</td>
  <td class="nowrap">${statusBadge(web, row)}</td>
  <td>${row.lastReportOn ? html`${web.t(`progress.${row.progress}`)} · ${localDateText(row.lastReportOn, web.lang)}` : ''}</td>
</tr>`,
      )}</tbody></table></div>`}
<h2 id="periods">${web.t('unit.periods')}</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${web.t('col.period')}</th><th scope="col">${web.t('col.reportDue')}</th><th scope="col">${web.t('col.figures')}</th><th scope="col">${web.t('col.reports')}</th></tr></thead>
<tbody>${periods.map((r) => {
        const count = figuresByPeriod.get(r.period.id) ?? 0;
        const generated = recorded.filter((report) => report.period === r.period.id).map((report) => report.reportId);
        return html`<tr>
  <td>${r.period.id}</td>
  <td class="nowrap">${localDateText(r.due, web.lang)}<br><span class="muted">${daysText(web, scope.today, r.due)}</span></td>
  <td>${hasMetrics ? html`<a href="${url(`${scope.base}/figures`, { period: r.period.id, asOf: web.asOf })}">${count > 0 ? web.t('unit.figureCount', { count }) : web.t('unit.noFigures')}</a>` : web.t('unit.noMetrics')}</td>
  <td>${scope.ledger.programme.reports.map((id) => html`<div title="${id}">${reportName(web, id)}${generated.includes(id) ? html` <span class="status ok">${web.t('unit.generated')}</span>` : ''}</div>`)}</td>
</tr>`;
      })}</tbody></table></div>
<h2 id="history">${web.t('unit.history')}</h2>
${historyTable(web, scope, entries)}`,
    );
  }

  @Get('progress')
  @Roles('submitter', 'admin')
  async progressForm(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Query('task') task?: string): Promise<string> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'submit');
    return this.progressPage(web, scope, { task: task ?? '', status: '', on: scope.today, note: '', evidence: '' });
  }

  @Post('progress')
  @Roles('submitter', 'admin')
  async submitProgress(
    @Web() web: WebContext,
    @Param('ledgerId') ledgerId: string,
    @Param('unitId') unitId: string,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | void> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'submit');
    const sent = Object.fromEntries(PROGRESS_FIELDS.map((name) => [name, typeof body?.[name] === 'string' ? (body[name] as string) : ''])) as Record<(typeof PROGRESS_FIELDS)[number], string>;
    const evidence = sent.evidence.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    const record = {
      type: 'progress',
      ledger: ledgerId,
      unit: unitId,
      task: sent.task,
      status: sent.status,
      on: sent.on,
      ...(sent.note.trim() ? { note: sent.note.trim() } : {}),
      ...(evidence.length > 0 ? { evidence } : {}),
    };
    try {
      await this.commands.execute(
        new SubmitRecordCommand(record, contextOf(web.principal!, scope.grant), { ledgerInPath: ledgerId, authorize: (ledger, unit) => assertMayActFor(web.principal!, { action: 'submit', ledgerId: ledger, unitId: unit }) }),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.status(error.code === 'forbidden' ? 403 : error.code === 'conflict' ? 409 : 400);
      return this.progressPage(web, scope, sent, fieldProblems(error.problems, PROGRESS_FIELDS, web.lang));
    }
    response.redirect(303, url(scope.base, { saved: 'progress' }));
  }

  private progressPage(web: WebContext, scope: UnitScope, sent: Record<(typeof PROGRESS_FIELDS)[number], string>, problems?: FieldProblems): string {
    const tasks = assignedTasks(scope.ledger, scope.unit);
    const chosen = tasks.find((t) => t.number === sent.task);
    return page(
      web,
      chosen ? web.t('progressForm.title', { task: chosen.number }) : web.t('tasks.report'),
      html`${unitTabs(web, scope, 'workspace')}
${chosen ? html`<blockquote>${chosen.text}<br><span class="muted">${web.t('col.deadline')}: ${chosen.deadline}</span></blockquote>` : ''}
<form class="stack" method="post" action="${scope.base}/progress">${csrfField(web)}
  ${generalProblems(web, problems)}
  ${field('task', web.t('progressForm.task'), (a) => html`<select ${a} required><option value=""></option>${tasks.map((t) => html`<option value="${t.number}"${t.number === sent.task ? html` selected` : ''}>${t.number} ${t.text.length > 60 ? `${t.text.slice(0, 60)}…` : t.text}</option>`)}</select>`, problems)}
  ${field('status', web.t('progressForm.status'), (a) => html`<select ${a} required><option value=""></option>${PROGRESS_STATUSES.map((s) => html`<option value="${s}"${s === sent.status ? html` selected` : ''}>${web.t(`progress.${s}`)}</option>`)}</select>`, problems)}
  ${field('on', web.t('progressForm.on'), (a) => html`<input ${a} type="date" required value="${sent.on}">`, problems)}
  ${field('note', web.t('progressForm.note'), (a) => html`<textarea ${a} rows="4" maxlength="4000">${sent.note}</textarea>`, problems)}
  ${field('evidence', web.t('progressForm.evidence'), (a) => html`<textarea ${a} rows="3">${sent.evidence}</textarea>`, problems)}
  <div><button type="submit">${web.t('progressForm.submit')}</button> <a href="${scope.base}">${web.t('error.back')}</a></div>
</form>`,
    );
  }
}
