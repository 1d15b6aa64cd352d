import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../access/auth.guard';
import { isLang, langFromAcceptLanguage, type Lang } from '../i18n/languages';
import { localize, problem } from '../i18n/problem';
import { DomainError, type DomainErrorCode, type Problem } from '../event-sourcing/domain-error';
import { PayloadTooLargeError, StoreUnavailableError, WrongExpectedRevisionError } from '../event-sourcing/errors';

const STATUS: Record<DomainErrorCode, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  'too-large': HttpStatus.PAYLOAD_TOO_LARGE,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** The one place domain and store errors become HTTP statuses, with the problems named in the body. */
@Catch(DomainError, WrongExpectedRevisionError, PayloadTooLargeError, StoreUnavailableError, HttpException)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = toHttp(error);
    if (error instanceof StoreUnavailableError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    sendProblems(host.switchToHttp().getRequest<AuthenticatedRequest>(), response, status, body);
  }
}

/** An error answer in the API's shape, its reasons in the caller's language: the filter's, and the body parsers' (which run before Nest). */
export function sendProblems(request: Request, response: Response, status: number, body: { error: string; problems: Problem[] }): void {
  response.status(status).json({ ...body, problems: localize(body.problems, langOfCaller(request as AuthenticatedRequest)) });
}

/** The language of an answer: the person's own setting, else the request's Accept-Language, else English. */
export function langOfCaller(request: AuthenticatedRequest): Lang {
  const personal = request.principal?.language;
  return isLang(personal) ? personal : (langFromAcceptLanguage(request.headers['accept-language']) ?? 'en');
}

export function toHttp(error: Error): { status: number; body: { error: string; problems: Problem[] } } {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const answer = error.getResponse();
    if (typeof answer === 'object' && answer !== null && Array.isArray((answer as { problems?: unknown }).problems)) return { status, body: answer as never };
    return { status, body: { error: status === 404 ? 'not-found' : status < 500 ? 'invalid' : 'error', problems: [nestProblem(error.message)] } };
  }
  if (error instanceof DomainError) return { status: STATUS[error.code], body: { error: error.code, problems: error.problems } };
  if (error instanceof WrongExpectedRevisionError) {
    return { status: HttpStatus.CONFLICT, body: { error: 'conflict', problems: [problem(undefined, 'problem.retryRequest', { detail: error.message })] } };
  }
  if (error instanceof PayloadTooLargeError) return { status: HttpStatus.PAYLOAD_TOO_LARGE, body: { error: 'too-large', problems: [{ reason: error.message }] } };
  return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { error: 'store-unavailable', problems: [{ reason: error.message }] } };
}

/** Nest's own refusals (no route, a path parameter it cannot decode) as problems of the catalogue; others as Nest words them. */
function nestProblem(message: string): Problem {
  const route = /^Cannot ([A-Z]+) (.*)$/.exec(message);
  if (route) return problem(undefined, 'problem.noRoute', { method: route[1], path: route[2] });
  if (/decode param/.test(message)) return problem('path', 'problem.pathUndecodable', { detail: message });
  return { reason: message };
}
