import { assertMayActFor, assertMayGrant, grantWithRole, type AccessTarget } from '../../../src/access/grants';
import type { Grant, Principal } from '../../../src/access/principal';
import type { Role } from '../../../src/access/roles';
import { DomainError } from '../../../src/event-sourcing/domain-error';

const OWN_UNIT = 'gd-grid';
const OTHER_UNIT = 'gx-grid';
const LEDGER = 'gd-2021';
const OTHER_LEDGER = 'gx-2021';

type Action = 'submit' | 'read' | 'review';
/** The rule, written out: may this role do this action for its own / another unit (on a ledger its grant reaches)? */
const RULES: [Role, Action, 'own' | 'other', boolean][] = [
  ['submitter', 'submit', 'own', true],
  ['submitter', 'submit', 'other', false],
  ['submitter', 'read', 'own', true],
  ['submitter', 'read', 'other', false],
  ['submitter', 'review', 'own', false],
  ['reviewer', 'submit', 'own', false],
  ['reviewer', 'read', 'own', true],
  ['reviewer', 'read', 'other', false],
  ['reviewer', 'review', 'own', true],
  ['reviewer', 'review', 'other', false],
  ['regulator', 'submit', 'own', false],
  ['regulator', 'read', 'own', true],
  ['regulator', 'read', 'other', true],
  ['regulator', 'review', 'other', false],
  ['auditor', 'submit', 'own', false],
  ['auditor', 'read', 'other', true],
  ['auditor', 'review', 'own', false],
  ['admin', 'submit', 'other', true],
  ['admin', 'read', 'other', true],
  ['admin', 'review', 'other', true],
];

/** Grants on every ledger and on the target ledger follow the rule; a grant on another ledger does nothing there. */
const BINDINGS: { binding: string; ledger: string | null; followsRule: boolean }[] = [
  { binding: 'on every ledger', ledger: null, followsRule: true },
  { binding: 'on this ledger', ledger: LEDGER, followsRule: true },
  { binding: 'on another ledger', ledger: OTHER_LEDGER, followsRule: false },
];

const CASES = RULES.flatMap(([role, action, unit, allowed]) => BINDINGS.map(({ binding, ledger, followsRule }) => ({ role, action, unit, binding, ledger, allowed: followsRule && allowed })));

const person = (...grants: Grant[]): Principal => ({ kind: 'person', id: 'li.hua', actor: 'person:li.hua', name: '李华', language: 'zh', grants });

function attempt(principal: Principal, target: AccessTarget): DomainError | null {
  try {
    assertMayActFor(principal, target);
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe('assertMayActFor', () => {
  it.each(CASES)('$role $action for $unit unit, grant $binding → allowed: $allowed', ({ role, action, unit, ledger, allowed }) => {
    const error = attempt(person({ ledger, unit: OWN_UNIT, role }), { action, ledgerId: LEDGER, unitId: unit === 'own' ? OWN_UNIT : OTHER_UNIT });
    if (allowed) return expect(error).toBeNull();
    expect(error?.code).toBe('forbidden');
    expect(error?.problems[0].field).toBe('unit');
    expect(error?.problems[0].reason).toContain('person:li.hua may not');
  });

  it.each([
    ['submitter', false],
    ['reviewer', false],
    ['regulator', true],
    ['auditor', true],
    ['admin', true],
  ] as [Role, boolean][])('a whole-ledger read by a %s → allowed: %s', (role, allowed) => {
    expect(attempt(person({ ledger: null, unit: OWN_UNIT, role }), { action: 'read', ledgerId: LEDGER }) === null).toBe(allowed);
  });

  it('signs off with a regulator or admin grant only, and administers with an admin grant that reaches the ledger', () => {
    expect(attempt(person({ ledger: LEDGER, unit: 'nea', role: 'regulator' }), { action: 'sign-off', ledgerId: LEDGER })).toBeNull();
    expect(attempt(person({ ledger: LEDGER, unit: 'nea', role: 'auditor' }), { action: 'sign-off', ledgerId: LEDGER })?.code).toBe('forbidden');
    expect(attempt(person({ ledger: LEDGER, unit: 'it', role: 'admin' }), { action: 'administer', ledgerId: LEDGER })).toBeNull();
    // A ledger's admin may not act beyond it: programmes, grants on every ledger, another ledger.
    expect(attempt(person({ ledger: LEDGER, unit: 'it', role: 'admin' }), { action: 'administer', ledgerId: null })?.problems[0].reason).toMatch(/may not administer beyond one ledger/);
    expect(attempt(person({ ledger: LEDGER, unit: 'it', role: 'admin' }), { action: 'administer', ledgerId: OTHER_LEDGER })?.code).toBe('forbidden');
    expect(attempt(person({ ledger: null, unit: 'it', role: 'admin' }), { action: 'administer', ledgerId: null })).toBeNull();
  });

  it('uses whichever of several grants allows the action, and returns it', () => {
    const clerk = person({ ledger: LEDGER, unit: 'a', role: 'submitter' }, { ledger: LEDGER, unit: 'b', role: 'reviewer' });
    expect(assertMayActFor(clerk, { action: 'submit', ledgerId: LEDGER, unitId: 'a' })).toEqual({ ledger: LEDGER, unit: 'a', role: 'submitter' });
    expect(assertMayActFor(clerk, { action: 'review', ledgerId: LEDGER, unitId: 'b' })).toEqual({ ledger: LEDGER, unit: 'b', role: 'reviewer' });
    expect(attempt(clerk, { action: 'submit', ledgerId: LEDGER, unitId: 'b' })?.problems[0].reason).toBe(
      `person:li.hua may not submit for unit "b" of ledger "${LEDGER}": it holds submitter of unit "a" on ledger "${LEDGER}" (submits progress, figures and corrections for its own unit only, and reads its own unit’s records); reviewer of unit "b" on ledger "${LEDGER}" (reads its unit’s records and approves or returns the periods its unit marked complete; it never submits)`,
    );
  });

  it('a ledger-bound admin cannot mint a grant on every ledger (the privilege escalation of a bound token)', () => {
    const boundAdmin = person({ ledger: LEDGER, unit: 'it', role: 'admin' });
    expect(() => assertMayGrant(boundAdmin, { ledger: null, unit: 'it', role: 'admin' })).toThrow(DomainError);
    expect(() => assertMayGrant(boundAdmin, { ledger: OTHER_LEDGER, unit: 'x', role: 'submitter' })).toThrow(DomainError);
    expect(assertMayGrant(boundAdmin, { ledger: LEDGER, unit: 'x', role: 'submitter' })).toEqual({ ledger: LEDGER, unit: 'it', role: 'admin' });
  });

  it('grantWithRole finds a grant with the role that reaches the ledger of the path', () => {
    const p = person({ ledger: OTHER_LEDGER, unit: 'x', role: 'regulator' }, { ledger: LEDGER, unit: 'y', role: 'auditor' });
    expect(grantWithRole(p, ['regulator'], LEDGER)).toBeNull();
    expect(grantWithRole(p, ['regulator', 'auditor'], LEDGER)).toEqual({ ledger: LEDGER, unit: 'y', role: 'auditor' });
    expect(grantWithRole(p, ['regulator'])).toEqual({ ledger: OTHER_LEDGER, unit: 'x', role: 'regulator' });
  });
});
