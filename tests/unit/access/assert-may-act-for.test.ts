import { assertMayActFor, type AccessTarget } from '../../../src/access/assert-may-act-for';
import type { Principal } from '../../../src/access/principal';
import type { Role } from '../../../src/access/roles';
import { DomainError } from '../../../src/event-sourcing/domain-error';

const OWN_UNIT = 'gd-grid';
const OTHER_UNIT = 'gx-grid';
const LEDGER = 'gd-2021';
const OTHER_LEDGER = 'gx-2021';

/** The rule, written out: may this role do this action for its own / another unit (on a ledger the token may use)? */
const RULES: [Role, 'submit' | 'read', 'own' | 'other', boolean][] = [
  ['submitter', 'submit', 'own', true],
  ['submitter', 'submit', 'other', false],
  ['submitter', 'read', 'own', true],
  ['submitter', 'read', 'other', false],
  ['regulator', 'submit', 'own', false],
  ['regulator', 'submit', 'other', false],
  ['regulator', 'read', 'own', true],
  ['regulator', 'read', 'other', true],
  ['auditor', 'submit', 'own', false],
  ['auditor', 'submit', 'other', false],
  ['auditor', 'read', 'own', true],
  ['auditor', 'read', 'other', true],
  ['admin', 'submit', 'own', true],
  ['admin', 'submit', 'other', true],
  ['admin', 'read', 'own', true],
  ['admin', 'read', 'other', true],
];

/** Unbound tokens and tokens bound to the target ledger follow the rule; a token bound to another ledger may do nothing there. */
const BINDINGS: { binding: string; ledger: string | null; followsRule: boolean }[] = [
  { binding: 'unbound', ledger: null, followsRule: true },
  { binding: 'bound to this ledger', ledger: LEDGER, followsRule: true },
  { binding: 'bound to another ledger', ledger: OTHER_LEDGER, followsRule: false },
];

const CASES = RULES.flatMap(([role, action, unit, allowed]) =>
  BINDINGS.map(({ binding, ledger, followsRule }) => ({ role, action, unit, binding, ledger, allowed: followsRule && allowed })),
);

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
  it('covers every role × action × own/other unit × ledger binding', () => {
    expect(CASES).toHaveLength(4 * 2 * 2 * 3);
  });

  it.each(CASES)('$role $action for $unit unit, token $binding → allowed: $allowed', ({ role, action, unit, ledger, allowed }) => {
    const principal: Principal = { tokenId: 'abcdefghij23', unit: OWN_UNIT, ledger, role };
    const error = attempt(principal, { action, ledgerId: LEDGER, unitId: unit === 'own' ? OWN_UNIT : OTHER_UNIT });
    if (allowed) {
      expect(error).toBeNull();
      return;
    }
    expect(error?.code).toBe('forbidden');
    expect(error?.problems).toHaveLength(1);
    expect(error?.problems[0].reason.length).toBeGreaterThan(20);
  });

  it('names the reason: another unit, a role that never submits, another ledger', () => {
    const submitter: Principal = { tokenId: 'abcdefghij23', unit: OWN_UNIT, ledger: null, role: 'submitter' };
    expect(attempt(submitter, { action: 'submit', ledgerId: LEDGER, unitId: OTHER_UNIT })?.message).toBe(
      'unit: a submitter submits only for its own unit "gd-grid", not for unit "gx-grid"',
    );
    expect(attempt({ ...submitter, role: 'auditor' }, { action: 'submit', ledgerId: LEDGER, unitId: OWN_UNIT })?.message).toMatch(
      /^unit: role auditor reads records, reports and history; it never writes: it may not submit for unit "gd-grid"$/,
    );
    expect(attempt({ ...submitter, role: 'regulator' }, { action: 'submit', ledgerId: LEDGER, unitId: OWN_UNIT })?.message).toMatch(/^unit: role regulator .*never submits/);
    expect(attempt({ ...submitter, ledger: OTHER_LEDGER, role: 'admin' }, { action: 'read', ledgerId: LEDGER })?.message).toBe(
      'ledger: token abcdefghij23 is bound to ledger "gx-2021"; it may not act on ledger "gd-2021"',
    );
  });

  it.each([
    ['submitter', false],
    ['regulator', true],
    ['auditor', true],
    ['admin', true],
  ] as [Role, boolean][])('a whole-ledger read by a %s → allowed: %s', (role, allowed) => {
    const error = attempt({ tokenId: 'abcdefghij23', unit: OWN_UNIT, ledger: null, role }, { action: 'read', ledgerId: LEDGER });
    expect(error === null).toBe(allowed);
    if (error) expect(error.message).toBe('ledger: a submitter reads only its own unit "gd-grid", not the whole ledger "gd-2021"');
  });
});
