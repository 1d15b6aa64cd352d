import { isLang as isLanguage, LANGS as LANGUAGES, type Lang as Language } from '../../i18n/languages';
import type { Decider, DomainEvent } from '../../event-sourcing/decider';
import { DomainError, type Problem } from '../../event-sourcing/domain-error';
import { streamName } from '../../event-sourcing/stream-name';
import { problem } from '../../i18n/problem';
import { readText } from '../../input/text';
import type { Grant } from '../principal';
import { isRole, ROLES } from '../roles';


export { isLanguage, LANGUAGES, type Language };

export interface PersonDetails {
  name: string;
  /** Telephone, e-mail: printed beside the name as 填报人及联系方式. */
  contact: string;
  language: Language;
}

type GrantData = { ledger: string | null; unit: string; role: string };

export type PersonCreated = DomainEvent<'PersonCreated', { login: string; name: string; contact: string; language: string; grants: GrantData[]; passwordHash: string }>;
/** An admin set a one-time password: it must be changed at the next sign-in. */
export type PersonPasswordReset = DomainEvent<'PersonPasswordReset', { login: string; passwordHash: string }>;
export type PersonPasswordChanged = DomainEvent<'PersonPasswordChanged', { login: string; passwordHash: string }>;
export type PersonDetailsChanged = DomainEvent<'PersonDetailsChanged', { login: string; name: string; contact: string; language: string }>;
export type PersonGrantsChanged = DomainEvent<'PersonGrantsChanged', { login: string; grants: GrantData[] }>;
export type PersonDisabled = DomainEvent<'PersonDisabled', { login: string; reason: string }>;
export type PersonEnabled = DomainEvent<'PersonEnabled', { login: string }>;
export type PersonEvent = PersonCreated | PersonPasswordReset | PersonPasswordChanged | PersonDetailsChanged | PersonGrantsChanged | PersonDisabled | PersonEnabled;

export type PersonCommand =
  | ({ kind: 'create'; login: string; grants: Grant[]; passwordHash: string } & PersonDetails)
  | { kind: 'reset-password'; passwordHash: string }
  | { kind: 'change-password'; passwordHash: string }
  | ({ kind: 'change-details' } & PersonDetails)
  | { kind: 'set-grants'; grants: Grant[] }
  | { kind: 'disable'; reason: string }
  | { kind: 'enable' };

export type PersonState =
  | { exists: false }
  | ({
      exists: true;
      login: string;
      grants: Grant[];
      passwordHash: string;
      /** True after creation or a reset: the one-time password must be replaced before anything else. */
      mustChangePassword: boolean;
      disabled: { reason: string } | null;
      /** Counts password changes and resets: a session started under an older one is no longer valid. */
      passwordVersion: number;
    } & PersonDetails);

export const personStream = (login: string) => streamName('person', login);

const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
export const MAX_NAME_LENGTH = 200;

/** The login's problem, or null. */
export function loginProblem(login: unknown): Problem | null {
  if (typeof login !== 'string') return problem('login', 'problem.notString');
  return LOGIN_PATTERN.test(login) ? null : problem('login', 'problem.loginPattern');
}

export function detailsProblems(details: { name: unknown; contact: unknown; language: unknown }): Problem[] {
  const problems: Problem[] = [];
  if (typeof details.name !== 'string' || details.name.trim() === '') problems.push(problem('name', 'problem.nonEmptyText'));
  else if (details.name.length > MAX_NAME_LENGTH) problems.push(problem('name', 'problem.atMostCharacters', { max: MAX_NAME_LENGTH }));
  if (typeof details.contact !== 'string') problems.push(problem('contact', 'problem.contactText'));
  else if (details.contact.length > MAX_NAME_LENGTH) problems.push(problem('contact', 'problem.atMostCharacters', { max: MAX_NAME_LENGTH }));
  if (!isLanguage(details.language)) problems.push(problem('language', 'problem.oneOf', { allowed: LANGUAGES.join(', ') }));
  for (const field of ['name', 'contact'] as const) {
    const read = typeof details[field] === 'string' ? readText(details[field] as string) : null;
    if (read && 'problem' in read) problems.push({ field, reason: read.problem, message: read.message });
  }
  return problems;
}

