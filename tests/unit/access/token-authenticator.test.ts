import { resolveAccessOptions } from '../../../src/access/access-options';
import { INVALID_TOKEN, TokenAuthenticator } from '../../../src/access/token-authenticator';
import { newToken } from '../../../src/access/token-format';
import { tokenDecider, tokenStream } from '../../../src/access/token.decider';
import { FixedClock } from '../../../src/event-sourcing/clock';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import { handleCommand } from '../../../src/event-sourcing/handle-command';
import { systemContext } from '../../../src/event-sourcing/request-context';
import { tempStore } from '../../support/temp-store';

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'unauthenticated') return error.problems[0].reason;
    throw error;
  }
  throw new Error('expected a 401');
}

describe('token authenticator', () => {
  const temp = tempStore();
  afterAll(() => temp.dispose());
  const admin = systemContext('test');
  const clock = new FixedClock(new Date('2021-07-01T00:00:00Z'));
  const authenticator = () => new TokenAuthenticator(temp.store, resolveAccessOptions({ clock, env: {} }));

  async function issue(role = 'submitter', expiresAt: string | null = '2021-10-01T00:00:00Z') {
    const token = newToken();
    await handleCommand(temp.store, tokenStream(token.tokenId), tokenDecider, { kind: 'issue', ...token, unit: 'gd-grid', ledger: null, role, label: 'scada', expiresAt }, admin);
    return token;
  }

  it('gives the token’s principal: one grant, the token as actor', async () => {
    const { token, tokenId } = await issue();
    const principal = { kind: 'token', id: tokenId, actor: `token:${tokenId}`, name: 'scada', language: null, grants: [{ ledger: null, unit: 'gd-grid', role: 'submitter' }] };
    expect(await authenticator().authenticate(`Bearer ${token}`)).toEqual(principal);
    expect(await authenticator().authenticate(`bearer  ${token}`)).toEqual(principal);
  });

  it('refuses a revoked token on the very next request (it reads the log every time)', async () => {
    const auth = authenticator();
    const { token, tokenId } = await issue('auditor');
    await auth.authenticate(`Bearer ${token}`);
    await handleCommand(temp.store, tokenStream(tokenId), tokenDecider, { kind: 'revoke', tokenId, reason: 'left the team' }, admin);
    expect(await reason(auth.authenticate(`Bearer ${token}`))).toBe(INVALID_TOKEN);
  });

  it('refuses an expired token, and a token without expiry (issued before expiry existed) never expires', async () => {
    const auth = authenticator();
    const { token } = await issue('regulator', '2021-07-01T00:00:01Z');
    await expect(auth.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ kind: 'token' });
    clock.advance(1000);
    expect(await reason(auth.authenticate(`Bearer ${token}`))).toBe(INVALID_TOKEN);
    const legacy = await issue('regulator', null);
    await expect(auth.authenticate(`Bearer ${legacy.token}`)).resolves.toMatchObject({ kind: 'token' });
  });

  it('answers the same for an unknown token, a wrong secret and a malformed one', async () => {
    const auth = authenticator();
    const { tokenId } = await issue();
    const unknown = newToken();
    expect(await reason(auth.authenticate(undefined))).toMatch(/^no caller: sign in, or send "Authorization: Bearer <token>"/);
    expect(await reason(auth.authenticate(`Basic ${unknown.token}`))).toBe('the Authorization header is not "Bearer <token>"');
    expect(await reason(auth.authenticate('Bearer abc'))).toBe(INVALID_TOKEN);
    expect(await reason(auth.authenticate(`Bearer ${unknown.token}`))).toBe(INVALID_TOKEN);
    expect(await reason(auth.authenticate(`Bearer clt_${tokenId}_${unknown.token.slice(-43)}`))).toBe(INVALID_TOKEN);
  });
});

describe('access options', () => {
  it('come from the environment with defaults, and refuse nonsense naming the variable', () => {
    expect(resolveAccessOptions({ env: {} })).toMatchObject({ rateLimit: { perSecond: 100, burst: 200 }, tokenDays: 90, session: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 } });
    expect(resolveAccessOptions({ env: { LEDGER_RATE_LIMIT_PER_SEC: '5', LEDGER_RATE_LIMIT_BURST: '7', LEDGER_TOKEN_DAYS: '30', LEDGER_SESSION_IDLE_MINUTES: '5' } })).toMatchObject({
      rateLimit: { perSecond: 5, burst: 7 },
      tokenDays: 30,
      session: { idleMs: 5 * 60_000 },
    });
    expect(resolveAccessOptions({ rateLimit: { burst: 3 }, env: { LEDGER_RATE_LIMIT_BURST: '7' } }).rateLimit).toEqual({ perSecond: 100, burst: 3 });
    expect(() => resolveAccessOptions({ env: { LEDGER_RATE_LIMIT_PER_SEC: 'fast' } })).toThrow('LEDGER_RATE_LIMIT_PER_SEC: "fast" must be a whole number of at least 0');
    expect(() => resolveAccessOptions({ env: { LEDGER_TOKEN_DAYS: '0' } })).toThrow('LEDGER_TOKEN_DAYS: "0" must be a whole number of at least 1');
  });
});
