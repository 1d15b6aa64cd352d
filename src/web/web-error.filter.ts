import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../access/auth.guard';
import { DomainError } from '../event-sourcing/domain-error';
import { toHttp } from '../http/domain-error.filter';
import { localize } from '../i18n/problem';
import { html, url } from './html';
import { page } from './layout';
import { webContextOf } from './web-context';

const TITLES: Record<number, string> = { 403: 'error.forbidden', 404: 'error.notFound', 400: 'error.invalid', 409: 'error.conflict', 503: 'error.unavailable' };

/**
 * Errors of the web pages as pages: no session → the sign-in page (and back here after it); a
 * one-time password → the password page; anything else → a page in the person's language naming
 * the reason, with the status the API would answer.
 */
@Catch()
export class WebErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError && error.code === 'unauthenticated') {
      response.redirect(303, url('/sign-in', { next: request.method === 'GET' ? request.originalUrl : undefined, ended: request.cookies?.cl_session ? '1' : undefined }));
      return;
    }
    if (error instanceof DomainError && error.code === 'forbidden' && error.problems[0]?.field === 'password') {
      response.redirect(303, '/account/password');
      return;
    }
    const { status, body } = error instanceof Error ? toHttp(error) : { status: 500, body: { error: 'error', problems: [{ reason: String(error) }] } };
    if (status >= 500 && !(error instanceof HttpException)) console.error(error);
    const web = webContextOf(request);
    const title = web.t(TITLES[status] ?? 'error.title');
    if (status === 503) response.setHeader('Retry-After', '5');
    response
      .status(status)
      .type('html')
      .send(
        page(
          web,
          title,
          html`<div class="notice bad" role="alert"><ul>${localize(body.problems, web.lang).map((p) => html`<li>${p.field ? `${p.field}: ` : ''}${p.reason}</li>`)}</ul></div>
<p><a href="/">${web.t('nav.home')}</a></p>`,
        ),
      );
  }
}
