import { DomainError } from '../event-sourcing/domain-error';
import { joined } from '../i18n/phrase-list';
import { problem } from '../i18n/problem';
import type { MessageRef } from '../i18n/translate';
import type { Grant, Principal } from './principal';
import type { Role } from './roles';

/**
 * What a caller wants to do. `administer` with `ledgerId: null` is about no one ledger (programmes,
 * opening a ledger of another's, a grant on every ledger): only a grant on every ledger covers it.
 */
export type AccessTarget =
  | { action: 'submit'; ledgerId: string; unitId: string }
  | { action: 'read'; ledgerId: string; unitId?: string }
  | { action: 'review'; ledgerId: string; unitId: string }
  | { action: 'sign-off'; ledgerId: string }
  | { action: 'administer'; ledgerId: string | null };

/** Whether a grant reaches a ledger (null: the target is no one ledger, so only a grant on every ledger reaches it). */
export function coversLedger(grant: Grant, ledgerId: string | null): boolean {
  return grant.ledger === null || grant.ledger === ledgerId;
}

/** Whether one grant allows the target. Pure: whether the unit belongs to the ledger is for the use case (404). */
export function grantAllows(grant: Grant, target: AccessTarget): boolean {
  if (!coversLedger(grant, target.ledgerId)) return false;
  if (grant.role === 'admin') return true;
  switch (target.action) {
    case 'submit':
      return grant.role === 'submitter' && grant.unit === target.unitId;
    case 'review':
      return grant.role === 'reviewer' && grant.unit === target.unitId;
    case 'read':
      if (grant.role === 'regulator' || grant.role === 'auditor') return true;
      return target.unitId !== undefined && grant.unit === target.unitId;
    case 'sign-off':
      return grant.role === 'regulator';
    case 'administer':
      return false;
  }
}

function describeTarget(target: AccessTarget): MessageRef {
  switch (target.action) {
    case 'submit':
      return { key: 'phrase.target.submit', params: { unit: target.unitId, ledger: target.ledgerId } };
    case 'review':
      return { key: 'phrase.target.review', params: { unit: target.unitId, ledger: target.ledgerId } };
    case 'read':
      return target.unitId === undefined ? { key: 'phrase.target.readLedger', params: { ledger: target.ledgerId } } : { key: 'phrase.target.readUnit', params: { unit: target.unitId, ledger: target.ledgerId } };
    case 'sign-off':
      return { key: 'phrase.target.signOff', params: { ledger: target.ledgerId } };
    case 'administer':
      return target.ledgerId === null ? { key: 'phrase.target.administerAll' } : { key: 'phrase.target.administer', params: { ledger: target.ledgerId } };
  }
}

/** What a role may do, in the caller's language. */
export const abilityOf = (role: Role): MessageRef => ({ key: `phrase.ability.${role}` });

const describeGrant = (grant: Grant): MessageRef =>
  grant.ledger === null
    ? { key: 'phrase.grantOnEveryLedger', params: { role: grant.role, unit: grant.unit, ability: abilityOf(grant.role) } }
    : { key: 'phrase.grantOnLedger', params: { role: grant.role, unit: grant.unit, ledger: grant.ledger, ability: abilityOf(grant.role) } };

/**
 * The grant under which the principal may do it; throws DomainError 'forbidden' naming what was asked
 * and what the caller holds otherwise. Every read and write of a ledger goes through here.
 */
export function assertMayActFor(principal: Principal, target: AccessTarget): Grant {
  const grant = principal.grants.find((candidate) => grantAllows(candidate, target));
  if (grant) return grant;
  const field = target.action === 'submit' || target.action === 'review' || (target.action === 'read' && target.unitId !== undefined) ? 'unit' : 'ledger';
  const held = principal.grants.length === 0 ? { key: 'phrase.noGrant' } : joined(principal.grants.map(describeGrant), 'phrase.listSemicolon');
  throw new DomainError('forbidden', [problem(field, 'problem.mayNot', { actor: principal.actor, action: describeTarget(target), held })]);
}

/** The first grant with one of the roles that reaches the ledger (any ledger when undefined), or null. */
export function grantWithRole(principal: Principal, roles: readonly Role[], ledgerId?: string): Grant | null {
  return principal.grants.find((grant) => roles.includes(grant.role) && (ledgerId === undefined || coversLedger(grant, ledgerId))) ?? null;
}

/** Whether the issuer may hand out this grant (to a token or a person): an admin grant that reaches its ledger. */
export function assertMayGrant(issuer: Principal, grant: Grant): Grant {
  return assertMayActFor(issuer, { action: 'administer', ledgerId: grant.ledger });
}
