import { applyDecorators, HttpException, HttpStatus, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { ACCESS_OPTIONS, type AccessOptions } from './access-options';
import { joined } from '../i18n/phrase-list';
import type { MessageRef } from '../i18n/translate';
import { abilityOf, grantWithRole } from './grants';
import type { Grant, Principal } from './principal';
import type { Role } from './roles';
import { CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, SessionAuthenticator, type SessionInfo } from './sessions/session-authenticator';
import { TokenAuthenticator } from './token-authenticator';
import { RateLimiter } from './token-bucket';

export const ROLES_KEY = 'access:roles';
export const PUBLIC_KEY = 'access:public';
export const PASSWORD_CHANGE_KEY = 'access:password-change';

/** A request the guard let through carries its principal, the grant the route's roles matched, and its session (cookie callers). */
export type AuthenticatedRequest = Request & { principal?: Principal; actingGrant?: Grant; session?: SessionInfo; cookies?: Record<string, string> };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The one guard, installed globally: every route is private unless marked @Public(). In order:
 * authenticate (a bearer token, else the session cookie: 401), refuse a cookie request that changes
 * state without the session's CSRF token (403), hold a person who must change a one-time password to
 * that (403), take one request from the caller's bucket (429 with Retry-After), and find a grant with
 * one of the route's @Roles that reaches the ledger of the path (403). The use case then checks the
 * unit and the action against the grants (assertMayActFor).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenAuthenticator,
    private readonly sessions: SessionAuthenticator,
    private readonly limiter: RateLimiter,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!request.principal) {
      await this.authenticate(request, response);
      this.limit(request.principal!, response);
    }
    const principal = request.principal!;
    if (request.session?.mustChangePassword && !this.reflector.getAllAndOverride<boolean | undefined>(PASSWORD_CHANGE_KEY, targets)) {
      throw new DomainError('forbidden', [problem('password', 'problem.changePasswordFirst')]);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) {
      // Developer-only (a route declared without @Roles), so English.
      throw new DomainError('forbidden', [{ reason: 'this route names no role that may use it (@Roles), so no one may' }]);
    }
    const ledgerId = typeof request.params?.ledgerId === 'string' ? request.params.ledgerId : undefined;
    const grant = grantWithRole(principal, roles, ledgerId);
    if (!grant) {
      const heldGrants = principal.grants.map((g): MessageRef => (g.ledger === null ? { key: 'phrase.roleOnEveryLedger', params: { role: g.role } } : { key: 'phrase.roleOnLedger', params: { role: g.role, ledger: g.ledger } }));
      const held = heldGrants.length === 0 ? { key: 'phrase.noGrant' } : joined(heldGrants, 'phrase.listComma');
      const roleWords = joined(roles.map((role) => ({ key: 'phrase.roleWithAbility', params: { role, ability: abilityOf(role) } })), 'phrase.either');
      throw new DomainError('forbidden', [
        ledgerId === undefined
          ? problem(undefined, 'problem.roleRefused', { roles: roleWords, actor: principal.actor, held })
          : problem('ledger', 'problem.roleRefusedOnLedger', { roles: roleWords, ledger: ledgerId, actor: principal.actor, held }),
      ]);
    }
    request.actingGrant = grant;
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, response: Response): Promise<void> {
    const sessionId = request.cookies?.[SESSION_COOKIE];
    try {
      if (request.headers.authorization !== undefined || !sessionId) {
        request.principal = await this.tokens.authenticate(request.headers.authorization);
        return;
      }
      const { principal, session } = await this.sessions.authenticate(sessionId);
      // Known from here on, even if refused below: the refusal speaks the person's language.
      request.principal = principal;
      request.session = session;
      if (!SAFE_METHODS.has(request.method)) {
        const presented = request.headers[CSRF_HEADER] ?? (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
        if (!sameSecret(presented, session.csrf)) {
          throw new DomainError('forbidden', [problem('X-CSRF-Token', 'problem.csrf')]);
        }
      }
    } catch (error) {
      if (error instanceof DomainError && error.code === 'unauthenticated') response.setHeader('WWW-Authenticate', 'Bearer realm="compliance-ledger"');
      throw error;
    }
  }

  private limit(principal: Principal, response: Response): void {
    const taken = this.limiter.take(principal.actor, this.options.clock.now().getTime());
    if (taken.allowed) return;
    const { perSecond, burst } = this.limiter.limit;
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    response.setHeader('Retry-After', String(seconds));
    throw new HttpException(
      {
        error: 'rate-limited',
        problems: [problem(undefined, 'problem.rateLimited', { actor: principal.actor, perSecond, burst, seconds })],
        limit: { perSecond, burst },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * The roles that may use a route (or every route of a controller). Every route needs a caller unless
 * it is @Public(); a route with neither is refused to everyone.
 */
export function Roles(...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiCookieAuth(),
    ApiUnauthorizedResponse({ description: 'No caller: no token or session, or one that is not valid.' }),
    ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')} (with a grant on the ledger of the path).` }),
    ApiTooManyRequestsResponse({ description: 'The caller exceeded its request rate; see Retry-After.' }),
  );
}

/** A route anyone may call (health, sign-in, the web application's sign-in page and assets). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** A route a person who still holds a one-time password may use (changing it, signing out, who am I). */
export const AllowedBeforePasswordChange = (): MethodDecorator & ClassDecorator => SetMetadata(PASSWORD_CHANGE_KEY, true);
