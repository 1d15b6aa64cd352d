import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { parseAsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { ReachableLedgersQuery, type ReachableLedger } from '../../ledgers/queries/reachable-ledgers.query';
import { TaskStatusQuery, type TaskStatusReport, type TaskStatusRow } from '../../ledgers/queries/task-status.query';
import { localDateOf } from '../../programmes/local-time';
import { html, url } from '../html';
import { asOfControl, field, page } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { localDateText } from '../local-moment';
import { byUrgency, isLight, lightOf, LIGHTS } from './task-lights';
import { daysText, statusBadge } from './task-cells';

interface MyTask extends TaskStatusRow {
  ledgerId: string;
  ledgerName: string;
  text: string;
  today: string;
  maySubmit: boolean;
}

/** "My tasks": every (task, unit) the person reports for or reviews, across their ledgers, most urgent first. */
@ApiExcludeController()
@Controller('tasks')
@UseFilters(WebErrorFilter)
export class MyTasksController {
  constructor(
    private readonly queries: QueryBus,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
  ) {}

  @Get()
  @Roles('submitter', 'reviewer')
  async myTasks(@Web() web: WebContext, @Query('ledger') ledgerFilter?: string, @Query('light') lightFilter?: string): Promise<string> {
    const principal = web.principal!;
    const asOf = parseAsOf(web.asOf ?? undefined);
    const ledgers: ReachableLedger[] = await this.queries.execute(new ReachableLedgersQuery(principal));
    const tasks: MyTask[] = [];
    // The as-of control speaks the time zone of the (first) programme shown.
    let zone: string | undefined;
    for (const ledger of ledgers) {
      if (ledgerFilter && ledger.ledgerId !== ledgerFilter) continue;
      const units = [...new Set(ledger.grants.filter((g) => g.role === 'submitter' || g.role === 'reviewer').map((g) => g.unit))];
      if (units.length === 0) continue;
      const definition = await this.directory.get(ledger.ledgerId, asOf);
      zone ??= definition.programme.timeZone;
      const texts = new Map(definition.programme.tasks.map((t) => [t.number, t.text]));
      const today = localDateOf(this.moments.resolve(asOf).instant, definition.programme.timeZone);
      for (const unit of units) {
        assertMayActFor(principal, { action: 'read', ledgerId: ledger.ledgerId, unitId: unit });
        const maySubmit = asOf.kind === 'now' && ledger.grants.some((g) => g.role === 'submitter' && g.unit === unit);
        const status: TaskStatusReport = await this.queries.execute(new TaskStatusQuery(ledger.ledgerId, asOf, { unit }));
        for (const row of status.rows) tasks.push({ ...row, ledgerId: ledger.ledgerId, ledgerName: ledger.name, text: texts.get(row.task) ?? '', today, maySubmit });
      }
    }
    const light = isLight(lightFilter) ? lightFilter : undefined;
    const shown = tasks.filter((t) => !light || lightOf(t) === light).sort(byUrgency);
    const manyUnits = new Set(tasks.map((t) => `${t.ledgerId}/${t.unit}`)).size > 1;
    const unitBase = (t: MyTask) => `/ledgers/${encodeURIComponent(t.ledgerId)}/units/${encodeURIComponent(t.unit)}`;
    return page(
      web,
      web.t('tasks.title'),
      html`${asOfControl(web, zone ?? 'UTC')}
<form class="filters" method="get" action="/tasks">${web.asOf ? html`<input type="hidden" name="asOf" value="${web.asOf}">` : ''}
  ${field('ledger', web.t('filter.ledger'), (a) => html`<select ${a}><option value="">${web.t('filter.all')}</option>${ledgers.map((l) => html`<option value="${l.ledgerId}"${l.ledgerId === ledgerFilter ? html` selected` : ''}>${l.name}</option>`)}</select>`)}
  ${field('light', web.t('filter.light'), (a) => html`<select ${a}><option value="">${web.t('filter.all')}</option>${LIGHTS.map((l) => html`<option value="${l}"${l === light ? html` selected` : ''}>${web.t(`light.${l}`)}</option>`)}</select>`)}
  <div><button type="submit" class="secondary">${web.t('filter.apply')}</button></div>
</form>
<p class="muted">${web.t('tasks.count', { count: shown.length })}</p>
${shown.length === 0 ? html`<p>${web.t('tasks.none')}</p>` : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${web.t('col.status')}</th><th scope="col">${web.t('col.ledger')}</th>${manyUnits ? html`<th scope="col">${web.t('col.unit')}</th>` : ''}<th scope="col">${web.t('col.task')}</th><th scope="col">${web.t('col.text')}</th><th scope="col">${web.t('col.deadline')}</th><th scope="col">${web.t('col.due')}</th><th scope="col">${web.t('col.lastReport')}</th></tr></thead>
<tbody>${shown.map(
        (t) => html`<tr>
  <td class="nowrap">${statusBadge(web, t)}</td>
  <td class="nowrap"><a href="${url(unitBase(t), { asOf: web.asOf })}">${t.ledgerName}</a></td>
  ${manyUnits ? html`<td>${t.unitName}</td>` : ''}
  <td class="nowrap">${t.task}</td>
  <td>${t.text}${t.maySubmit ? html`<br><a href="${url(`${unitBase(t)}/progress`, { task: t.task })}">${web.t('tasks.report')}</a>` : ''}</td>
  <td>${t.deadline}</td>
  <td class="nowrap">${t.due ? localDateText(t.due, web.lang) : ''}${t.due && !t.completedOn ? html`<br><span class="muted">${daysText(web, t.today, t.due)}</span>` : ''}</td>
  <td>${t.lastReportOn ? html`${web.t(`progress.${t.progress}`)} · ${localDateText(t.lastReportOn, web.lang)}` : ''}</td>
</tr>`,
      )}</tbody></table></div>`}`,
    );
  }
}
