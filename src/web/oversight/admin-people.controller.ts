import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/auth.guard';
import { grantAllows } from '../../access/grants';
import { CreatePersonCommand, type CreatePersonResult } from '../../access/people/create-person.command';
import { ListPeopleQuery, type PersonSummary } from '../../access/people/list-people.query';
import { ManagePersonCommand, type ManagePersonResult, type PersonChange } from '../../access/people/manage-person.command';
import type { Language } from '../../access/people/person.decider';
import type { Grant, Principal } from '../../access/principal';
import { ROLES } from '../../access/roles';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { one } from '../../http/query-params';
import { LANG_NAMES, LANGS } from '../../i18n/languages';
import { html, url, type Html } from '../html';
import { csrfField, field, generalProblems, page, type FieldProblems } from '../layout';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';
import { EVERY_LEDGER, grantableLedgers } from './grantable-ledgers';
import { refusal, textOf } from './refusal';

const CREATE_FIELDS = ['login', 'name', 'contact', 'language', 'role', 'unit', 'ledger'] as const;

/** The people an admin may manage: those whose every grant it could have given (as the API lists them). */
function manageable(principal: Principal, people: PersonSummary[]): PersonSummary[] {
  return people.filter((person) => person.grants.every((grant) => principal.grants.some((mine) => grantAllows(mine, { action: 'administer', ledgerId: grant.ledger }))));
}

const grantLine = (g: Grant) => `${g.role} ${g.unit} ${g.ledger ?? EVERY_LEDGER}`;

/** Grants typed one a line, `role unit ledger` (`*`: every ledger); a malformed line is named by its number. */
export function parseGrantLines(text: string): { grants: Grant[]; problems: string[] } {
  const grants: Grant[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    if (words.length !== 3) problems.push(`${index + 1}: "${line.trim().slice(0, 80)}"`);
    else grants.push({ role: words[0] as Grant['role'], unit: words[1], ledger: words[2] === EVERY_LEDGER ? null : words[2] });
  });
  return { grants, problems };
}

/** A grant problem (`grants[0].unit`) named by the create form's own field. */
const ownField = (problems: { field?: string; reason: string }[]) => problems.map((p) => ({ ...p, field: p.field?.replace(/^grants\[\d+\]\./, '') }));

/**
 * People's accounts for administrators: the list, a new account (its one-time password shown once,
 * on the answer to the form and never again), and per person: grants, password reset (a new
 * one-time password, once), disable and enable. Through CreatePersonCommand and ManagePersonCommand.
 */
