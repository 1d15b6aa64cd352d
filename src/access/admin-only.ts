import { DomainError } from '../event-sourcing/domain-error';
import type { RequestContext } from '../event-sourcing/request-context';
import { ROLE_ABILITIES, isRole } from './roles';

/** Managing tokens is for admins (the CLI operator and the system act as admin). */
export function assertAdmin(context: RequestContext, what: string): void {
  if (context.role === 'admin') return;
  const abilities = isRole(context.role) ? ` ${ROLE_ABILITIES[context.role]}` : '';
  throw new DomainError('forbidden', [{ reason: `role ${context.role}${abilities}; only an admin may ${what}` }]);
}
