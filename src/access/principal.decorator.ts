import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '../event-sourcing/domain-error';
import type { RequestContext } from '../event-sourcing/request-context';
import { contextOf, correlationIdOf, CORRELATION_HEADER, type Principal as AuthenticatedPrincipal } from './principal';
import type { AuthenticatedRequest } from './token.guard';

function principalOf(context: ExecutionContext): AuthenticatedPrincipal {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  // A route without @Roles has no principal: refuse rather than act for no one.
  if (!request.principal) throw new DomainError('unauthenticated', [{ field: 'Authorization', reason: 'this route needs a bearer token' }]);
  return request.principal;
}

/** The authenticated caller of a route guarded by @Roles: `@Principal() principal: Principal` (one import gives the decorator and the type). */
export type Principal = AuthenticatedPrincipal;
export const Principal = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedPrincipal => principalOf(context));

/** The RequestContext for the events a route appends: the caller's token, role and unit, and the X-Correlation-Id (or a new one). */
export const CallerContext = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return contextOf(principalOf(context), correlationIdOf(request.headers[CORRELATION_HEADER]));
});
