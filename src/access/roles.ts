/** The four roles a token carries. A caller acts for one unit with one role. */
export const ROLES = ['submitter', 'regulator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What each role may do, in the words the 403 answers use. */
export const ROLE_ABILITIES: Record<Role, string> = {
  submitter: 'submits progress, figures and corrections for its own unit only, and reads its own unit’s records',
  regulator: 'reads every unit’s records and pulls reports; it never submits',
  auditor: 'reads records, reports and history; it never writes',
  admin: 'manages programmes, ledgers, units and tokens, and may do everything',
};
