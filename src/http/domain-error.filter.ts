import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../access/auth.guard';
import { isLang, langFromAcceptLanguage, type Lang } from '../i18n/languages';
import { localize } from '../i18n/problem';
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
    response.status(status).json({ ...body, problems: localize(body.problems, langOfCaller(host.switchToHttp().getRequest<AuthenticatedRequest>())) });
  }
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
    const param = /decode param/.test(error.message) ? 'path' : undefined;
    return { status, body: { error: status === 404 ? 'not-found' : status < 500 ? 'invalid' : 'error', problems: [{ ...(param ? { field: param } : {}), reason: error.message }] } };
  }
  if (error instanceof DomainError) return { status: STATUS[error.code], body: { error: error.code, problems: error.problems } };
  if (error instanceof WrongExpectedRevisionError) {
    return { status: HttpStatus.CONFLICT, body: { error: 'conflict', problems: [{ reason: `${error.message}; retry the request` }] } };
  }
  if (error instanceof PayloadTooLargeError) return { status: HttpStatus.PAYLOAD_TOO_LARGE, body: { error: 'too-large', problems: [{ reason: error.message }] } };
  return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { error: 'store-unavailable', problems: [{ reason: error.message }] } };
}
