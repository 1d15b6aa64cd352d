import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowedBeforePasswordChange, Roles, type AuthenticatedRequest } from '../access/auth.guard';
import { ChangeOwnPasswordCommand } from '../access/people/change-own-password.command';
import { ManagePersonCommand } from '../access/people/manage-person.command';
import { PersonDirectory } from '../access/people/person-directory';
import type { Language } from '../access/people/person.decider';
import { ROLES } from '../access/roles';
import { setSessionCookie } from '../access/sessions/session.controller';
import { SignInService } from '../access/sessions/sign-in.service';
import { DomainError } from '../event-sourcing/domain-error';
import { LANG_NAMES, LANGS } from '../i18n/languages';
import { html } from './html';
import { csrfField, field, fieldProblems, generalProblems, page, type FieldProblems } from './layout';
import { Web, withLang, type WebContext } from './web-context';
import { WebErrorFilter } from './web-error.filter';

const PASSWORD_FIELDS = ['currentPassword', 'password', 'repeat'] as const;
const DETAIL_FIELDS = ['name', 'contact', 'language'] as const;

/** A person's own account: name, contact and language (the interface follows it), and the password. */
@ApiExcludeController()
@Controller('account')
@UseFilters(WebErrorFilter)
@Roles(...ROLES)
export class AccountController {
  constructor(
    private readonly commands: CommandBus,
    private readonly people: PersonDirectory,
    private readonly signIn: SignInService,
  ) {}

  @Get()
  async show(@Web() web: WebContext): Promise<string> {
    return this.accountPage(web);
  }

  @Post()
  async save(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    const principal = web.principal!;
    try {
      await this.commands.execute(new ManagePersonCommand(principal.id, { kind: 'change-details', name: String(body?.name ?? ''), contact: String(body?.contact ?? ''), language: body?.language as Language }, principal));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.status(error.code === 'invalid' ? 400 : 403);
      return this.accountPage(web, fieldProblems(error.problems, DETAIL_FIELDS, web.lang), body);
    }
    // The new language holds from this answer on.
    const person = await this.people.read(principal.id);
    const lang = person.exists ? person.language : web.lang;
    return this.accountPage(withLang(web, lang), undefined, undefined, true);
  }

  @Get('password')
  @AllowedBeforePasswordChange()
  passwordForm(@Web() web: WebContext, @Req() request: AuthenticatedRequest): string {
    return this.passwordPage(web, request.session?.mustChangePassword ?? false);
  }

  @Post('password')
  @AllowedBeforePasswordChange()
  async changePassword(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): Promise<string | void> {
    const mustChange = request.session?.mustChangePassword ?? false;
    if (body?.password !== body?.repeat) {
      response.status(400);
      return this.passwordPage(web, mustChange, fieldProblems([{ field: 'repeat', reason: web.t('password.mismatch') }], PASSWORD_FIELDS));
    }
    try {
      const result = await this.commands.execute(new ChangeOwnPasswordCommand(web.principal!, body?.currentPassword, body?.password));
      const session = this.signIn.startSession(web.principal!.id, result.passwordVersion);
      setSessionCookie(request, response, session.id, session.lifetimeMs);
      response.redirect(303, '/?changed=password');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.status(error.code === 'invalid' ? 400 : 403);
      return this.passwordPage(web, mustChange, fieldProblems(error.problems, PASSWORD_FIELDS, web.lang));
    }
  }

  private async accountPage(web: WebContext, problems?: FieldProblems, sent?: Record<string, unknown>, saved = false): Promise<string> {
    const principal = web.principal!;
    const person = principal.kind === 'person' ? await this.people.read(principal.id) : null;
    const value = (name: string, fallback: string) => (typeof sent?.[name] === 'string' ? (sent[name] as string) : fallback);
    const details =
      person && person.exists
        ? html`<form class="stack" method="post" action="/account">${csrfField(web)}
  ${generalProblems(web, problems)}
  ${field('name', web.t('account.name'), (a) => html`<input ${a} required maxlength="200" value="${value('name', person.name)}">`, problems)}
  ${field('contact', web.t('account.contact'), (a) => html`<input ${a} maxlength="200" value="${value('contact', person.contact)}">`, problems)}
  ${field('language', web.t('account.language'), (a) => html`<select ${a}>${LANGS.map((lang) => html`<option value="${lang}"${value('language', person.language) === lang ? html` selected` : ''}>${LANG_NAMES[lang]}</option>`)}</select>`, problems)}
  <div><button type="submit">${web.t('account.save')}</button> <a href="/account/password">${web.t('password.title')}</a></div>
</form>`
        : html``;
    return page(
      web,
      web.t('nav.account'),
      html`${saved ? html`<div class="notice ok" role="status">${web.t('account.saved')}</div>` : ''}${details}
<h2>${web.t('account.grants')}</h2>
<ul>${principal.grants.map((g) => html`<li>${web.t(`role.${g.role}`)} · ${g.unit} · ${g.ledger ?? web.t('grant.everyLedger')}</li>`)}</ul>`,
    );
  }

  private passwordPage(web: WebContext, mustChange: boolean, problems?: FieldProblems): string {
    return page(
      web,
      web.t('password.title'),
      html`${mustChange ? html`<div class="notice" role="status">${web.t('password.mustChange')}</div>` : ''}
<form class="stack" method="post" action="/account/password">${csrfField(web)}
  ${generalProblems(web, problems)}
  ${field('currentPassword', web.t('password.current'), (a) => html`<input ${a} type="password" autocomplete="current-password" required>`, problems)}
  ${field('password', web.t('password.new'), (a) => html`<input ${a} type="password" autocomplete="new-password" required minlength="10">`, problems)}
  ${field('repeat', web.t('password.repeat'), (a) => html`<input ${a} type="password" autocomplete="new-password" required minlength="10">`, problems)}
  <div><button type="submit">${web.t('password.save')}</button></div>
</form>`,
    );
  }
}
