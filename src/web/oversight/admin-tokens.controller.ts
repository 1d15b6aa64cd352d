import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { grantAllows } from '../../access/grants';
import { IssueTokenCommand, type IssueTokenResult } from '../../access/issue-token/issue-token.command';
import { ListTokensQuery, type TokenSummary } from '../../access/list-tokens/list-tokens.query';
import { RevokeTokenCommand } from '../../access/revoke-token/revoke-token.command';
import { ROLES } from '../../access/roles';
import { one } from '../../http/query-params';
import { html, type Html } from '../html';
import { csrfField, field, generalProblems, page, type FieldProblems } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { EVERY_LEDGER, grantableLedgers } from './grantable-ledgers';
import { refusal, textOf } from './refusal';

const ISSUE_FIELDS = ['unit', 'role', 'ledger', 'label', 'expiresAt'] as const;

interface Shown {
  issued?: IssueTokenResult;
  revoked?: string;
  problems?: FieldProblems;
  revokeProblems?: { tokenId: string; problems: FieldProblems };
  sent?: Record<string, unknown>;
}

/** API tokens for machines and scripts: issue one (the token shown once), revoke one, list those the admin's grants reach. */
@ApiExcludeController()
@Controller('admin/tokens')
@UseFilters(WebErrorFilter)
@Roles('admin')
export class AdminTokensController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  list(@Web() web: WebContext, @Query('ledger') ledger?: unknown): Promise<string> {
    return this.tokensPage(web, one(ledger, 'ledger') || null, {});
  }

  @Post()
  @HttpCode(200)
  async issue(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    const ledger = textOf(body, 'ledger');
    const expiresAt = textOf(body, 'expiresAt');
    try {
      const issued: IssueTokenResult = await this.commands.execute(
        new IssueTokenCommand({ unit: textOf(body, 'unit'), role: textOf(body, 'role'), ledger: ledger === EVERY_LEDGER ? null : ledger, label: textOf(body, 'label') || null, expiresAt: expiresAt || null }, web.principal!),
      );
      return this.tokensPage(web, issued.ledger, { issued });
    } catch (error) {
      return this.tokensPage(web, null, { problems: refusal(error, response, ISSUE_FIELDS, web.lang), sent: body });
    }
  }

  @Post(':tokenId/revoke')
  @HttpCode(200)
  async revoke(@Web() web: WebContext, @Param('tokenId') tokenId: string, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    try {
      await this.commands.execute(new RevokeTokenCommand(tokenId, textOf(body, 'reason'), web.principal!));
      return this.tokensPage(web, null, { revoked: tokenId });
    } catch (error) {
      return this.tokensPage(web, null, { revokeProblems: { tokenId, problems: refusal(error, response, ['reason'], web.lang) } });
    }
  }

  private async tokensPage(web: WebContext, ledger: string | null, shown: Shown): Promise<string> {
    const principal = web.principal!;
    const all: TokenSummary[] = await this.queries.execute(new ListTokensQuery({ ledger: ledger ?? undefined }));
    const tokens = all.filter((token) => principal.grants.some((grant) => grantAllows(grant, { action: 'administer', ledgerId: token.ledger })));
    const ledgers = await grantableLedgers(this.queries, principal);
    const value = (name: string, fallback = '') => (shown.sent ? textOf(shown.sent, name) : fallback);
    const body = html`${shown.issued ? issuedNotice(web, shown.issued) : ''}
${shown.revoked ? html`<div class="notice ok" role="status">${web.t('oversight.tokens.revoked', { token: shown.revoked })}</div>` : ''}
${shown.revokeProblems ? html`<div class="notice bad" role="alert">${shown.revokeProblems.tokenId}: ${[...shown.revokeProblems.problems.byField.values()].flat().concat(shown.revokeProblems.problems.general).join('; ')} ${web.t('common.nothingAppended')}</div>` : ''}
<h2 id="new-token">${web.t('oversight.tokens.new')}</h2>
<form class="stack" method="post" action="/admin/tokens" aria-labelledby="new-token">${csrfField(web)}
  ${generalProblems(web, shown.problems)}
  ${field('unit', web.t('oversight.people.unit'), (a) => html`<input ${a} required value="${value('unit')}" autocomplete="off">`, shown.problems)}
  ${field('role', web.t('oversight.admin.role'), (a) => html`<select ${a}>${ROLES.map((r) => html`<option value="${r}"${value('role') === r ? html` selected` : ''}>${web.t(`role.${r}`)}</option>`)}</select>`, shown.problems)}
  ${field('ledger', web.t('oversight.people.ledger'), (a) => html`<select ${a}>${ledgers.map((l) => html`<option value="${l}"${value('ledger', ledger ?? '') === l ? html` selected` : ''}>${l === EVERY_LEDGER ? web.t('grant.everyLedger') : l}</option>`)}</select>`, shown.problems)}
  ${field('label', web.t('oversight.tokens.label'), (a) => html`<input ${a} value="${value('label')}">`, shown.problems)}
  ${field('expiresAt', web.t('oversight.tokens.expiresAt'), (a) => html`<input ${a} value="${value('expiresAt')}" placeholder="2027-01-01T00:00:00Z">`, shown.problems)}
  <div><button type="submit">${web.t('oversight.tokens.issue')}</button></div>
</form>
<h2 id="tokens">${web.t('oversight.admin.tokens')}${ledger ? ` · ${ledger}` : ''}</h2>
<div class="table-wrap"><table aria-labelledby="tokens"><thead><tr><th>id</th><th>${web.t('oversight.tokens.label')}</th><th>${web.t('oversight.people.grants')}</th><th>${web.t('oversight.tokens.issued')}</th><th>${web.t('oversight.tokens.expiresAt')}</th><th>${web.t('oversight.people.state')}</th></tr></thead>
<tbody>${tokens.map((t) => tokenRow(web, t))}</tbody></table></div>`;
    return page(web, web.t('oversight.admin.tokens'), body);
  }
}

