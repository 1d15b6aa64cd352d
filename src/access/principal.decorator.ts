import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '../event-sourcing/domain-error';
import type { RequestContext } from '../event-sourcing/request-context';
import type { AuthenticatedRequest } from './auth.guard';
import { contextOf, correlationIdOf, CORRELATION_HEADER, type Principal as AuthenticatedPrincipal } from './principal';

function requestOf(context: ExecutionContext): AuthenticatedRequest {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  // A public route has no principal: refuse rather than act for no one. Developer-only (a @Public route reading its caller), so English.
  if (!request.principal || !request.actingGrant) throw new DomainError('unauthenticated', [{ field: 'Authorization', reason: 'this route needs a caller' }]);
  return request;
}

/** The authenticated caller: `@Principal() principal: Principal` (one import gives the decorator and the type). */
export type Principal = AuthenticatedPrincipal;
export const Principal = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedPrincipal => requestOf(context).principal!);

/** The RequestContext for the events a route appends: the caller, under the grant the route's roles matched, and the X-Correlation-Id (or a new one). */
export const CallerContext = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = requestOf(context);
  return contextOf(request.principal!, request.actingGrant!, correlationIdOf(request.headers[CORRELATION_HEADER]));
});

/** The request's X-Correlation-Id, or a new UUID: for use cases that build their context from the principal themselves. */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  correlationIdOf(context.switchToHttp().getRequest<AuthenticatedRequest>().headers[CORRELATION_HEADER]),
);
