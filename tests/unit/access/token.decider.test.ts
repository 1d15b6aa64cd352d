import { tokenDecider, type TokenCommand, type TokenEvent } from '../../../src/access/token.decider';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import { localize } from '../../../src/i18n/problem';

const issued: TokenEvent = {
  type: 'TokenIssued',
  data: { tokenId: 'abcdefghij23', tokenHash: 'a'.repeat(64), unit: 'gd-grid', ledger: null, role: 'submitter', label: 'laptop', expiresAt: '2022-01-01T00:00:00.000Z' },
};
const issue: TokenCommand = { kind: 'issue', tokenId: 'abcdefghij23', tokenHash: 'a'.repeat(64), unit: 'gd-grid', ledger: null, role: 'submitter', label: 'laptop', expiresAt: '2022-01-01T00:00:00.000Z' };

function given(events: TokenEvent[]) {
  return events.reduce(tokenDecider.evolve, tokenDecider.initialState());
}

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('token decider', () => {
  it('issues a new token, once', () => {
    expect(tokenDecider.decide(issue, given([]))).toEqual([issued]);
    expect(rejection(() => tokenDecider.decide(issue, given([issued]))).code).toBe('conflict');
  });

  it('refuses a token without a unit, with an unknown role, or with a blank ledger, naming every field', () => {
    const error = rejection(() => tokenDecider.decide({ ...issue, unit: ' ', role: 'owner', ledger: '' }, given([])));
    expect(error.code).toBe('invalid');
    expect(localize(error.problems, 'en')).toEqual([
      { field: 'unit', reason: 'must not be empty' },
      { field: 'ledger', reason: 'must not be empty' },
      { field: 'role', reason: '"owner" is not a role; expected one of submitter, reviewer, regulator, auditor, admin' },
    ]);
    expect(localize(error.problems, 'zh').map((p) => p.reason)).toEqual(['不能为空', '不能为空', '"owner" 不是角色；应为以下之一：submitter, reviewer, regulator, auditor, admin']);
  });

  it('revokes an issued token with a reason; revoking it again decides nothing', () => {
    const revoked: TokenEvent = { type: 'TokenRevoked', data: { tokenId: 'abcdefghij23', reason: 'laptop lost' } };
    expect(tokenDecider.decide({ kind: 'revoke', tokenId: 'abcdefghij23', reason: 'laptop lost' }, given([issued]))).toEqual([revoked]);
    expect(tokenDecider.decide({ kind: 'revoke', tokenId: 'abcdefghij23', reason: 'again' }, given([issued, revoked]))).toEqual([]);
    expect(given([issued, revoked])).toMatchObject({ issued: true, revoked: { reason: 'laptop lost' } });
  });

  it('refuses to revoke an unknown token or without a reason', () => {
    expect(rejection(() => tokenDecider.decide({ kind: 'revoke', tokenId: 'abcdefghij23', reason: 'x' }, given([]))).code).toBe('not-found');
    const blank = rejection(() => tokenDecider.decide({ kind: 'revoke', tokenId: 'abcdefghij23', reason: ' ' }, given([issued])));
    expect(localize(blank.problems, 'en')).toEqual([{ field: 'reason', reason: 'must not be empty: say why the token is revoked' }]);
    expect(localize(blank.problems, 'vi')).toEqual([{ field: 'reason', reason: 'không được để trống: hãy nêu lý do thu hồi mã truy cập' }]);
  });
});
