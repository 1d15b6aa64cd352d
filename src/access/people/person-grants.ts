import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { assertMayGrant } from '../grants';
import type { Grant, Principal } from '../principal';
import type { UnitDirectory } from '../unit-directory';

/**
 * The checks every grant handed to a person goes through: the issuer's admin grant must reach the
 * grant's ledger, and a submitter's or reviewer's unit must be a unit of that ledger (regulators,
 * auditors and admins name their own organisation). Returns the issuer's admin grant.
 */
export async function assertGrantsAllowed(issuer: Principal, grants: Grant[], units: UnitDirectory): Promise<Grant> {
  let adminGrant: Grant | null = null;
  for (const [index, grant] of grants.entries()) {
    adminGrant = assertMayGrant(issuer, grant);
    if ((grant.role === 'submitter' || grant.role === 'reviewer') && !(await units.unitExists(grant.unit, grant.ledger))) {
      const field = `grants[${index}].unit`;
      throw new DomainError('not-found', [grant.ledger === null ? problem(field, 'problem.noLedgerHasUnit', { unit: grant.unit }) : problem(field, 'problem.unknownUnit', { id: grant.unit, ledger: grant.ledger })]);
    }
  }
  if (!adminGrant) throw new DomainError('invalid', [problem('grants', 'problem.grantsRequired')]);
  return adminGrant;
}

/** An admin may manage a person only if it could have given every grant the person holds. */
export function assertMayManage(issuer: Principal, held: Grant[]): Grant {
  let adminGrant: Grant | null = null;
  for (const grant of held) adminGrant = assertMayGrant(issuer, grant);
  return adminGrant ?? assertMayGrant(issuer, { ledger: null, unit: '', role: 'admin' });
}
