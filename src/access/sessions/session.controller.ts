import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowedBeforePasswordChange, Public, Roles, type AuthenticatedRequest } from '../auth.guard';
import { ChangeOwnPasswordCommand } from '../people/change-own-password.command';
import { correlationIdOf, CORRELATION_HEADER } from '../principal';
import { Principal } from '../principal.decorator';
import { ROLES } from '../roles';
import { SESSION_COOKIE } from './session-authenticator';
import { SignInService } from './sign-in.service';
import { SessionStore } from './session-store';

/** The cookie's attributes: never readable by scripts, never sent cross-site, Secure over HTTPS. */
/**
 * The cookie expires when the session does, counted from the browser's now: the session store ends
 * sessions on the server's clock, and an Expires copied from that clock is wrong wherever it and
 * the browser's differ (a test or replay clock in the past dropped every cookie at once).
 */
export function setSessionCookie(request: Request, response: Response, id: string, lifetimeMs: number): void {
  response.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: request.secure, path: '/', expires: new Date(Date.now() + lifetimeMs) });
}

export function clearSessionCookie(request: Request, response: Response): void {
  response.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: request.secure, path: '/' });
}

@ApiTags('session')
@Controller('api/session')
export class SessionController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionStore,
    private readonly commands: CommandBus,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiBody({ schema: { type: 'object', required: ['login', 'password'], properties: { login: { type: 'string' }, password: { type: 'string', format: 'password' } } } })
  @ApiCreatedResponse({ description: 'Signed in: an httpOnly session cookie, and `{ login, name, language, grants, mustChangePassword, csrfToken, expiresAt }`.' })
  @ApiUnauthorizedResponse({ description: 'Wrong login or password (one answer for both).' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins for this login or from this address; see Retry-After.' })
  async create(@Body() body: Record<string, unknown>, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const signedIn = await this.signIn.signIn(body?.login, body?.password, { address: request.ip ?? 'unknown', origin: request.headers.origin, host: request.headers.host }).catch((error: unknown) => {
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
      throw error;
    });
    setSessionCookie(request, response, signedIn.sessionId, signedIn.lifetimeMs);
    return signedIn.answer;
  }

  @Get()
  @Roles(...ROLES)
  @AllowedBeforePasswordChange()
  @ApiOkResponse({ description: 'Who is calling: `{ kind, login, name, language, grants, mustChangePassword, csrfToken, expiresAt }` (csrf and expiry for sessions only).' })
  current(@Principal() principal: Principal, @Req() request: AuthenticatedRequest) {
    const session = request.session;
    return {
      kind: principal.kind,
      login: principal.id,
      name: principal.name,
      language: principal.language,
      grants: principal.grants,
      ...(session ? { mustChangePassword: session.mustChangePassword, csrfToken: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() } : {}),
    };
  }

  @Delete()
  @Roles(...ROLES)
  @AllowedBeforePasswordChange()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out: the session is ended on the server and the cookie cleared.' })
  end(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): void {
    if (request.session) this.sessions.end(request.session.id);
    clearSessionCookie(request, response);
  }

  @Post('password')
  @Roles(...ROLES)
  @AllowedBeforePasswordChange()
  @HttpCode(201)
  @ApiBody({ schema: { type: 'object', required: ['currentPassword', 'password'], properties: { currentPassword: { type: 'string', format: 'password' }, password: { type: 'string', format: 'password', minLength: 10 } } } })
  @ApiCreatedResponse({ description: 'Password changed: every session of the person ends, and this request gets a new one (new cookie and `csrfToken`).' })
  async changePassword(@Body() body: Record<string, unknown>, @Principal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    const result = await this.commands.execute(new ChangeOwnPasswordCommand(principal, body?.currentPassword, body?.password, correlationIdOf(request.headers[CORRELATION_HEADER])));
    const session = this.signIn.startSession(principal.id, result.passwordVersion);
    setSessionCookie(request, response, session.id, session.lifetimeMs);
    return { login: principal.id, position: result.position, csrfToken: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() };
  }
}
