/** The roles a grant carries. A caller acts for a unit of a ledger (or of any ledger) with a role. */
export const ROLES = ['submitter', 'reviewer', 'regulator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What each role may do, in the words the 403 answers use. */
export const ROLE_ABILITIES: Record<Role, string> = {
  submitter: 'submits progress, figures and corrections for its own unit only, and reads its own unit’s records',
  reviewer: 'reads its unit’s records and approves or returns the periods its unit marked complete; it never submits',
  regulator: 'reads every unit’s records, pulls reports and signs off the compiled report; it never submits',
  auditor: 'reads records, reports and history; it never writes',
  admin: 'manages programmes, ledgers, units, people and tokens, and may do everything on the ledgers it is granted',
};
