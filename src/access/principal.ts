import { randomUUID } from 'node:crypto';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import type { RequestContext } from '../event-sourcing/request-context';
import type { Role } from './roles';

/** One right of a caller: to act for `unit` with `role`, on `ledger` (null: on every ledger). */
export interface Grant {
  ledger: string | null;
  unit: string;
  role: Role;
}

/**
 * The authenticated caller, the same whichever way it came in: an API token (one grant) or a person
 * signed in with a session cookie (the grants of the account).
 */
export interface Principal {
  kind: 'token' | 'person' | 'operator';
  /** The token id or the person's login. */
  id: string;
  /** `token:<id>` or `person:<login>`: recorded as the actor of every event the caller appends. */
  actor: string;
  /** The person's name (填报人), or the token's label. */
  name: string | null;
  /** The person's interface language (zh, vi, en); null for tokens. */
  language: string | null;
  grants: Grant[];
}

export const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The correlation id a caller sent in `X-Correlation-Id`, or a new UUID when it sent none. */
export function correlationIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return randomUUID();
  if (!CORRELATION_PATTERN.test(value)) {
    throw new DomainError('invalid', [problem('X-Correlation-Id', 'problem.correlationId')]);
  }
  return value;
}

/** What an authenticated request records in the metadata of the events it appends: who, and under which grant. */
export function contextOf(principal: Principal, grant: Grant, correlationId: string = randomUUID()): RequestContext {
  return { actor: principal.actor, role: grant.role, unit: grant.unit, correlationId };
}

/** A token's principal: its one grant. */
export function tokenPrincipal(token: { tokenId: string; unit: string; ledger: string | null; role: Role; label: string | null }): Principal {
  return { kind: 'token', id: token.tokenId, actor: `token:${token.tokenId}`, name: token.label, language: null, grants: [{ ledger: token.ledger, unit: token.unit, role: token.role }] };
}

/** The product or a local operator acting with the admin role on every ledger (`system:<what>`, `cli:<user>`). */
export function adminPrincipal(actor: string): Principal {
  return { kind: 'operator', id: actor, actor, name: actor, language: null, grants: [{ ledger: null, unit: '', role: 'admin' }] };
}
