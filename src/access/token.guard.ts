import { applyDecorators, HttpException, HttpStatus, Inject, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../event-sourcing/domain-error';
import { ACCESS_OPTIONS, type AccessOptions } from './access-options';
import type { Principal } from './principal';
import { ROLE_ABILITIES, type Role } from './roles';
import { TokenAuthenticator } from './token-authenticator';
import { RateLimiter } from './token-bucket';

export const ROLES_KEY = 'access:roles';

/** A request the TokenGuard let through carries its principal. */
export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Every guarded request, in this order: authenticate the bearer token (401), take one request
 * from the token's bucket (429 with Retry-After), and check the route's roles (403). Running it
 * twice on one request (guards on a controller and on its method) authenticates and counts once.
 */
@Injectable()
export class TokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: TokenAuthenticator,
    private readonly limiter: RateLimiter,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!request.principal) {
      request.principal = await this.authenticate(request, response);
      this.limit(request.principal, response);
    }
    const principal = request.principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles || roles.length === 0) {
      throw new DomainError('forbidden', [{ reason: 'this route names no role that may use it (@Roles), so no one may' }]);
    }
    if (!roles.includes(principal.role)) {
      throw new DomainError('forbidden', [
        { reason: `role ${principal.role} ${ROLE_ABILITIES[principal.role]}; this request is for ${roles.join(' or ')} only` },
      ]);
    }
    return true;
  }

  private async authenticate(request: Request, response: Response): Promise<Principal> {
    try {
      return await this.authenticator.authenticate(request.headers.authorization);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'unauthenticated') {
        response.setHeader('WWW-Authenticate', 'Bearer realm="compliance-ledger"');
      }
      throw error;
    }
  }

  private limit(principal: Principal, response: Response): void {
    const taken = this.limiter.take(principal.tokenId, this.options.clock.now().getTime());
    if (taken.allowed) return;
    const { perSecond, burst } = this.limiter.limit;
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    response.setHeader('Retry-After', String(seconds));
    throw new HttpException(
      {
        error: 'rate-limited',
        problems: [{ reason: `token ${principal.tokenId} exceeded its limit of ${perSecond} requests per second (bursts of ${burst}); retry after ${seconds} s` }],
        limit: { perSecond, burst },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * The roles that may use a route (or every route of a controller), and the TokenGuard that
 * enforces them: a route with @Roles needs a valid bearer token. Routes without it are public.
 */
export function Roles(...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    UseGuards(TokenGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No token, a malformed, unknown or revoked token, or a wrong secret.' }),
    ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}.` }),
    ApiTooManyRequestsResponse({ description: 'The token exceeded its request rate; see Retry-After.' }),
  );
}
