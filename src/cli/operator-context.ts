import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { RequestContext } from '../event-sourcing/request-context';

/** The CLI acts as a local operator with the admin role; the OS user is recorded as the actor. */
export function operatorContext(): RequestContext {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no user database entry (some containers): keep "unknown"
  }
  return { actor: `cli:${user}`, role: 'admin', correlationId: randomUUID() };
}
