import { personDecider, type PersonCommand, type PersonEvent, type PersonState } from '../../../src/access/people/person.decider';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import { localize } from '../../../src/i18n/problem';

const created: PersonEvent = {
  type: 'PersonCreated',
  data: { login: 'chen.li', name: '陈丽', contact: '020-1234567', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }], passwordHash: 'scrypt$1' },
};
const create: PersonCommand = { kind: 'create', login: 'chen.li', name: ' 陈丽 ', contact: '020-1234567', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }], passwordHash: 'scrypt$1' };

const given = (events: PersonEvent[]): PersonState => events.reduce(personDecider.evolve, personDecider.initialState());

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('person decider', () => {
  it('creates a person once, trimmed, with the one-time password to be changed', () => {
    expect(personDecider.decide(create, given([]))).toEqual([created]);
    expect(given([created])).toMatchObject({ exists: true, mustChangePassword: true, passwordVersion: 0, disabled: null });
    expect(refusal(() => personDecider.decide(create, given([created]))).code).toBe('conflict');
  });

  it('refuses a bad login, name, language and grants, naming every field', () => {
    const error = refusal(() => personDecider.decide({ ...create, login: 'Chen Li', name: ' ', language: 'fr' as 'zh', grants: [{ ledger: '', unit: 'a b', role: 'owner' as 'admin' }] }, given([])));
    expect(error.code).toBe('invalid');
    expect(error.problems.map((p) => p.field)).toEqual(['login', 'name', 'language', 'grants[0].unit', 'grants[0].ledger', 'grants[0].role']);
    const noGrant = refusal(() => personDecider.decide({ ...create, grants: [] }, given([]))).problems;
    expect(localize(noGrant, 'en')).toEqual([{ field: 'grants', reason: 'must list at least one grant { ledger, unit, role }' }]);
    expect(localize(noGrant, 'zh')).toEqual([{ field: 'grants', reason: '必须至少列出一项授权 { ledger, unit, role }' }]);
  });

  it('refuses control and bidirectional-override characters in a name or contact', () => {
    const error = refusal(() => personDecider.decide({ ...create, name: '陈\u202e丽', contact: 'tel\u0007' }, given([])));
    expect(error.problems.map((p) => p.field)).toEqual(['name', 'contact']);
  });

  it('refuses every change to a person who does not exist', () => {
    for (const command of [{ kind: 'enable' }, { kind: 'reset-password', passwordHash: 'x' }, { kind: 'disable', reason: 'x' }] as PersonCommand[]) {
      expect(refusal(() => personDecider.decide(command, given([]))).code).toBe('not-found');
    }
  });

  it('a reset sets a new one-time password; the person’s own change clears the obligation; each counts a password version', () => {
    const reset = personDecider.decide({ kind: 'reset-password', passwordHash: 'scrypt$2' }, given([created]));
    expect(reset).toEqual([{ type: 'PersonPasswordReset', data: { login: 'chen.li', passwordHash: 'scrypt$2' } }]);
    const changed = personDecider.decide({ kind: 'change-password', passwordHash: 'scrypt$3' }, given([created, ...reset]));
    expect(given([created, ...reset, ...changed])).toMatchObject({ passwordHash: 'scrypt$3', mustChangePassword: false, passwordVersion: 2 });
  });

  it('disables with a reason and enables again; a repeat decides nothing; a disabled person cannot change the password', () => {
    expect(refusal(() => personDecider.decide({ kind: 'disable', reason: ' ' }, given([created]))).problems[0].field).toBe('reason');
    const disabled = personDecider.decide({ kind: 'disable', reason: '调离' }, given([created]));
    expect(disabled).toEqual([{ type: 'PersonDisabled', data: { login: 'chen.li', reason: '调离' } }]);
    expect(personDecider.decide({ kind: 'disable', reason: 'again' }, given([created, ...disabled]))).toEqual([]);
    expect(refusal(() => personDecider.decide({ kind: 'change-password', passwordHash: 'x' }, given([created, ...disabled]))).code).toBe('forbidden');
    const enabled = personDecider.decide({ kind: 'enable' }, given([created, ...disabled]));
    expect(enabled).toEqual([{ type: 'PersonEnabled', data: { login: 'chen.li' } }]);
    expect(personDecider.decide({ kind: 'enable' }, given([created, ...disabled, ...enabled]))).toEqual([]);
  });

  it('changes details and grants only when they differ', () => {
    expect(personDecider.decide({ kind: 'change-details', name: '陈丽', contact: '020-1234567', language: 'zh' }, given([created]))).toEqual([]);
    expect(personDecider.decide({ kind: 'change-details', name: '陈丽', contact: '', language: 'vi' }, given([created]))).toEqual([
      { type: 'PersonDetailsChanged', data: { login: 'chen.li', name: '陈丽', contact: '', language: 'vi' } },
    ]);
    const grants = [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' as const }];
    expect(personDecider.decide({ kind: 'set-grants', grants }, given([created]))).toEqual([]);
    const more = [...grants, { ledger: null, unit: 'gd-grid', role: 'reviewer' as const }];
    expect(personDecider.decide({ kind: 'set-grants', grants: more }, given([created]))).toEqual([{ type: 'PersonGrantsChanged', data: { login: 'chen.li', grants: more } }]);
  });
});