function tokenRow(web: WebContext, t: TokenSummary): Html {
  return html`<tr><td><code>${t.tokenId}</code></td><td>${t.label ?? ''}</td><td>${web.t(`role.${t.role}`)} · ${t.unit} · ${t.ledger ?? web.t('grant.everyLedger')}</td><td>${t.issuedAt.replace('T', ' ').slice(0, 16)}<br><span class="muted">${t.issuedBy ?? ''}</span></td><td>${t.expiresAt?.slice(0, 10) ?? '—'}</td>
<td>${t.revoked
    ? html`<span class="status idle">${web.t('oversight.tokens.revokedState')}</span> <span class="muted">${t.revoked.reason}</span>`
    : html`<form class="inline" method="post" action="/admin/tokens/${encodeURIComponent(t.tokenId)}/revoke">${csrfField(web)}<label class="sr-only" for="reason-${t.tokenId}">${web.t('oversight.tokens.revokeReason', { token: t.tokenId })}</label><input id="reason-${t.tokenId}" name="reason" required placeholder="${web.t('oversight.admin.reason')}"> <button type="submit" class="secondary">${web.t('oversight.tokens.revoke')}</button></form>`}</td></tr>`;
}

/** The token, on this answer only: the server keeps only its hash. */
function issuedNotice(web: WebContext, issued: IssueTokenResult): Html {
  return html`<div class="notice ok" role="status" id="issued-token"><p>${web.t('oversight.tokens.issuedFor', { role: web.t(`role.${issued.role}`), unit: issued.unit, expires: issued.expiresAt.slice(0, 10) })}</p>
<p><code class="secret" id="token-secret">${issued.token}</code></p><p class="muted">${web.t('oversight.people.oneTimeOnce')}</p></div>`;
}
