import type { Decider, DomainEvent } from '../event-sourcing/decider';
import { DomainError, type Problem } from '../event-sourcing/domain-error';
import { streamName } from '../event-sourcing/stream-name';
import { problem } from '../i18n/problem';
import { readText } from '../input/text';
import { isRole, ROLES, type Role } from './roles';

export type TokenIssued = DomainEvent<
  'TokenIssued',
  {
    tokenId: string;
    /** SHA-256 (hex) of the token's secret part; the secret itself is never stored. */
    tokenHash: string;
    unit: string;
    /** The one ledger the token may act on, or null: any ledger that has the unit. */
    ledger: string | null;
    role: Role;
    label: string | null;
    /** When the token stops working (ISO-8601); absent on tokens issued before expiry existed: they never expire. */
    expiresAt?: string | null;
  }
>;
export type TokenRevoked = DomainEvent<'TokenRevoked', { tokenId: string; reason: string }>;
export type TokenEvent = TokenIssued | TokenRevoked;

export interface IssueToken {
  kind: 'issue';
  tokenId: string;
  tokenHash: string;
  unit: string;
  ledger: string | null;
  role: string;
  label: string | null;
  expiresAt: string | null;
}

export interface RevokeToken {
  kind: 'revoke';
  tokenId: string;
  reason: string;
}

export type TokenCommand = IssueToken | RevokeToken;

export type TokenState =
  | { issued: false }
  | { issued: true; tokenId: string; tokenHash: string; unit: string; ledger: string | null; role: Role; label: string | null; expiresAt: string | null; revoked: { reason: string } | null };

export const tokenStream = (tokenId: string) => streamName('token', tokenId);

export const MAX_LABEL_LENGTH = 200;
const MAX_ID_LENGTH = 128;

/** Problems with the fields of a token to issue (shared by the CLI, which reports them as usage errors, and the decider). */
export function issueProblems(fields: { unit: string; ledger: string | null; role: string; label: string | null }): Problem[] {
  const problems: Problem[] = [];
  const id = (field: string, value: string) => {
    if (value.trim() === '') problems.push(problem(field, 'problem.notEmpty'));
    else if (value.length > MAX_ID_LENGTH) problems.push(problem(field, 'problem.atMostCharacters', { max: MAX_ID_LENGTH }));
    else if (/[\s\p{Cc}]/u.test(value)) problems.push(problem(field, 'problem.noSpacesOrControls', { value }));
  };
  id('unit', fields.unit);
  if (fields.ledger !== null) id('ledger', fields.ledger);
  if (!isRole(fields.role)) problems.push(problem('role', 'problem.notARole', { value: fields.role, roles: ROLES.join(', ') }));
  if (fields.label !== null && fields.label.length > MAX_LABEL_LENGTH) problems.push(problem('label', 'problem.atMostCharacters', { max: MAX_LABEL_LENGTH }));
  const label = fields.label === null ? null : readText(fields.label);
  if (label && 'problem' in label) problems.push({ field: 'label', reason: label.problem, message: label.message });
  return problems;
}

/**
 * A token's stream: issued once, revoked at most once. Revoking a revoked token decides nothing,
 * so a repeated revocation is harmless.
 */
export const tokenDecider: Decider<TokenCommand, TokenEvent, TokenState> = {
  initialState: () => ({ issued: false }),
  evolve(state, event) {
    if (event.type === 'TokenIssued') return { issued: true, ...event.data, expiresAt: event.data.expiresAt ?? null, revoked: null };
    if (!state.issued) return state;
    return { ...state, revoked: { reason: event.data.reason } };
  },
  decide(command, state) {
    if (command.kind === 'issue') {
      // Developer-only (a freshly drawn random id that is already taken), so English.
      if (state.issued) throw new DomainError('conflict', [{ field: 'tokenId', reason: `token ${command.tokenId} already exists` }]);
      const problems = issueProblems(command);
      if (problems.length > 0) throw new DomainError('invalid', problems);
      const { tokenId, tokenHash, unit, ledger, label, expiresAt } = command;
      return [{ type: 'TokenIssued', data: { tokenId, tokenHash, unit, ledger, role: command.role as Role, label, expiresAt } }];
    }
    if (!state.issued) throw new DomainError('not-found', [problem('tokenId', 'problem.unknownToken', { id: command.tokenId })]);
    if (command.reason.trim() === '') throw new DomainError('invalid', [problem('reason', 'problem.revokeReasonEmpty')]);
    if (state.revoked) return [];
    return [{ type: 'TokenRevoked', data: { tokenId: command.tokenId, reason: command.reason } }];
  },
};
