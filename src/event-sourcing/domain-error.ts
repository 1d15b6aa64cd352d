import type { MessageParams } from '../i18n/translate';

/**
 * A typed domain error: a code the edges map (one exception filter to HTTP statuses, one place to
 * CLI exit codes), the field it is about, and a reason a person can act on.
 */
export type DomainErrorCode = 'invalid' | 'not-found' | 'forbidden' | 'unauthenticated' | 'conflict' | 'too-large' | 'unprocessable';

export interface Problem {
  /** The field or path the problem is about, e.g. `dimensions.service` or `line 3: value`. */
  field?: string;
  /** In English; with `message`, each edge gives it in its caller's language (src/i18n/problem.ts). */
  reason: string;
  /** The catalogue entry of the reason, when it has one. */
  message?: { key: string; params?: MessageParams };
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => (p.field ? `${p.field}: ${p.reason}` : p.reason)).join('; '));
    this.name = 'DomainError';
  }
}
