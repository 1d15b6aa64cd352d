import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { adminPrincipal, type Principal } from '../access/principal';
import type { RequestContext } from '../event-sourcing/request-context';

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown'; // no user database entry (some containers)
  }
}

/** The CLI acts as a local operator with the admin role on every ledger; the OS user is recorded as the actor. */
export function operatorPrincipal(): Principal {
  return adminPrincipal(`cli:${osUser()}`);
}

export function operatorContext(): RequestContext {
  return { actor: operatorPrincipal().actor, role: 'admin', correlationId: randomUUID() };
}
