import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { parseAsOf } from '../../audit/as-of';
import { DomainError } from '../../event-sourcing/domain-error';
import { one, wholeNumber } from '../../http/query-params';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { HistoryQuery, type HistoryEntry, type HistoryFilter, type HistoryPage } from '../../ledgers/queries/history.query';
import { html, url, type Html } from '../html';
import { field, page, type FieldProblems } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { momentHtml } from '../local-moment';
import { WebActors, type ActorName } from '../web-actors';
import { ledgerNav } from './ledger-nav';

const ENTRIES_PER_PAGE = 50;
/** Fields of an event's data that name what it is about, not what it says (shown in their own columns). */
const IDS = new Set(['ledgerId', 'unitId', 'facts', 'corrects', 'correctedType', 'reason', 'late']);

/** An event's facts as short `name: value` lines (dimensions spelled out), for people to read. */
export function describeFacts(data: Record<string, unknown>): string[] {
  return Object.entries(data)
    .filter(([key, value]) => !IDS.has(key) && value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.map(spelled).join('; ') : spelled(value)}`);
}

/** One value as text: a record (dimensions, a unit, a file) as `name=value` pairs, never "[object Object]". */
function spelled(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(spelled).join(', ')}]`;
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${spelled(v)}`).join(', ');
}

const factList = (lines: string[]): Html => html`<ul class="facts">${lines.map((line) => html`<li>${line}</li>`)}</ul>`;

/**
 * The auditor's history of a ledger: its events in log order for a unit, a task, a metric or an OCOP
 * product, corrections with before and after, who, when and whether late; paged, as of any moment.
 */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/history')
@UseFilters(WebErrorFilter)
@Roles('regulator', 'auditor', 'admin')
export class HistoryPageController {
  constructor(
    private readonly queries: QueryBus,
    private readonly directory: LedgerDirectory,
    private readonly actors: WebActors,
  ) {}

  @Get()
  async show(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Query() query: Record<string, unknown>): Promise<string> {
    assertMayActFor(web.principal!, { action: 'read', ledgerId });
    const asOf = parseAsOf(web.asOf ?? undefined);
    const ledger = await this.directory.get(ledgerId, asOf);
    const programme = ledger.programme;
    const problems: FieldProblems = { byField: new Map(), general: [] };
    const filter: HistoryFilter = {};
    const known: Record<keyof HistoryFilter, (value: string) => boolean> = {
      unit: (v) => ledger.units.has(v),
      task: (v) => programme.tasks.some((t) => t.number === v),
      metric: (v) => (programme.metrics ?? []).some((m) => m.id === v),
      product: () => true,
    };
    for (const name of Object.keys(known) as (keyof HistoryFilter)[]) {
      try {
        const value = one(query[name], name);
        if (!value) continue;
        if (known[name](value)) filter[name] = value;
        else problems.byField.set(name, [web.t(`oversight.filter.unknown.${name}`, { value: value.slice(0, 60) })]);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.byField.set(name, [error.problems[0].reason]);
      }
    }
    const after = wholeNumber(query.after, 'after', 0, Number.MAX_SAFE_INTEGER);
    const before = query.before === undefined ? undefined : wholeNumber(query.before, 'before', 1, Number.MAX_SAFE_INTEGER);
    const history: HistoryPage = await this.queries.execute(new HistoryQuery(ledgerId, { ...filter, ...(before === undefined ? { after } : { before }), limit: ENTRIES_PER_PAGE, asOf }));
    const actorName = this.actors.of(ledger);
    const keep = { ...filter, asOf: web.asOf };
    const apiFile = (format: string) => url(`/api/ledgers/${encodeURIComponent(ledgerId)}/history`, { ...filter, asOf: web.asOf, format });
    const option = (value: string, label: string, selected: string | undefined) => html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;

    const body = html`${ledgerNav(web, ledgerId, programme)}
<form class="filters" method="get" action="${web.path}" role="search" aria-label="${web.t('oversight.history.filters')}">
  ${web.asOf ? html`<input type="hidden" name="asOf" value="${web.asOf}">` : ''}
  ${field('unit', web.t('oversight.board.unit'), (a) => html`<select ${a}><option value="">${web.t('oversight.all')}</option>${[...ledger.units.values()].map((u) => option(u.id, u.name, filter.unit))}</select>`, problems)}
  ${field('task', web.t('oversight.board.task'), (a) => html`<select ${a}><option value="">${web.t('oversight.all')}</option>${programme.tasks.map((t) => option(t.number, `${t.number} ${t.text.slice(0, 40)}`, filter.task))}</select>`, problems)}
  ${field('metric', web.t('oversight.history.metric'), (a) => html`<select ${a}><option value="">${web.t('oversight.all')}</option>${(programme.metrics ?? []).map((m) => option(m.id, `${m.label} (${m.id})`, filter.metric))}</select>`, problems)}
  ${field('product', web.t('oversight.history.product'), (a) => html`<input ${a} value="${filter.product ?? ''}" autocomplete="off">`, problems)}
  <div><button type="submit">${web.t('oversight.board.apply')}</button> <a href="${url(web.path, { asOf: web.asOf })}">${web.t('oversight.board.clear')}</a></div>
</form>
<p>${web.t('oversight.history.download')}: <a href="${apiFile('xlsx')}" download>xlsx</a> · <a href="${apiFile('pdf')}" download>PDF</a></p>
${history.entries.length === 0 ? html`<p>${web.t('oversight.history.empty')}</p>` : html`<div class="table-wrap"><table class="history" aria-label="${web.t('nav.history')}">
<thead><tr><th class="num">#</th><th>${web.t('oversight.history.when')}</th><th>${web.t('oversight.history.who')}</th><th>${web.t('oversight.board.unit')}</th><th>${web.t('oversight.history.what')}</th><th>${web.t('oversight.history.before')}</th><th>${web.t('oversight.history.after')}</th></tr></thead>
<tbody>${history.entries.map((e) => entryRow(web, e, ledger.units, programme.timeZone, actorName))}</tbody></table></div>`}
<nav class="pager" aria-label="${web.t('oversight.pager')}">${history.previous !== null ? html`<a href="${url(web.path, keep)}">⇤ ${web.t('oversight.pager.first')}</a> <a href="${url(web.path, { ...keep, before: history.previous })}" rel="prev">← ${web.t('oversight.pager.prev')}</a>` : ''} ${history.next !== null ? html`<a href="${url(web.path, { ...keep, after: history.next })}" rel="next">${web.t('oversight.pager.next')} →</a>` : ''}</nav>`;
    return page(web, `${web.t('nav.history')} · ${ledger.name}`, body);
  }
}

function entryRow(web: WebContext, e: HistoryEntry, units: Map<string, { name: string }>, zone: string, actorName: ActorName): Html {
  const correction = e.replaced !== null;
  const late = e.data.late as { since?: string; why?: string } | undefined;
  const after = correction ? describeFacts((e.data.facts ?? {}) as Record<string, unknown>) : describeFacts(e.data);
  return html`<tr id="event-${e.eventId}"${e.supersededBy ? html` class="superseded"` : ''}>
<td class="num">${e.position}</td>
<td>${momentHtml(web.lang, e.recordedAt, zone)}</td>
<td>${actorName(e.actor)}${e.role ? html`<br><span class="muted">${web.t(`role.${e.role}`)}</span>` : ''}</td>
<td>${e.unit ? (units.get(e.unit)?.name ?? e.unit) : ''}</td>
<td><strong title="${e.type}">${web.t(`event.${e.type}`)}</strong>${correction ? html`<br>${web.t('oversight.history.reason')}: ${String(e.data.reason ?? '')}` : ''}${late ? html`<br><span class="status behind">${web.t('oversight.history.late')}</span> <span class="muted">${late.why ?? ''}</span>` : ''}${e.supersededBy ? html`<br><span class="status idle">${web.t('oversight.history.superseded')}</span> <a href="#event-${e.supersededBy}">${e.supersededBy.slice(0, 8)}</a>` : ''}</td>
<td>${correction ? html`${factList(describeFacts(e.replaced!.data))}<span class="muted">${actorName(e.replaced!.actor)} · ${momentHtml(web.lang, e.replaced!.recordedAt, zone)}</span>` : ''}</td>
<td>${factList(after)}</td>
</tr>`;
}