@ApiExcludeController()
@Controller('admin/people')
@UseFilters(WebErrorFilter)
@Roles('admin')
export class AdminPeopleController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  list(@Web() web: WebContext, @Query('ledger') ledger?: unknown): Promise<string> {
    return this.peoplePage(web, one(ledger, 'ledger') || null, {});
  }

  @Post()
  @HttpCode(200)
  async create(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    const ledger = textOf(body, 'ledger');
    const grant: Grant = { role: textOf(body, 'role') as Grant['role'], unit: textOf(body, 'unit'), ledger: ledger === EVERY_LEDGER ? null : ledger };
    try {
      const created: CreatePersonResult = await this.commands.execute(
        new CreatePersonCommand({ login: textOf(body, 'login'), name: textOf(body, 'name'), contact: textOf(body, 'contact'), language: textOf(body, 'language') as Language, grants: [grant] }, web.principal!),
      );
      return this.peoplePage(web, grant.ledger, { created });
    } catch (error) {
      const problems = refusal(error instanceof DomainError ? new DomainError(error.code, ownField(error.problems)) : error, response, CREATE_FIELDS, web.lang);
      return this.peoplePage(web, grant.ledger, { problems, sent: body });
    }
  }

  @Get(':login')
  person(@Web() web: WebContext, @Param('login') login: string): Promise<string> {
    return this.personPage(web, login, {});
  }

  @Post(':login/:action')
  @HttpCode(200)
  async manage(@Web() web: WebContext, @Param('login') login: string, @Param('action') action: string, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    let change: PersonChange;
    if (action === 'password-reset') change = { kind: 'reset-password' };
    else if (action === 'disable') change = { kind: 'disable', reason: textOf(body, 'reason') };
    else if (action === 'enable') change = { kind: 'enable' };
    else if (action === 'grants') {
      const { grants, problems } = parseGrantLines(textOf(body, 'grants'));
      if (problems.length > 0) {
        response.status(400);
        return this.personPage(web, login, { problems: { byField: new Map([['grants', problems.map((p) => web.t('oversight.people.badGrantLine', { line: p }))]]), general: [] }, sent: body });
      }
      change = { kind: 'set-grants', grants };
    } else throw new DomainError('not-found', [problem('action', 'problem.unknownPersonAction', { action })]);
    try {
      const result: ManagePersonResult = await this.commands.execute(new ManagePersonCommand(login, change, web.principal!));
      return this.personPage(web, login, { done: action, result });
    } catch (error) {
      return this.personPage(web, login, { problems: refusal(error, response, ['grants', 'reason'], web.lang), sent: body });
    }
  }

  private async peoplePage(web: WebContext, ledger: string | null, shown: { created?: CreatePersonResult; problems?: FieldProblems; sent?: Record<string, unknown> }): Promise<string> {
    const principal = web.principal!;
    const people = manageable(principal, await this.queries.execute(new ListPeopleQuery())).filter((p) => ledger === null || p.grants.some((g) => g.ledger === ledger || g.ledger === null));
    const value = (name: string, fallback = '') => (shown.sent ? textOf(shown.sent, name) : fallback);
    const ledgers = await grantableLedgers(this.queries, principal);
    const body = html`${shown.created ? oneTimeNotice(web, shown.created.login, shown.created.oneTimePassword) : ''}
<h2 id="new-person">${web.t('oversight.people.new')}</h2>
<form class="stack" method="post" action="/admin/people" aria-labelledby="new-person">${csrfField(web)}
  ${generalProblems(web, shown.problems)}
  ${field('login', web.t('signIn.login'), (a) => html`<input ${a} required autocomplete="off" value="${value('login')}" pattern="[a-z0-9][a-z0-9._@-]{1,63}">`, shown.problems)}
  ${field('name', web.t('account.name'), (a) => html`<input ${a} required value="${value('name')}">`, shown.problems)}
  ${field('contact', web.t('account.contact'), (a) => html`<input ${a} value="${value('contact')}">`, shown.problems)}
  ${field('language', web.t('account.language'), (a) => html`<select ${a}>${LANGS.map((l) => html`<option value="${l}"${value('language', web.lang) === l ? html` selected` : ''}>${LANG_NAMES[l]}</option>`)}</select>`, shown.problems)}
  ${field('role', web.t('oversight.admin.role'), (a) => html`<select ${a}>${ROLES.map((r) => html`<option value="${r}"${value('role') === r ? html` selected` : ''}>${web.t(`role.${r}`)}</option>`)}</select>`, shown.problems)}
  ${field('unit', web.t('oversight.people.unit'), (a) => html`<input ${a} required value="${value('unit')}" autocomplete="off">`, shown.problems)}
  ${field('ledger', web.t('oversight.people.ledger'), (a) => html`<select ${a}>${ledgers.map((l) => html`<option value="${l}"${value('ledger', ledger ?? '') === l ? html` selected` : ''}>${l === EVERY_LEDGER ? web.t('grant.everyLedger') : l}</option>`)}</select>`, shown.problems)}
  <div><button type="submit">${web.t('oversight.people.create')}</button></div>
</form>
<h2 id="people">${web.t('oversight.admin.people')}${ledger ? ` · ${ledger}` : ''}</h2>
<div class="table-wrap"><table aria-labelledby="people"><thead><tr><th>${web.t('signIn.login')}</th><th>${web.t('account.name')}</th><th>${web.t('oversight.people.grants')}</th><th>${web.t('oversight.people.state')}</th></tr></thead>
<tbody>${people.map(
      (p) => html`<tr><td><a href="/admin/people/${encodeURIComponent(p.login)}">${p.login}</a></td><td>${p.name}<br><span class="muted">${p.contact}</span></td><td>${p.grants.map((g) => html`${web.t(`role.${g.role}`)} · ${g.unit} · ${g.ledger ?? web.t('grant.everyLedger')}<br>`)}</td><td>${personState(web, p)}</td></tr>`,
    )}</tbody></table></div>`;
    return page(web, web.t('oversight.admin.people'), body);
  }

  private async personPage(web: WebContext, login: string, shown: { done?: string; result?: ManagePersonResult; problems?: FieldProblems; sent?: Record<string, unknown> }): Promise<string> {
    const person = manageable(web.principal!, await this.queries.execute(new ListPeopleQuery())).find((p) => p.login === login);
    if (!person) throw new DomainError('not-found', [problem('login', 'oversight.people.unknown', { login })]);
    const base = `/admin/people/${encodeURIComponent(login)}`;
    const grantsText = shown.sent ? textOf(shown.sent, 'grants') : person.grants.map(grantLine).join('\n');
    const body = html`<p><a href="${url('/admin/people')}">← ${web.t('oversight.admin.people')}</a></p>
${shown.result?.oneTimePassword ? oneTimeNotice(web, login, shown.result.oneTimePassword) : shown.done ? html`<div class="notice ok" role="status">${web.t('account.saved')}</div>` : ''}
<p>${person.name} · ${person.contact} · ${LANG_NAMES[person.language as keyof typeof LANG_NAMES] ?? person.language} · ${personState(web, person)}</p>
${generalProblems(web, shown.problems)}
<h2 id="grants-title">${web.t('oversight.people.grants')}</h2>
<form class="stack" method="post" action="${base}/grants" aria-labelledby="grants-title">${csrfField(web)}
  ${field('grants', web.t('oversight.people.grantsHelp'), (a) => html`<textarea ${a} rows="4" spellcheck="false">${grantsText}</textarea>`, shown.problems)}
  <div><button type="submit">${web.t('account.save')}</button></div>
</form>
<h2>${web.t('oversight.people.access')}</h2>
<form method="post" action="${base}/password-reset">${csrfField(web)}<button type="submit" class="secondary" data-confirm="${web.t('oversight.people.resetConfirm', { login })}">${web.t('oversight.people.reset')}</button></form>
${person.disabled
  ? html`<form method="post" action="${base}/enable">${csrfField(web)}<p>${web.t('oversight.people.disabledBecause', { reason: person.disabled.reason })}</p><button type="submit">${web.t('oversight.people.enable')}</button></form>`
  : html`<form class="stack" method="post" action="${base}/disable">${csrfField(web)}${field('reason', web.t('oversight.admin.reason'), (a) => html`<input ${a} required>`, shown.problems)}<div><button type="submit" class="secondary">${web.t('oversight.people.disable')}</button></div></form>`}`;
    return page(web, `${web.t('oversight.admin.people')} · ${login}`, body);
  }
}

function personState(web: WebContext, p: PersonSummary): Html {
  if (p.disabled) return html`<span class="status late">${web.t('oversight.people.disabled')}</span>`;
  if (p.mustChangePassword) return html`<span class="status soon">${web.t('oversight.people.oneTime')}</span>`;
  return html`<span class="status ok">${web.t('oversight.people.active')}</span>`;
}

/** The one-time password, on this answer only: the server keeps only its hash. */
function oneTimeNotice(web: WebContext, login: string, password: string): Html {
  return html`<div class="notice ok" role="status" id="one-time"><p>${web.t('oversight.people.oneTimeFor', { login })}</p>
<p><code class="secret" id="one-time-password">${password}</code></p><p class="muted">${web.t('oversight.people.oneTimeOnce')}</p></div>`;
}
