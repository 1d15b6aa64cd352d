import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { ACCESS_OPTIONS, type AccessOptions } from '../access-options';
import { PersonDirectory } from '../people/person-directory';
import type { Principal } from '../principal';
import { SessionStore } from './session-store';

/** The session cookie: httpOnly, SameSite=Strict, Secure when the request came over HTTPS. */
export const SESSION_COOKIE = 'cl_session';
export const CSRF_HEADER = 'x-csrf-token';
/** The form field that carries the CSRF token in a browser form post (the web application's forms). */
export const CSRF_FIELD = '_csrf';

export interface SessionInfo {
  id: string;
  csrf: string;
  /** The person signed in with a one-time password: only changing it (and signing out) is allowed. */
  mustChangePassword: boolean;
  expiresAt: number;
}


/**
 * A session cookie's principal: the session must be live and the person's account enabled and under
 * the same password as at sign-in; the person's grants are read from the log on every request, so a
 * changed grant or a disabled account holds on the next request in every process.
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    private readonly sessions: SessionStore,
    private readonly people: PersonDirectory,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async authenticate(sessionId: string): Promise<{ principal: Principal; session: SessionInfo }> {
    const row = this.sessions.find(sessionId, this.options.clock.now().getTime());
    if (!row) throw new DomainError('unauthenticated', [problem('session', 'problem.sessionEnded')]);
    const person = await this.people.read(row.login);
    if (!person.exists || person.disabled || person.passwordVersion !== row.password_version) {
      this.sessions.end(sessionId);
      throw new DomainError('unauthenticated', [problem('session', 'problem.sessionEnded')]);
    }
    return {
      principal: { kind: 'person', id: person.login, actor: `person:${person.login}`, name: person.name, language: person.language, grants: person.grants },
      session: { id: sessionId, csrf: row.csrf, mustChangePassword: person.mustChangePassword, expiresAt: row.expires_at },
    };
  }
}
