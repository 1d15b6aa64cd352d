import { Body, Controller, Get, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { contextOf } from '../../access/principal';
import { OpenLedgerCommand, type LedgerChangeResult } from '../../ledgers/open-ledger/open-ledger.command';
import { ReachableLedgersQuery, type ReachableLedger } from '../../ledgers/queries/reachable-ledgers.query';
import { ListProgrammesQuery, type ProgrammeSummary } from '../../programmes/queries/programme-queries';
import { RegisterProgrammeCommand, type RegisterProgrammeResult } from '../../programmes/register-programme/register-programme.command';
import { html, url, type Html } from '../html';
import { busyStatus, csrfField, field, type FieldProblems, generalProblems, page } from '../layout';
import { uploadedFile, type UploadRequest } from '../upload.middleware';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { refusal, textOf } from './refusal';

const PROGRAMME_FIELDS = ['file'] as const;
const LEDGER_FIELDS = ['ledgerId', 'programme', 'name', 'file'] as const;

interface Shown {
  ledger?: { problems?: FieldProblems; result?: LedgerChangeResult; sent?: Record<string, unknown> };
}

/**
 * The administrator's start: programmes (import or amend one from its YAML file), ledgers (open one
 * with its units.csv), and the way to people and tokens. Writes go through the API's commands.
 */
@ApiExcludeController()
@Controller('admin')
@UseFilters(WebErrorFilter)
@Roles('admin')
export class AdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  show(@Web() web: WebContext): Promise<string> {
    return this.adminPage(web, {});
  }

  @Get('programmes')
  programmes(@Web() web: WebContext): Promise<string> {
    return this.programmesPage(web, {});
  }

  @Post('programmes')
  @HttpCode(200)
  async importProgramme(@Web() web: WebContext, @Req() request: UploadRequest, @Res({ passthrough: true }) response: Response): Promise<string> {
    const principal = web.principal!;
    try {
      // Programmes serve every ledger: only an admin of every ledger registers or amends one.
      const context = contextOf(principal, assertMayActFor(principal, { action: 'administer', ledgerId: null }));
      const upload = uploadedFile(request, web);
      if (!upload.ok) {
        response.status(400);
        return this.programmesPage(web, { problems: { byField: new Map([['file', [upload.reason]]]), general: [] } });
      }
      const result: RegisterProgrammeResult = await this.commands.execute(new RegisterProgrammeCommand(upload.bytes.toString('utf8'), upload.name, context));
      return this.programmesPage(web, { result });
    } catch (error) {
      return this.programmesPage(web, { problems: refusal(error, response, PROGRAMME_FIELDS, web.lang) });
    }
  }

  @Post('ledgers')
  @HttpCode(200)
  async openLedger(@Web() web: WebContext, @Req() request: UploadRequest, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    const principal = web.principal!;
    const ledgerId = textOf(body, 'ledgerId');
    try {
      const context = contextOf(principal, assertMayActFor(principal, { action: 'administer', ledgerId: ledgerId || null }));
      const upload = uploadedFile(request, web);
      const problems: FieldProblems = { byField: new Map(), general: [] };
      if (!ledgerId) problems.byField.set('ledgerId', [web.t('oversight.required')]);
      if (!textOf(body, 'programme')) problems.byField.set('programme', [web.t('oversight.required')]);
      if (!upload.ok) problems.byField.set('file', [upload.reason]);
      if (problems.byField.size > 0 || !upload.ok) {
        response.status(400);
        return this.adminPage(web, { ledger: { problems, sent: body } });
      }
      const result: LedgerChangeResult = await this.commands.execute(new OpenLedgerCommand(ledgerId, textOf(body, 'programme'), textOf(body, 'name'), upload.bytes.toString('utf8'), upload.name, context));
      return this.adminPage(web, { ledger: { result } });
    } catch (error) {
      return this.adminPage(web, { ledger: { problems: refusal(error, response, LEDGER_FIELDS, web.lang, { units: 'file' }), sent: body } });
    }
  }

  private async adminPage(web: WebContext, shown: Shown): Promise<string> {
    const principal = web.principal!;
    const programmes: ProgrammeSummary[] = await this.queries.execute(new ListProgrammesQuery());
    const ledgers: ReachableLedger[] = await this.queries.execute(new ReachableLedgersQuery(principal));
    const administered = ledgers.filter((l) => l.grants.some((g) => g.role === 'admin'));
    const sent = (name: string) => textOf(shown.ledger?.sent, name);
    const body = html`<nav class="subnav" aria-label="${web.t('nav.admin')}"><ul><li><a href="/admin/people">${web.t('oversight.admin.people')}</a></li><li><a href="/admin/tokens">${web.t('oversight.admin.tokens')}</a></li><li><a href="/admin/programmes">${web.t('oversight.admin.programmes')}</a></li></ul></nav>
<h2 id="ledgers">${web.t('oversight.admin.ledgers')}</h2>
${administered.length === 0 ? html`<p>${web.t('home.none')}</p>` : html`<ul>${administered.map((l) => html`<li><a href="/admin/ledgers/${encodeURIComponent(l.ledgerId)}">${l.name}</a> <span class="muted">${l.ledgerId} · ${l.programmeId}</span></li>`)}</ul>`}
<h3 id="open-ledger">${web.t('oversight.admin.openLedger')}</h3>
${shown.ledger?.result ? html`<div class="notice ok" role="status">${web.t('oversight.admin.opened', { ledger: shown.ledger.result.ledgerId, units: shown.ledger.result.units })} <a href="/admin/ledgers/${encodeURIComponent(shown.ledger.result.ledgerId)}">${web.t('oversight.admin.manage')}</a></div>` : ''}
<form class="stack" method="post" action="/admin/ledgers" enctype="multipart/form-data" data-busy aria-labelledby="open-ledger">${csrfField(web)}
  ${generalProblems(web, shown.ledger?.problems)}
  ${field('ledgerId', web.t('oversight.admin.ledgerId'), (a) => html`<input ${a} required pattern="[a-z0-9][a-z0-9._-]*" value="${sent('ledgerId')}" placeholder="gd-2021" autocomplete="off">`, shown.ledger?.problems)}
  ${field('programme', web.t('oversight.admin.programme'), (a) => html`<select ${a} required>${programmes.map((p) => html`<option value="${p.id}"${sent('programme') === p.id ? html` selected` : ''}>${p.id} — ${p.title}</option>`)}</select>`, shown.ledger?.problems)}
  ${field('name', web.t('oversight.admin.ledgerName'), (a) => html`<input ${a} value="${sent('name')}" placeholder="广东省">`, shown.ledger?.problems)}
  ${field('file', web.t('oversight.admin.unitsCsv'), (a) => html`<input ${a} type="file" accept=".csv,text/csv" required>`, shown.ledger?.problems)}
  <p class="muted">${web.t('oversight.admin.unitsCsvHelp')}</p>
  <div><button type="submit">${web.t('oversight.admin.open')}</button> ${busyStatus(web)}</div>
</form>
`;
    return page(web, web.t('nav.admin'), body);
  }

  private async programmesPage(web: WebContext, shown: { problems?: FieldProblems; result?: RegisterProgrammeResult }): Promise<string> {
    const programmes: ProgrammeSummary[] = await this.queries.execute(new ListProgrammesQuery());
    const everyLedger = web.principal!.grants.some((g) => g.role === 'admin' && g.ledger === null);
    const body = html`<p><a href="/admin">← ${web.t('nav.admin')}</a></p>
<h2 id="programmes">${web.t('oversight.admin.programmes')}</h2>
<div class="table-wrap"><table aria-labelledby="programmes"><thead><tr><th>${web.t('oversight.admin.programme')}</th><th class="num">${web.t('oversight.admin.version')}</th><th class="num">${web.t('oversight.admin.tasks')}</th><th>${web.t('oversight.admin.recorded')}</th></tr></thead>
<tbody>${programmes.map((p) => html`<tr><td><strong>${p.id}</strong><br>${p.title}</td><td class="num">${p.version}</td><td class="num">${p.tasks}</td><td>${p.recordedAt.replace('T', ' ').slice(0, 19)}<br><span class="muted">${p.importedFrom}</span></td></tr>`)}</tbody></table></div>
<h3 id="import">${web.t('oversight.admin.import')}</h3>
${everyLedger ? programmeForm(web, shown) : html`<p class="muted">${web.t('oversight.admin.importEveryLedger')}</p>`}`;
    return page(web, web.t('oversight.admin.programmes'), body);
  }
}

function programmeForm(web: WebContext, shown: { problems?: FieldProblems; result?: RegisterProgrammeResult }): Html {
  const result = shown?.result;
  return html`${result ? html`<div class="notice ok" role="status">${web.t(`oversight.admin.programme.${result.outcome}`, { programme: result.programmeId, version: result.version })}</div>` : ''}
<form class="stack" method="post" action="/admin/programmes" enctype="multipart/form-data" data-busy aria-labelledby="import">${csrfField(web)}
  ${generalProblems(web, shown?.problems)}
  ${field('file', web.t('oversight.admin.programmeFile'), (a) => html`<input ${a} type="file" accept=".yaml,.yml,.json" required>`, shown?.problems)}
  <div><button type="submit">${web.t('oversight.admin.importButton')}</button> ${busyStatus(web)}</div>
</form>
<p class="muted"><a href="${url('/api/docs')}">OpenAPI</a> · templates/programmes/README.md</p>`;
}

