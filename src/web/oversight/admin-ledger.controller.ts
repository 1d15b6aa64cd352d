import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { contextOf } from '../../access/principal';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { AddUnitsCommand, RetireUnitCommand, type LedgerChangeResult } from '../../ledgers/open-ledger/open-ledger.command';
import { html, url } from '../html';
import { busyStatus, csrfField, field, type FieldProblems, generalProblems, page } from '../layout';
import { uploadedFile, type UploadRequest } from '../upload.middleware';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { ledgerNav } from './ledger-nav';
import { refusal, textOf } from './refusal';

interface Shown {
  added?: LedgerChangeResult;
  retired?: string;
  addProblems?: FieldProblems;
  retire?: { unit: string; problems: FieldProblems };
}

/** One ledger's administration: its units (add from a units.csv, retire with a reason), and its people and tokens. */
@ApiExcludeController()
@Controller('admin/ledgers/:ledgerId')
@UseFilters(WebErrorFilter)
@Roles('admin')
export class AdminLedgerController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: LedgerDirectory,
  ) {}

  @Get()
  show(@Web() web: WebContext, @Param('ledgerId') ledgerId: string): Promise<string> {
    assertMayActFor(web.principal!, { action: 'administer', ledgerId });
    return this.ledgerPage(web, ledgerId, {});
  }

  @Post('units')
  @HttpCode(200)
  async addUnits(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Req() request: UploadRequest, @Res({ passthrough: true }) response: Response): Promise<string> {
    const context = contextOf(web.principal!, assertMayActFor(web.principal!, { action: 'administer', ledgerId }));
    const upload = uploadedFile(request, web);
    if (!upload.ok) {
      response.status(400);
      return this.ledgerPage(web, ledgerId, { addProblems: { byField: new Map([['file', [upload.reason]]]), general: [] } });
    }
    try {
      const added: LedgerChangeResult = await this.commands.execute(new AddUnitsCommand(ledgerId, upload.bytes.toString('utf8'), upload.name, context));
      return this.ledgerPage(web, ledgerId, { added });
    } catch (error) {
      return this.ledgerPage(web, ledgerId, { addProblems: refusal(error, response, ['file'], web.lang, { units: 'file' }) });
    }
  }

  @Post('units/:unitId/retire')
  @HttpCode(200)
  async retire(@Web() web: WebContext, @Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    const context = contextOf(web.principal!, assertMayActFor(web.principal!, { action: 'administer', ledgerId }));
    try {
      await this.commands.execute(new RetireUnitCommand(ledgerId, unitId, textOf(body, 'reason'), context));
      return this.ledgerPage(web, ledgerId, { retired: unitId });
    } catch (error) {
      return this.ledgerPage(web, ledgerId, { retire: { unit: unitId, problems: refusal(error, response, ['reason'], web.lang) } });
    }
  }

  private async ledgerPage(web: WebContext, ledgerId: string, shown: Shown): Promise<string> {
    const ledger = await this.directory.get(ledgerId);
    const base = `/admin/ledgers/${encodeURIComponent(ledgerId)}`;
    const roles = new Map(ledger.programme.roles.map((r) => [r.id, r.name]));
    const units = [...ledger.units.values()];
    const body = html`${ledgerNav({ ...web, asOf: null }, ledgerId, ledger.programme, { asOf: false })}
<p class="muted">${ledger.ledgerId} · ${ledger.programme.id} v${ledger.programmeVersion} · <a href="${url('/admin/people', { ledger: ledgerId })}">${web.t('oversight.admin.people')}</a> · <a href="${url('/admin/tokens', { ledger: ledgerId })}">${web.t('oversight.admin.tokens')}</a></p>
${shown.added ? html`<div class="notice ok" role="status">${web.t('oversight.admin.unitsAdded', { units: shown.added.units })}</div>` : ''}
${shown.retired ? html`<div class="notice ok" role="status">${web.t('oversight.admin.unitRetired', { unit: shown.retired })}</div>` : ''}
${shown.retire ? html`<div class="notice bad" role="alert">${shown.retire.unit}: ${[...shown.retire.problems.byField.values()].flat().concat(shown.retire.problems.general).join('; ')} ${web.t('common.nothingAppended')}</div>` : ''}
<h2 id="units">${web.t('oversight.admin.units', { count: units.filter((u) => !u.retired).length })}</h2>
<div class="table-wrap"><table aria-labelledby="units"><thead><tr><th>id</th><th>${web.t('oversight.admin.unitName')}</th><th>${web.t('oversight.admin.role')}</th><th>${web.t('oversight.admin.parent')}</th><th>${web.t('oversight.admin.retire')}</th></tr></thead>
<tbody>${units.map(
      (u) => html`<tr><td>${u.id}</td><td>${u.name}</td><td>${roles.get(u.role) ?? u.role}</td><td>${u.parent ?? ''}</td><td>${u.retired ? html`<span class="status idle">${web.t('oversight.admin.retired')}</span>` : html`<form class="inline" method="post" action="${base}/units/${encodeURIComponent(u.id)}/retire">${csrfField(web)}<label for="reason-${u.id}" class="sr-only">${web.t('oversight.admin.retireReason', { unit: u.name })}</label><input id="reason-${u.id}" name="reason" required placeholder="${web.t('oversight.admin.reason')}"> <button type="submit" class="secondary" data-confirm="${web.t('oversight.admin.retireConfirm', { unit: u.name })}">${web.t('oversight.admin.retire')}</button></form>`}</td></tr>`,
    )}</tbody></table></div>
<h2 id="add-units">${web.t('oversight.admin.addUnits')}</h2>
<form class="stack" method="post" action="${base}/units" enctype="multipart/form-data" data-busy aria-labelledby="add-units">${csrfField(web)}
  ${generalProblems(web, shown.addProblems)}
  ${field('file', web.t('oversight.admin.unitsCsv'), (a) => html`<input ${a} type="file" accept=".csv,text/csv" required>`, shown.addProblems)}
  <p class="muted">${web.t('oversight.admin.unitsCsvHelp')}</p>
  <div><button type="submit">${web.t('oversight.admin.add')}</button> ${busyStatus(web)}</div>
</form>`;
    return page(web, `${web.t('nav.admin')} · ${ledger.name}`, body);
  }
}
