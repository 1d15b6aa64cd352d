import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { parseAsOf } from '../../audit/as-of';
import { DomainError } from '../../event-sourcing/domain-error';
import { one, wholeNumber } from '../../http/query-params';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { html, url } from '../html';
import { field, page, type FieldProblems } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { localDateText, localMomentText, zoneOffsetText } from '../local-moment';
import { BoardDataCache } from './board-data';
import { BOARD_STATUSES, boardView, isTaskStatus, STATUS_TONES, type BoardFilter } from './board-view';
import { ledgerNav, pager } from './ledger-nav';
import { reportingRates } from './reporting-rates';

/** Units shown per page of the board (each a row of up to 57 task cells). */
const UNITS_PER_PAGE = 50;
const OVERDUE_SHOWN = 25;

/**
 * The regulator's status board: tasks × units in the 督办 colours, filtered by unit, task, section
 * and status, the units paged; the overdue list; and who has not reported, with the reporting rates
 * the submission-timeliness report computes. As of any moment.
 */
@ApiExcludeController()
@Controller('ledgers/:ledgerId')
@UseFilters(WebErrorFilter)
export class BoardController {
  constructor(
    private readonly boards: BoardDataCache,
    private readonly directory: LedgerDirectory,
  ) {}

  @Get('board')
  @Roles('regulator', 'auditor', 'admin')
  async board(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Query() query: Record<string, unknown>): Promise<string> {
    assertMayActFor(web.principal!, { action: 'read', ledgerId });
    const asOf = parseAsOf(web.asOf ?? undefined);
    const ledger = await this.directory.get(ledgerId, asOf);
    const { filter, problems } = readFilter(web, query, ledger.units, ledger.programme.tasks.map((t) => t.number), (ledger.programme.sections ?? []).map((s) => s.id));
    const offset = wholeNumber(query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const { status, timeliness, asOfDate, instant } = await this.boards.read(ledger, asOf);
    const view = boardView(status.rows, filter, { offset, limit: UNITS_PER_PAGE });
    const texts = new Map(ledger.programme.tasks.map((t) => [t.number, t.text]));
    const keep = { unit: filter.unit, task: filter.task, section: filter.section, status: filter.status, asOf: web.asOf };
    const units = [...ledger.units.values()].filter((u) => !u.retired);
    const statusWords = Object.fromEntries(BOARD_STATUSES.map((s) => [s, web.t(`oversight.status.${s}`)]));
    const [dueWord, lastWord] = [web.t('oversight.due'), web.t('oversight.lastReport')];

    const body = html`${ledgerNav(web, ledgerId, ledger.programme)}
<p class="muted">${ledger.name} · ${ledger.programme.title} · ${web.t('oversight.asOfInstant', { instant: localMomentText(instant, ledger.programme.timeZone, web.lang) })} (${zoneOffsetText(ledger.programme.timeZone, instant)})</p>
<form class="filters" method="get" action="${web.path}" role="search" aria-label="${web.t('oversight.board.filters')}">
  ${web.asOf ? html`<input type="hidden" name="asOf" value="${web.asOf}">` : ''}
  ${field('unit', web.t('oversight.board.unit'), (a) => html`<select ${a}><option value="">${web.t('oversight.all')}</option>${units.map((u) => html`<option value="${u.id}"${filter.unit === u.id ? html` selected` : ''}>${u.name}</option>`)}</select>`, problems)}
  ${field('task', web.t('oversight.board.task'), (a) => html`<select ${a}><option value="">${web.t('oversight.all')}</option>${ledger.programme.tasks.map((t) => html`<option value="${t.number}"${filter.task === t.number ? html` selected` : ''}>${t.number} ${t.text.slice(0, 40)}</option>`)}</select>`, problems)}
  ${field('section', web.t('oversight.board.section'), (a) => html`<select ${a}><option value="">${web.t('oversight.all')}</option>${(ledger.programme.sections ?? []).map((s) => html`<option value="${s.id}"${filter.section === s.id ? html` selected` : ''}>${s.id} ${s.title.slice(0, 40)}</option>`)}</select>`, problems)}
  ${field('status', web.t('oversight.board.status'), (a) => html`<select ${a}><option value="">${web.t('oversight.all')}</option>${BOARD_STATUSES.map((s) => html`<option value="${s}"${filter.status === s ? html` selected` : ''}>${web.t(`oversight.status.${s}`)}</option>`)}</select>`, problems)}
  <div><button type="submit">${web.t('oversight.board.apply')}</button> <a href="${url(web.path, { asOf: web.asOf })}">${web.t('oversight.board.clear')}</a></div>
</form>
<ul class="legend" aria-label="${web.t('oversight.board.legend')}">${BOARD_STATUSES.map(
      (s) => html`<li><a href="${url(web.path, { ...keep, status: s, offset: undefined })}"><span class="status ${STATUS_TONES[s].tone}">${STATUS_TONES[s].glyph} ${web.t(`oversight.status.${s}`)}</span> ${view.counts[s]}</a></li>`,
    )}</ul>
<h2 id="grid">${web.t('oversight.board.grid', { pairs: view.pairs, units: view.units, tasks: view.tasks.length })}</h2>
${view.pairs === 0 ? html`<p>${web.t('oversight.board.empty')}</p>` : html`<div class="table-wrap"><table class="board" aria-labelledby="grid">
<thead><tr><th scope="col">${web.t('oversight.board.unit')}</th>${view.tasks.map((t) => html`<th scope="col" class="task" title="${texts.get(t) ?? ''}">${t}</th>`)}</tr></thead>
<tbody>${view.page.map(
          (u) => html`<tr><th scope="row"><a href="${url(web.path, { ...keep, unit: u.unit, offset: undefined })}">${u.unitName}</a></th>${view.tasks.map((t) => {
            const cell = u.cells.get(t);
            if (!cell) return html`<td class="none"></td>`;
            const tone = STATUS_TONES[cell.status];
            // The title says it in words (the glyph and colour repeat it; the row names the unit): one a cell keeps a 50 × 57 page small.
            const label = `${t}: ${statusWords[cell.status]}${cell.due ? ` · ${dueWord} ${cell.due}` : ''}${cell.lastReportOn ? ` · ${lastWord} ${cell.lastReportOn}` : ''}`;
            return html`<td class="${tone.tone}" data-status="${cell.status}" title="${label}">${tone.glyph}</td>`;
          })}</tr>`,
        )}</tbody></table></div>`}
${pager(web, keep, { offset, limit: UNITS_PER_PAGE, total: view.units })}
<h2 id="overdue">${web.t('oversight.board.overdue', { count: view.overdue.length })}</h2>
${view.overdue.length === 0 ? html`<p>${web.t('oversight.board.noOverdue')}</p>` : html`<div class="table-wrap"><table aria-labelledby="overdue">
<thead><tr><th>${web.t('oversight.board.task')}</th><th>${web.t('oversight.board.unit')}</th><th>${web.t('oversight.deadline')}</th><th>${web.t('oversight.due')}</th><th class="num">${web.t('oversight.daysLate')}</th><th>${web.t('oversight.lastReport')}</th></tr></thead>
<tbody>${view.overdue.slice(0, OVERDUE_SHOWN).map(
          (r) => html`<tr><td title="${texts.get(r.task) ?? ''}">${r.task}</td><td>${r.unitName}</td><td>${r.deadline}</td><td>${r.due ? localDateText(r.due, web.lang) : ''}</td><td class="num">${r.daysLeft === null ? '' : -r.daysLeft}</td><td>${r.lastReportOn ? localDateText(r.lastReportOn, web.lang) : '—'}</td></tr>`,
        )}</tbody></table></div>${view.overdue.length > OVERDUE_SHOWN ? html`<p class="muted">${web.t('oversight.board.moreOverdue', { shown: OVERDUE_SHOWN, total: view.overdue.length })} <a href="${url(web.path, { ...keep, status: 'overdue' })}">${web.t('oversight.status.overdue')}</a></p>` : ''}`}
${reportingRates(web, timeliness, asOfDate)}`;
    return page(web, `${web.t('nav.board')} · ${ledger.name}`, body);
  }
}

/** The board's filters, each checked against the ledger; a wrong one is named next to its control and left out. */
function readFilter(web: WebContext, query: Record<string, unknown>, units: Map<string, { retired: boolean }>, tasks: string[], sections: string[]): { filter: BoardFilter; problems: FieldProblems } {
  const problems: FieldProblems = { byField: new Map(), general: [] };
  const filter: BoardFilter = {};
  const take = (name: 'unit' | 'task' | 'section' | 'status', known: (value: string) => boolean) => {
    let value: string | undefined;
    try {
      value = one(query[name], name);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.byField.set(name, [error.problems[0].reason]);
      return;
    }
    if (!value) return;
    if (!known(value)) problems.byField.set(name, [web.t(`oversight.filter.unknown.${name}`, { value: value.slice(0, 60) })]);
    else (filter as Record<string, string>)[name] = value;
  };
  take('unit', (v) => units.has(v));
  take('task', (v) => tasks.includes(v));
  take('section', (v) => sections.includes(v));
  take('status', isTaskStatus);
  return { filter, problems };
}
