import { Body, Controller, Get, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { contextOf } from '../../access/principal';
import { DomainError } from '../../event-sourcing/domain-error';
import { BulkSubmitCommand } from '../../ledgers/submit/bulk-submit.command';
import { calendarEntryFor } from '../../programmes/calendar';
import { invalidPeriod, parsePeriod } from '../../programmes/period';
import { localize, problem } from '../../i18n/problem';
import type { ReviewStatus } from '../../reviews/review-status.query';
import { html, url, type Html } from '../html';
import { asOfControl, csrfField, field, generalProblems, page } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { changedFigures, figuresInForce, numberOfInput, problemsByCell, type FigureInForce } from './figure-entries';
import { figureCells, figuresGrids, type FiguresGrid, type GridCell } from './figures-grid';
import { layoutOf } from './report-layouts';
import { heldByReview, reviewStatuses } from './review-reports';
import { markCompleteForm, mayMarkComplete, reviewStanding } from './review-cells';
import { figureLabel } from './unit-history';
import { defaultPeriod, startedPeriods, UnitScopes, unitTabs, type UnitScope } from './unit-scope';

/** The label the figures' NDJSON lines carry through BulkSubmitCommand: its problems come back as `figures:<line> <field>`. */
const FIGURES_LABEL = 'figures';

interface FormState {
  period: string;
  inForce: Map<string, FigureInForce>;
  /** What the person typed, shown again when the form is refused. */
  posted?: Record<string, unknown>;
  refused?: Map<string, string[]>;
  notices?: Html;
  general?: string[];
}

/** Entering a period's figures in the official table's layout; where they stand in review. */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/units/:unitId')
@UseFilters(WebErrorFilter)
export class UnitFiguresController {
  constructor(
    private readonly scopes: UnitScopes,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('figures')
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  async figures(
    @Web() web: WebContext,
    @Param('ledgerId') ledgerId: string,
    @Param('unitId') unitId: string,
    @Query('period') periodParam?: string,
    @Query('saved') saved?: string,
    @Query('corrected') corrected?: string,
    @Query('reviewed') reviewed?: string,
  ): Promise<string> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'read');
    const period = this.periodOf(scope, periodParam);
    const inForce = figuresInForce(await this.scopes.history(scope), period);
    let notices: Html | undefined;
    if (saved !== undefined) notices = html`<div class="notice ok" role="status">${saved === '0' ? web.t('figures.unchanged') : web.t('figures.saved', { count: saved })}</div>`;
    const correction = corrected ? [...inForce.values()].find((f) => f.eventId === corrected) : undefined;
    if (reviewed === 'complete') notices = html`<div class="notice ok" role="status">${web.t('review.done.complete')}</div>`;
    if (correction) notices = html`<div class="notice ok" role="status">${figureLabel(scope.ledger.programme, correction.metric, correction.dimensions)}: ${web.t('correction.saved', { before: correction.before ?? '', after: correction.value })}</div>`;
    return this.figuresPage(web, scope, { period, inForce, notices });
  }

  @Post('figures')
  @Roles('submitter', 'admin')
  async submitFigures(
    @Web() web: WebContext,
    @Param('ledgerId') ledgerId: string,
    @Param('unitId') unitId: string,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | void> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'submit');
    const period = this.periodOf(scope, typeof body?.period === 'string' ? body.period : undefined);
    const inForce = figuresInForce(await this.scopes.history(scope), period);
    const cells = this.grids(web, scope).flatMap(figureCells);
    const records = changedFigures(cells, body ?? {}, inForce, { ledger: ledgerId, unit: unitId, period });
    if (records.length === 0) {
      response.redirect(303, url(`${scope.base}/figures`, { period, saved: 0 }));
      return;
    }
    // All cells are checked together and appended all or none: the same path as a submitted NDJSON file.
    const ndjson = `${records.map((r) => JSON.stringify(r.record)).join('\n')}\n`;
    try {
      await this.commands.execute(new BulkSubmitCommand(ndjson, FIGURES_LABEL, contextOf(web.principal!, scope.grant)));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const { byCell, other } = problemsByCell(localize(error.problems, web.lang), records, FIGURES_LABEL);
      response.status(error.code === 'conflict' ? 409 : 400);
      return this.figuresPage(web, scope, { period, inForce, posted: body, refused: byCell, general: other });
    }
    response.redirect(303, url(`${scope.base}/figures`, { period, saved: records.length }));
  }

  /** The period asked (canonical), else the one whose report falls due next. */
  private periodOf(scope: UnitScope, asked: string | undefined): string {
    if (asked === undefined || asked === '') {
      const period = defaultPeriod(scope);
      if (!period) throw new DomainError('invalid', [problem('period', 'problem.noPeriodBegun', { programme: scope.ledger.programme.id, today: scope.today })]);
      return period;
    }
    const parsed = parsePeriod(asked);
    if (!parsed.ok) throw invalidPeriod(parsed.error);
    return parsed.period.id;
  }

  private grids(web: WebContext, scope: UnitScope): FiguresGrid[] {
    return figuresGrids(scope.ledger.programme, layoutOf, web.t('figures.total'));
  }

  private async figuresPage(web: WebContext, scope: UnitScope, state: FormState): Promise<string> {
    const grids = this.grids(web, scope);
    const parsed = parsePeriod(state.period);
    const owed = parsed.ok && calendarEntryFor(scope.ledger.programme, parsed.period) !== undefined;
    const periods = startedPeriods(scope).map((r) => r.period.id);
    if (!periods.includes(state.period)) periods.unshift(state.period);
    const reviews = owed ? await reviewStatuses(this.queries, scope.ledger, scope.unit.id, state.period) : [];
    const held = heldByReview(reviews);
    const editable = scope.maySubmit && owed && !held;
    const body =
      grids.length === 0
        ? html`<p>${web.t('unit.noMetrics')}</p>`
        : html`<form method="post" action="${scope.base}/figures">${csrfField(web)}<input type="hidden" name="period" value="${state.period}">
${state.refused && state.refused.size > 0 ? html`<div class="notice bad" role="alert"><p class="error">${web.t('figures.refused')}</p></div>` : ''}
${generalProblems(web, state.general && state.general.length > 0 ? { byField: new Map(), general: state.general } : undefined)}
${grids.map((grid) => this.gridTable(web, scope, grid, state, editable))}
${editable ? html`<p class="muted">${web.t('figures.help')}</p><div><button type="submit">${web.t('figures.submit')}</button></div>` : ''}
</form>`;
    return page(
      web,
      `${web.t('figures.title')} · ${state.period}`,
      html`${unitTabs(web, scope, 'figures')}${asOfControl(web, scope.ledger.programme.timeZone)}
<form class="filters" method="get" action="${scope.base}/figures">${web.asOf ? html`<input type="hidden" name="asOf" value="${web.asOf}">` : ''}
  ${field('period', web.t('figures.period'), (a) => html`<select ${a}>${periods.map((p) => html`<option value="${p}"${p === state.period ? html` selected` : ''}>${p}</option>`)}</select>`)}
  <div><button type="submit" class="secondary">${web.t('figures.show')}</button></div>
</form>
${state.notices ?? ''}${owed ? '' : html`<div class="notice" role="status">${web.t('figures.notOwed')}</div>`}${held ? html`<div class="notice" role="status">${web.t('review.held')}</div>` : ''}
${body}
${grids.length > 0 && reviews.length > 0 ? this.reviewSection(web, scope, reviews) : ''}`,
    );
  }

  /** Where the period's figures stand in review, and the submitter's "mark this period complete". */
  private reviewSection(web: WebContext, scope: UnitScope, reviews: ReviewStatus[]): Html {
    return html`<h2>${web.t('review.section')}</h2>
<div class="table-wrap"><table><tbody>${reviews.map(
      (status) => html`<tr><th scope="row">${status.reportId}</th><td>${reviewStanding(web, scope, status)}</td><td>${mayMarkComplete(scope, status) ? markCompleteForm(web, scope, status, 'figures') : ''}</td></tr>`,
    )}</tbody></table></div>
<p><a href="${url(`${scope.base}/review`, { period: reviews[0].period, asOf: web.asOf })}">${web.t('review.title')}</a></p>`;
  }

  private gridTable(web: WebContext, scope: UnitScope, grid: FiguresGrid, state: FormState, editable: boolean): Html {
    const valueOf = (name: string): string => {
      const posted = state.posted?.[name];
      if (typeof posted === 'string') return posted;
      const figure = state.inForce.get(name);
      return figure ? String(figure.value) : '';
    };
    const totalOf = (names: string[]): string => {
      const values = names.map((n) => numberOfInput(valueOf(n))).filter((v): v is number => typeof v === 'number');
      return values.length === 0 ? '' : String(Math.round(values.reduce((a, b) => a + b, 0) * 1e6) / 1e6);
    };
    const cell = (c: GridCell): Html => {
      if (c.kind === 'text') return html`<th scope="row">${c.text}</th>`;
      if (c.kind === 'empty') return html`<td></td>`;
      if (c.kind === 'total') return html`<td class="num" data-total-of="${c.of.join(' ')}">${totalOf(c.of)}</td>`;
      const figure = state.inForce.get(c.name);
      const errors = state.refused?.get(c.name) ?? [];
      const errorId = `${c.name}-error`;
      const input = html`<input name="${c.name}" inputmode="decimal" autocomplete="off" aria-label="${c.label}" value="${valueOf(c.name)}"${figure || !editable ? html` readonly` : ''}${errors.length > 0 ? html` aria-invalid="true" aria-describedby="${errorId}"` : ''}>`;
      return html`<td class="num${errors.length > 0 ? ' refused' : ''}">${input}${errors.length > 0 ? html`<span class="field-error" id="${errorId}">${errors.join('; ')}</span>` : ''}${figure && scope.maySubmit ? html`<a href="${scope.base}/corrections/${figure.eventId}" aria-label="${web.t('figures.correct')}: ${c.label}">${web.t('figures.correct')}</a>` : ''}</td>`;
    };
    return html`<section aria-label="${grid.caption || grid.id}">${grid.caption ? html`<h2>${grid.caption}</h2>` : ''}
<div class="table-wrap"><table class="figures" data-live-totals>
<thead>${grid.head.map((row) => html`<tr>${row.map((h) => html`<th scope="col"${h.colSpan ? html` colspan="${h.colSpan}"` : ''}${h.rowSpan ? html` rowspan="${h.rowSpan}"` : ''}>${h.text}</th>`)}</tr>`)}</thead>
<tbody>${grid.rows.map((row) => html`<tr>${row.map(cell)}</tr>`)}</tbody>
</table></div></section>`;
  }
}
