import { DomainError } from '../event-sourcing/domain-error';
import { refusal, refusedField, type Refusal } from '../i18n/problem';

/** Ledger, unit and product ids: letters, digits, '-' and '_' (no '.', which joins ids in stream names). */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function idProblem(value: unknown): Refusal | null {
  if (typeof value !== 'string' || value.length === 0) return refusal('problem.idRequired');
  if (!ID.test(value)) return refusal('problem.idForm', { value: value.slice(0, 80) });
  return null;
}

export function assertId(field: string, value: unknown): string {
  const problem = idProblem(value);
  if (problem) throw new DomainError('invalid', [refusedField(field, problem)]);
  return value as string;
}
