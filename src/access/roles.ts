/** The roles a grant carries. A caller acts for a unit of a ledger (or of any ledger) with a role. */
export const ROLES = ['submitter', 'reviewer', 'regulator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
