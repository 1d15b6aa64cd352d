import { DomainError } from '../event-sourcing/domain-error';

/** Ledger, unit and product ids: letters, digits, '-' and '_' (no '.', which joins ids in stream names). */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function idProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (!ID.test(value)) return `"${value.slice(0, 80)}" must be 1–64 letters, digits, '-' or '_', starting with a letter or digit`;
  return null;
}

export function assertId(field: string, value: unknown): string {
  const problem = idProblem(value);
  if (problem) throw DomainError.invalid(field, problem);
  return value as string;
}
