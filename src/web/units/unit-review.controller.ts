import { Body, Controller, Get, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { grantAllows } from '../../access/grants';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { ApproveFiguresCommand, MarkCompleteCommand, ReturnFiguresCommand, type UnitFigures } from '../../reviews/review-step.command';
import type { ReviewStatus } from '../../reviews/review-status.query';
import { html, url, type Html } from '../html';
import { csrfField, field, fieldProblems, generalProblems, page, type FieldProblems } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { markCompleteForm, mayMarkComplete, reviewStanding } from './review-cells';
import { reviewStatuses } from './review-reports';
import { defaultPeriod, startedPeriods, UnitScopes, unitTabs, type UnitScope } from './unit-scope';

const STEPS = ['complete', 'approve', 'return'] as const;
type Step = (typeof STEPS)[number];

/** The review of a unit's figures for a period: its submitter marks them complete; a reviewer of the unit approves them or returns them with a reason. */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/units/:unitId/review')
@UseFilters(WebErrorFilter)
export class UnitReviewController {
  constructor(
    private readonly scopes: UnitScopes,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  async show(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Query('period') period?: string, @Query('done') done?: string): Promise<string> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'read');
    return this.reviewPage(web, scope, period || (defaultPeriod(scope) ?? ''), { done: STEPS.find((s) => s === done) });
  }

  @Post(':step')
  @Roles('submitter', 'reviewer', 'admin')
  async step(
    @Web() web: WebContext,
    @Param('ledgerId') ledgerId: string,
    @Param('unitId') unitId: string,
    @Param('step') step: string,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | void> {
    if (!STEPS.includes(step as Step)) throw new DomainError('not-found', [problem('step', 'problem.unknownReviewStep', { step })]);
    const scope = await this.scopes.open(web, ledgerId, unitId, 'read');
    const text = (name: string) => (typeof body?.[name] === 'string' ? (body[name] as string) : '');
    const figures: UnitFigures = { ledgerId, unitId, reportId: text('reportId'), period: text('period') };
    const principal = web.principal!;
    // The commands check the grant on the exact unit (submit to mark complete, review to approve or return).
    try {
      if (step === 'complete') await this.commands.execute(new MarkCompleteCommand(figures, principal));
      else if (step === 'approve') await this.commands.execute(new ApproveFiguresCommand(figures, principal));
      else await this.commands.execute(new ReturnFiguresCommand(figures, text('reason'), principal));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.status(error.code === 'conflict' ? 409 : error.code === 'forbidden' ? 403 : error.code === 'not-found' ? 404 : 400);
      return this.reviewPage(web, scope, figures.period, { problems: fieldProblems(error.problems, ['reason'], web.lang), reportId: figures.reportId, reason: text('reason') });
    }
    const back = text('back') === 'figures' ? 'figures' : 'review';
    response.redirect(303, url(`${scope.base}/${back}`, { period: figures.period, [back === 'figures' ? 'reviewed' : 'done']: step }));
  }

  private async reviewPage(web: WebContext, scope: UnitScope, period: string, state: { done?: Step; problems?: FieldProblems; reportId?: string; reason?: string }): Promise<string> {
    const mayReview = scope.asOf.kind === 'now' && web.principal!.grants.some((g) => grantAllows(g, { action: 'review', ledgerId: scope.ledger.ledgerId, unitId: scope.unit.id }));
    const periods = startedPeriods(scope).map((r) => r.period.id);
    const statuses = period ? await reviewStatuses(this.queries, scope.ledger, scope.unit.id, period) : [];
    const row = (status: ReviewStatus): Html => {
      const unitState = status.units[0].state;
      const hidden = html`${csrfField(web)}<input type="hidden" name="reportId" value="${status.reportId}"><input type="hidden" name="period" value="${status.period}">`;
      const errors = state.reportId === status.reportId ? (state.problems?.byField.get('reason') ?? []) : [];
      const reasonId = `reason-${status.reportId}`;
      return html`<tr><th scope="row">${status.reportId}</th>
  <td>${reviewStanding(web, scope, status)}</td>
  <td>${mayMarkComplete(scope, status) ? markCompleteForm(web, scope, status, 'review') : ''}
  ${mayReview && unitState === 'complete' ? html`<form method="post" action="${scope.base}/review/approve">${hidden}<button type="submit">${web.t('review.approve')}</button></form>` : ''}
  ${
    mayReview && (unitState === 'complete' || unitState === 'approved')
      ? html`<form class="stack" method="post" action="${scope.base}/review/return">${hidden}
    <div class="field"><label for="${reasonId}">${web.t('review.reason')}</label><textarea id="${reasonId}" name="reason" rows="2" maxlength="2000"${errors.length > 0 ? html` aria-invalid="true" aria-describedby="${reasonId}-error"` : ''}>${state.reportId === status.reportId ? (state.reason ?? '') : ''}</textarea>${errors.length > 0 ? html`<div class="field-error" id="${reasonId}-error">${errors.join('; ')}</div>` : ''}</div>
    <div><button type="submit" class="secondary">${web.t('review.return')}</button></div></form>`
      : ''
  }</td></tr>`;
    };
    return page(
      web,
      `${web.t('review.title')} · ${period}`,
      html`${unitTabs(web, scope, 'review')}
<form class="filters" method="get" action="${scope.base}/review">
  ${field('period', web.t('figures.period'), (a) => html`<select ${a}>${periods.map((p) => html`<option value="${p}"${p === period ? html` selected` : ''}>${p}</option>`)}</select>`)}
  <div><button type="submit" class="secondary">${web.t('figures.show')}</button></div>
</form>
${state.done ? html`<div class="notice ok" role="status">${web.t(`review.done.${state.done}`)}</div>` : ''}
${generalProblems(web, state.problems)}
<p><a href="${url(`${scope.base}/figures`, { period })}">${web.t('review.seeFigures')}</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${web.t('col.reports')}</th><th scope="col">${web.t('col.status')}</th><th scope="col">${web.t('review.actions')}</th></tr></thead>
<tbody>${statuses.map(row)}</tbody></table></div>`,
    );
  }
}