export function grantProblems(grants: unknown): Problem[] {
  if (!Array.isArray(grants) || grants.length === 0) return [problem('grants', 'problem.grantsRequired')];
  const problems: Problem[] = [];
  grants.forEach((grant: Record<string, unknown> | null, index) => {
    const at = `grants[${index}]`;
    if (typeof grant !== 'object' || grant === null) return problems.push(problem(at, 'problem.grantObject'));
    if (typeof grant.unit !== 'string' || !/^[^\s\p{Cc}]{1,128}$/u.test(grant.unit)) problems.push(problem(`${at}.unit`, 'problem.grantUnitId'));
    if (grant.ledger !== null && (typeof grant.ledger !== 'string' || !/^[^\s\p{Cc}]{1,128}$/u.test(grant.ledger))) {
      problems.push(problem(`${at}.ledger`, 'problem.grantLedgerId'));
    }
    if (!isRole(grant.role)) problems.push(problem(`${at}.role`, 'problem.oneOf', { allowed: ROLES.join(', ') }));
  });
  return problems;
}

const grantsOf = (grants: GrantData[]): Grant[] => grants.map((g) => ({ ledger: g.ledger ?? null, unit: g.unit, role: g.role as Grant['role'] }));
const grantData = (grants: Grant[]): GrantData[] => grants.map((g) => ({ ledger: g.ledger, unit: g.unit, role: g.role }));
const sameGrants = (a: Grant[], b: Grant[]) => JSON.stringify(grantData(a)) === JSON.stringify(grantData(b));

/**
 * A person's account: created once, then passwords, details, grants, disable and enable. Commands
 * that change nothing decide nothing, so a repeated click appends nothing.
 */
export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ exists: false }),
  evolve(state, event) {
    if (event.type === 'PersonCreated') {
      const { login, name, contact, language, grants, passwordHash } = event.data;
      return { exists: true, login, name, contact, language: language as Language, grants: grantsOf(grants), passwordHash, mustChangePassword: true, disabled: null, passwordVersion: 0 };
    }
    if (!state.exists) return state;
    switch (event.type) {
      case 'PersonPasswordReset':
        return { ...state, passwordHash: event.data.passwordHash, mustChangePassword: true, passwordVersion: state.passwordVersion + 1 };
      case 'PersonPasswordChanged':
        return { ...state, passwordHash: event.data.passwordHash, mustChangePassword: false, passwordVersion: state.passwordVersion + 1 };
      case 'PersonDetailsChanged':
        return { ...state, name: event.data.name, contact: event.data.contact, language: event.data.language as Language };
      case 'PersonGrantsChanged':
        return { ...state, grants: grantsOf(event.data.grants) };
      case 'PersonDisabled':
        return { ...state, disabled: { reason: event.data.reason } };
      case 'PersonEnabled':
        return { ...state, disabled: null };
    }
  },
  decide(command, state) {
    if (command.kind === 'create') {
      if (state.exists) throw new DomainError('conflict', [problem('login', 'problem.personExists', { login: command.login })]);
      const loginIssue = loginProblem(command.login);
      const problems = [...(loginIssue ? [loginIssue] : []), ...detailsProblems(command), ...grantProblems(command.grants)];
      if (problems.length > 0) throw new DomainError('invalid', problems);
      const { login, name, contact, language, grants, passwordHash } = command;
      return [{ type: 'PersonCreated', data: { login, name: name.trim(), contact: contact.trim(), language, grants: grantData(grants), passwordHash } }];
    }
    if (!state.exists) throw new DomainError('not-found', [problem('login', 'problem.noSuchPerson')]);
    const login = state.login;
    switch (command.kind) {
      case 'reset-password':
        return [{ type: 'PersonPasswordReset', data: { login, passwordHash: command.passwordHash } }];
      case 'change-password':
        if (state.disabled) throw new DomainError('forbidden', [problem('login', 'problem.accountDisabled', { reason: state.disabled.reason })]);
        return [{ type: 'PersonPasswordChanged', data: { login, passwordHash: command.passwordHash } }];
      case 'change-details': {
        const problems = detailsProblems(command);
        if (problems.length > 0) throw new DomainError('invalid', problems);
        const details = { name: command.name.trim(), contact: command.contact.trim(), language: command.language };
        if (details.name === state.name && details.contact === state.contact && details.language === state.language) return [];
        return [{ type: 'PersonDetailsChanged', data: { login, ...details } }];
      }
      case 'set-grants': {
        const problems = grantProblems(command.grants);
        if (problems.length > 0) throw new DomainError('invalid', problems);
        if (sameGrants(command.grants, state.grants)) return [];
        return [{ type: 'PersonGrantsChanged', data: { login, grants: grantData(command.grants) } }];
      }
      case 'disable':
        if (command.reason.trim() === '') throw new DomainError('invalid', [problem('reason', 'problem.disableReasonEmpty')]);
        return state.disabled ? [] : [{ type: 'PersonDisabled', data: { login, reason: command.reason.trim() } }];
      case 'enable':
        return state.disabled ? [{ type: 'PersonEnabled', data: { login } }] : [];
    }
  },
};
