import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { ACCESS_OPTIONS, type AccessOptions } from '../access-options';
import { decoyHash, MAX_PASSWORD_LENGTH, passwordMatches } from '../people/password';
import { PersonDirectory } from '../people/person-directory';
import { SessionStore } from './session-store';
import { SignInLimiter } from './sign-in-limiter';

export interface SignedIn {
  sessionId: string;
  expiresAt: number;
  /** How long the session lasts from now (the cookie counts it from the browser's clock). */
  lifetimeMs: number;
  answer: { login: string; name: string; language: string; grants: unknown[]; mustChangePassword: boolean; csrfToken: string; expiresAt: string };
}

/**
 * Sign-in: the same answer, after the same scrypt work, whether the login exists or not; failures
 * counted per login and per address, locking either for a while (429 with Retry-After) after too many.
 */
@Injectable()
export class SignInService {
  private readonly logger = new Logger('SignIn');

  constructor(
    private readonly people: PersonDirectory,
    private readonly sessions: SessionStore,
    private readonly limiter: SignInLimiter,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async signIn(login: unknown, password: unknown, from: { address: string; origin?: string; host?: string }): Promise<SignedIn> {
    if (from.origin !== undefined && from.host !== undefined && safeHost(from.origin) !== from.host) {
      throw new DomainError('forbidden', [problem('Origin', 'problem.signInOrigin')]);
    }
    if (typeof login !== 'string' || login.length === 0 || login.length > 64) throw new DomainError('invalid', [problem('login', 'problem.requiredTextUpTo', { max: 64 })]);
    if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_LENGTH) throw new DomainError('invalid', [problem('password', 'problem.requiredTextUpTo', { max: MAX_PASSWORD_LENGTH })]);
    const key = login.toLowerCase();
    const now = () => this.options.clock.now().getTime();
    const wait = this.limiter.retryAfter(key, from.address, now());
    if (wait > 0) throw tooManyAttempts(wait);
    const person = await this.people.read(key);
    const matches = await passwordMatches(password, person.exists ? person.passwordHash : await decoyHash());
    if (!person.exists || !matches) {
      this.limiter.recordFailure(key, from.address, now());
      this.logger.warn({ message: 'sign-in refused', address: from.address });
      // One answer for a wrong login and a wrong password alike.
      throw new DomainError('unauthenticated', [problem(undefined, 'problem.wrongLogin')]);
    }
    if (person.disabled) throw new DomainError('forbidden', [problem('login', 'problem.accountDisabled', { reason: person.disabled.reason })]);
    this.limiter.recordSuccess(key);
    const session = this.startSession(person.login, person.passwordVersion);
    return {
      sessionId: session.id,
      expiresAt: session.expiresAt,
      lifetimeMs: session.lifetimeMs,
      answer: { login: person.login, name: person.name, language: person.language, grants: person.grants, mustChangePassword: person.mustChangePassword, csrfToken: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() },
    };
  }

  startSession(login: string, passwordVersion: number) {
    const now = this.options.clock.now().getTime();
    const session = this.sessions.start(login, passwordVersion, now);
    return { ...session, lifetimeMs: session.expiresAt - now };
  }
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function tooManyAttempts(waitMs: number): HttpException {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const error = new HttpException({ error: 'rate-limited', problems: [problem('login', 'problem.tooManySignIns', { minutes: Math.ceil(seconds / 60) })] }, HttpStatus.TOO_MANY_REQUESTS);
  (error as HttpException & { retryAfter?: number }).retryAfter = seconds;
  return error;
}
