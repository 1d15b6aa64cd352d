import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { contextOf } from '../../access/principal';
import { DomainError, type Problem } from '../../event-sourcing/domain-error';
import { DownloadWorkbookQuery, type DownloadedWorkbook } from '../../ledgers/workbook/download-workbook.query';
import { UploadWorkbookCommand, type UploadWorkbookResult } from '../../ledgers/workbook/upload-workbook.command';
import { localize } from '../../i18n/problem';
import { html, url, type Html } from '../html';
import { busyStatus, csrfField, field, page } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { defaultPeriod, startedPeriods, UnitScopes, unitTabs, type UnitScope } from './unit-scope';
import type { UploadRequest } from '../upload.middleware';

type CellProblem = Problem & { sheet?: string; cell?: string };

/** The unit's Excel fill-in workbook: download it for a period, upload it back (progress shown while it is checked; refused cells listed by sheet and cell). */
@ApiExcludeController()
@Controller('ledgers/:ledgerId/units/:unitId/workbook')
@UseFilters(WebErrorFilter)
@Roles('submitter', 'admin')
export class UnitWorkbookController {
  constructor(
    private readonly scopes: UnitScopes,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  async show(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string): Promise<string> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'submit');
    return this.workbookPage(web, scope);
  }

  @Get('file')
  async download(
    @Web() web: WebContext,
    @Param('ledgerId') ledgerId: string,
    @Param('unitId') unitId: string,
    @Res({ passthrough: true }) response: Response,
    @Query('period') period?: string,
  ): Promise<StreamableFile> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'submit');
    const workbook: DownloadedWorkbook = await this.queries.execute(new DownloadWorkbookQuery(ledgerId, unitId, period || (defaultPeriod(scope) ?? '')));
    response.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(workbook.bytes, { type: workbook.contentType, disposition: `attachment; filename="${workbook.fileName}"`, length: workbook.bytes.length });
  }

  @Post()
  async upload(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Req() request: UploadRequest, @Res({ passthrough: true }) response: Response): Promise<string> {
    const scope = await this.scopes.open(web, ledgerId, unitId, 'submit');
    const problem = request.uploadProblem;
    if (problem || !request.file || request.file.size === 0) {
      response.status(problem?.kind === 'too-large' ? 413 : 400);
      const reason = problem?.kind === 'too-large' ? web.t('workbook.tooLarge', { bytes: problem.limit }) : problem?.kind === 'malformed' ? problem.reason : web.t('workbook.noFile');
      return this.workbookPage(web, scope, { fileError: reason });
    }
    try {
      const result: UploadWorkbookResult = await this.commands.execute(new UploadWorkbookCommand(request.file.buffer, contextOf(web.principal!, scope.grant), { ledgerId, unitId }));
      return this.workbookPage(web, scope, { result });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.status(error.code === 'conflict' ? 409 : error.code === 'forbidden' ? 403 : 400);
      const reasons = localize(error.problems, web.lang);
      return this.workbookPage(web, scope, { refused: error.problems.map((p, i) => ({ ...p, reason: reasons[i].reason })) });
    }
  }

  private workbookPage(web: WebContext, scope: UnitScope, outcome: { result?: UploadWorkbookResult; refused?: CellProblem[]; fileError?: string } = {}): string {
    const periods = startedPeriods(scope).map((r) => r.period.id);
    const fileErrors = outcome.fileError ? { byField: new Map([['file', [outcome.fileError]]]), general: [] } : undefined;
    return page(
      web,
      web.t('unit.workbook'),
      html`${unitTabs(web, scope, 'workbook')}
<p>${web.t('workbook.intro')}</p>
${outcome.result ? this.saved(web, scope, outcome.result) : ''}
${outcome.refused ? this.refused(web, outcome.refused) : ''}
<h2>${web.t('workbook.download')}</h2>
<form class="filters" method="get" action="${scope.base}/workbook/file">
  ${field('period', web.t('figures.period'), (a) => html`<select ${a}>${periods.map((p) => html`<option value="${p}"${p === defaultPeriod(scope) ? html` selected` : ''}>${p}</option>`)}</select>`)}
  <div><button type="submit">${web.t('workbook.download')}</button></div>
</form>
<h2>${web.t('workbook.upload')}</h2>
<form class="stack" method="post" action="${scope.base}/workbook" enctype="multipart/form-data" data-busy>${csrfField(web)}
  ${field('file', web.t('workbook.file'), (a) => html`<input ${a} type="file" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">`, fileErrors)}
  <div><button type="submit">${web.t('workbook.submit')}</button> ${busyStatus(web)}</div>
</form>`,
    );
  }

  private saved(web: WebContext, scope: UnitScope, result: UploadWorkbookResult): Html {
    const values = { progress: result.rows.progress, metric: result.rows.metric, appended: result.appended, duplicates: result.duplicates };
    return html`<div class="notice ok" role="status">${result.period}: ${web.t('workbook.saved', values)} <a href="${url(scope.base)}">${web.t('unit.workspace')}</a> · <a href="${url(`${scope.base}/figures`, { period: result.period })}">${web.t('unit.figures')}</a></div>`;
  }

  private refused(web: WebContext, problems: CellProblem[]): Html {
    return html`<div class="notice bad" role="alert"><p class="error">${web.t('workbook.refused')}</p>
<div class="table-wrap"><table><thead><tr><th scope="col">${web.t('col.sheet')}</th><th scope="col">${web.t('col.cell')}</th><th scope="col">${web.t('col.reason')}</th></tr></thead>
<tbody>${problems.map((p) => html`<tr><td>${p.sheet ?? ''}</td><td>${p.cell ?? ''}</td><td>${p.sheet ? '' : p.field ? `${p.field}: ` : ''}${p.reason}</td></tr>`)}</tbody></table></div>
<p>${web.t('common.nothingAppended')}</p></div>`;
  }
}
