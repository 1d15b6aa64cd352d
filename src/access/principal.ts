import { randomUUID } from 'node:crypto';
import { DomainError } from '../event-sourcing/domain-error';
import type { RequestContext } from '../event-sourcing/request-context';
import type { Role } from './roles';

/** The authenticated caller: which token, acting for which unit, on which ledger (null: any ledger that has the unit), with which role. */
export interface Principal {
  tokenId: string;
  unit: string;
  ledger: string | null;
  role: Role;
}

export const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The correlation id a caller sent in `X-Correlation-Id`, or a new UUID when it sent none. */
export function correlationIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return randomUUID();
  if (!CORRELATION_PATTERN.test(value)) {
    throw DomainError.invalid('X-Correlation-Id', 'must be 1 to 128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit');
  }
  return value;
}

/** What an authenticated request records in the metadata of the events it appends. */
export function contextOf(principal: Principal, correlationId: string = randomUUID()): RequestContext {
  return { actor: `token:${principal.tokenId}`, role: principal.role, unit: principal.unit, correlationId };
}
