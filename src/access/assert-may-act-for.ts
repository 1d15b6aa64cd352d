import { DomainError } from '../event-sourcing/domain-error';
import type { Principal } from './principal';
import { ROLE_ABILITIES } from './roles';

/**
 * What a caller wants to do: submit for a unit of a ledger, or read a unit's records (or, without
 * `unitId`, the whole ledger's).
 */
export type AccessTarget = { action: 'submit'; ledgerId: string; unitId: string } | { action: 'read'; ledgerId: string; unitId?: string };

/**
 * Throws DomainError 'forbidden' unless the principal may do it. Pure: whether the unit belongs to
 * the ledger is for the use case to check (404), not for this rule.
 * - A token bound to a ledger acts on that ledger only, whatever its role (the binding is a
 *   restriction its issuer chose).
 * - admin: everything else.
 * - submitter: submits and reads for its own unit only (not a whole ledger).
 * - regulator, auditor: read any unit and whole ledgers; never submit.
 */
export function assertMayActFor(principal: Principal, target: AccessTarget): void {
  const forbidden = (reason: string, field = target.unitId === undefined ? 'ledger' : 'unit') => new DomainError('forbidden', [{ field, reason }]);
  if (principal.ledger !== null && principal.ledger !== target.ledgerId) {
    throw forbidden(`token ${principal.tokenId} is bound to ledger "${principal.ledger}"; it may not act on ledger "${target.ledgerId}"`);
  }
  if (principal.role === 'admin') return;
  if (target.action === 'submit') {
    if (principal.role !== 'submitter') {
      throw forbidden(`role ${principal.role} ${ROLE_ABILITIES[principal.role]}: it may not submit for unit "${target.unitId}"`);
    }
    if (target.unitId !== principal.unit) {
      throw forbidden(`a submitter submits only for its own unit "${principal.unit}", not for unit "${target.unitId}"`);
    }
    return;
  }
  if (principal.role === 'submitter') {
    if (target.unitId === undefined) {
      throw forbidden(`a submitter reads only its own unit "${principal.unit}", not the whole ledger "${target.ledgerId}"`);
    }
    if (target.unitId !== principal.unit) {
      throw forbidden(`a submitter reads only its own unit "${principal.unit}", not unit "${target.unitId}"`);
    }
  }
}
