import { HttpException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { catchError, concatMap, from, of, throwError, type Observable } from 'rxjs';
import { DomainError } from '../event-sourcing/domain-error';
import { canonicalJson } from '../event-sourcing/canonical-json';
import { problem } from '../i18n/problem';
import { toHttp } from './domain-error.filter';
import { IdempotencyKeys } from './idempotency-keys';

const HEADER = 'idempotency-key';

/** Who is calling, as the access guard established it: keys are scoped per caller. */
function callerOf(request: Request): string {
  const principal = (request as Request & { principal?: { tokenId?: string; unit?: string } }).principal;
  if (!principal) throw new DomainError('unauthenticated', [problem('Authorization', 'problem.routeNeedsCaller')]);
  return principal.tokenId ? `token:${principal.tokenId}` : JSON.stringify(principal);
}

/**
 * `Idempotency-Key` on a POST, as the IETF draft describes it: the first request with a key runs and
 * its answer is kept; the same key with another body is 422, while the first is still running 409,
 * and afterwards a retry gets the first answer again (status and body, with `Idempotent-Replayed: true`).
 * An answer that says the store was unavailable is not kept: the retry runs afresh.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const header = request.headers[HEADER];
    if (header === undefined) return next.handle();
    const key = Array.isArray(header) ? null : header;
    if (key === null || key.length === 0 || key.length > 200) throw new DomainError('invalid', [problem('Idempotency-Key', 'problem.idempotencyKeyForm')]);
    const caller = callerOf(request);
    const fingerprint = createHash('sha256').update(`${request.method} ${request.path}\n${canonicalJson(request.body ?? null)}`).digest('hex');
    const claim = await this.keys.claim(caller, key, fingerprint);
    if (claim.kind === 'mismatch') {
      throw new DomainError('unprocessable', [problem('Idempotency-Key', 'problem.idempotencyKeyReused')]);
    }
    if (claim.kind === 'running') throw new DomainError('conflict', [problem('Idempotency-Key', 'problem.idempotencyKeyRunning')]);
    if (claim.kind === 'done') {
      response.setHeader('Idempotent-Replayed', 'true');
      if (claim.status >= 400) throw new HttpException(claim.body as object, claim.status);
      return of(claim.body);
    }
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    return next.handle().pipe(
      concatMap(async (body: unknown) => {
        await this.keys.answer(caller, key, status, body);
        return body;
      }),
      catchError((error: Error) => {
        const answer = toHttp(error);
        const kept = answer.status >= 500 ? this.keys.release(caller, key) : this.keys.answer(caller, key, answer.status, answer.body);
        return from(kept).pipe(concatMap(() => throwError(() => error)));
      }),
    );
  }
}
