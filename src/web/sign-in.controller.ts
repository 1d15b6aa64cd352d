import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowedBeforePasswordChange, Public, Roles, type AuthenticatedRequest } from '../access/auth.guard';
import { ROLES } from '../access/roles';
import { clearSessionCookie, setSessionCookie } from '../access/sessions/session.controller';
import { SessionStore } from '../access/sessions/session-store';
import { SignInService } from '../access/sessions/sign-in.service';
import { DomainError } from '../event-sourcing/domain-error';
import { html } from './html';
import { field, page } from './layout';
import { isLang } from '../i18n/languages';
import { Web, withLang, type WebContext } from './web-context';
import { WebErrorFilter } from './web-error.filter';

/** Only a path of this application: never an absolute or protocol-relative URL (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

function signInPage(web: WebContext, next: string, message?: string, login = ''): string {
  return page(
    web,
    web.t('signIn.title'),
    html`${message ? html`<div class="notice bad" role="alert">${message}</div>` : ''}
<form class="stack" method="post" action="/sign-in">
  <input type="hidden" name="next" value="${next}">
  <input type="hidden" name="lang" value="${web.lang}">
  ${field('login', web.t('signIn.login'), (a) => html`<input ${a} autocomplete="username" required maxlength="64" value="${login}" autocapitalize="none">`)}
  ${field('password', web.t('signIn.password'), (a) => html`<input ${a} type="password" autocomplete="current-password" required maxlength="256">`)}
  <div><button type="submit">${web.t('signIn.submit')}</button></div>
</form>
<p class="muted">${web.t('signIn.firstTime')}</p>`,
  );
}

/** Signing in and out in the browser: the same SignInService, cookie and sessions as `POST /api/session`. */
@ApiExcludeController()
@Controller()
@UseFilters(WebErrorFilter)
export class SignInController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionStore,
  ) {}

  @Get('sign-in')
  @Public()
  form(@Web() web: WebContext, @Query('next') next?: string, @Query('ended') ended?: string): string {
    return signInPage(web, safeNext(next), ended ? web.t('signIn.ended') : undefined);
  }

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  async submit(@Web() asked: WebContext, @Body() body: Record<string, unknown>, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<string | void> {
    // The page's language travels with the form, so that the answer comes in the language the person read.
    const web = isLang(body?.lang) ? withLang(asked, body.lang) : asked;
    const next = safeNext(body?.next);
    const login = typeof body?.login === 'string' ? body.login : '';
    try {
      const signedIn = await this.signIn.signIn(body?.login, body?.password, { address: request.ip ?? 'unknown', origin: request.headers.origin, host: request.headers.host });
      setSessionCookie(request, response, signedIn.sessionId, signedIn.lifetimeMs);
      response.redirect(303, signedIn.answer.mustChangePassword ? '/account/password' : next);
    } catch (error) {
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      if (retryAfter !== undefined) {
        response.status(429).setHeader('Retry-After', String(retryAfter));
        return signInPage(web, next, web.t('signIn.locked', { minutes: Math.ceil(retryAfter / 60) }), login);
      }
      if (!(error instanceof DomainError)) throw error;
      response.status(error.code === 'invalid' ? 400 : error.code === 'forbidden' ? 403 : 401);
      const disabled = error.code === 'forbidden' && error.problems[0]?.field === 'login';
      return signInPage(web, next, disabled ? error.problems[0].reason : error.code === 'forbidden' ? error.problems[0].reason : web.t('signIn.wrong'), login);
    }
  }

  @Post('sign-out')
  @Roles(...ROLES)
  @AllowedBeforePasswordChange()
  signOut(@Req() request: AuthenticatedRequest, @Res() response: Response): void {
    if (request.session) this.sessions.end(request.session.id);
    clearSessionCookie(request, response);
    response.redirect(303, '/sign-in');
  }
}
