import { Body, Controller, Get, Param, Post, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { contextOf } from '../../access/principal';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { SubmitRecordCommand, type SubmitResult } from '../../ledgers/submit/submit-record.command';
import { html, url } from '../html';
import { csrfField, field, fieldProblems, generalProblems, page, type FieldProblems } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { figuresInForce, numberOfInput, type FigureInForce } from './figure-entries';
import { figureLabel } from './unit-history';
import { UnitScopes, unitTabs, type UnitScope } from './unit-scope';

const CORRECTION_FIELDS = ['value', 'reason', 'corrects'] as const;

/** Correcting a figure of the unit with a reason: the figure in force shown before, the new value after; the figures page then shows both. */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/units/:unitId/corrections')
@UseFilters(WebErrorFilter)
@Roles('submitter', 'admin')
export class UnitCorrectionController {
  constructor(
    private readonly scopes: UnitScopes,
    private readonly commands: CommandBus,
  ) {}

  @Get(':eventId')
  async correctionForm(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Param('eventId') eventId: string): Promise<string> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'submit');
    return this.correctionPage(web, scope, await this.figureInForce(scope, eventId), { value: '', reason: '' });
  }

  @Post(':eventId')
  async submitCorrection(
    @Web() web: WebContext,
    @Param('ledgerId') ledgerId: string,
    @Param('unitId') unitId: string,
    @Param('eventId') eventId: string,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | void> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'submit');
    const figure = await this.figureInForce(scope, eventId);
    const sent = { value: typeof body?.value === 'string' ? body.value : '', reason: typeof body?.reason === 'string' ? body.reason : '' };
    const record = { type: 'correction', ledger: ledgerId, unit: unitId, corrects: eventId, reason: sent.reason, value: sent.value.trim() === '' ? undefined : numberOfInput(sent.value.trim()) };
    let result: SubmitResult;
    try {
      result = await this.commands.execute(
        new SubmitRecordCommand(record, contextOf(web.principal!, scope.grant), { ledgerInPath: ledgerId, authorize: (ledger, unit) => assertMayActFor(web.principal!, { action: 'submit', ledgerId: ledger, unitId: unit }) }),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.status(error.code === 'conflict' ? 409 : error.code === 'forbidden' ? 403 : 400);
      // A correction without a replacement fact is refused as "(record)": it is the value that is missing.
      const problems = error.problems.map((p) => (p.field === '(record)' ? { ...p, field: 'value' } : p));
      return this.correctionPage(web, scope, figure, sent, fieldProblems(problems, CORRECTION_FIELDS, web.lang));
    }
    response.redirect(303, url(`${scope.base}/figures`, { period: figure.period, corrected: result.eventId }));
  }

  /** The figure of the unit an event holds now; a 404 naming the event otherwise (another unit's, superseded, or a progress report). */
  private async figureInForce(scope: UnitScope, eventId: string): Promise<FigureInForce> {
    const entries = await this.scopes.history(scope);
    const entry = entries.find((e) => e.eventId === eventId && e.supersededBy === null);
    const period = entry && (entry.type === 'MetricReported' ? entry.data.period : entry.type === 'SubmissionCorrected' ? (entry.data.facts as { period?: unknown }).period : undefined);
    const figure = typeof period === 'string' ? [...figuresInForce(entries, period).values()].find((f) => f.eventId === eventId) : undefined;
    if (!figure) throw new DomainError('not-found', [problem('corrects', 'problem.notFigureInForce', { id: eventId, unit: scope.unit.id })]);
    return figure;
  }

  private correctionPage(web: WebContext, scope: UnitScope, figure: FigureInForce, sent: { value: string; reason: string }, problems?: FieldProblems): string {
    return page(
      web,
      web.t('correction.title'),
      html`${unitTabs(web, scope, 'figures')}
<form class="stack" method="post" action="${scope.base}/corrections/${figure.eventId}">${csrfField(web)}
  ${generalProblems(web, problems)}
  <dl>
    <dt>${web.t('correction.figure')}</dt><dd>${figureLabel(scope.ledger.programme, figure.metric, figure.dimensions)} · ${figure.period}</dd>
    <dt>${web.t('correction.before')}</dt><dd><strong id="before">${figure.value}</strong></dd>
  </dl>
  ${field('value', web.t('correction.value'), (a) => html`<input ${a} inputmode="decimal" autocomplete="off" required value="${sent.value}">`, problems)}
  ${field('reason', web.t('correction.reason'), (a) => html`<textarea ${a} rows="3" maxlength="2000" required>${sent.reason}</textarea>`, problems)}
  <div><button type="submit">${web.t('correction.submit')}</button> <a href="${url(`${scope.base}/figures`, { period: figure.period })}">${web.t('error.back')}</a></div>
</form>`,
    );
  }
}
