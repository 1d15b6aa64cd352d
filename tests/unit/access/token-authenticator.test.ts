import { resolveAccessOptions } from '../../../src/access/access-options';
import { TokenAuthenticator } from '../../../src/access/token-authenticator';
import { newToken } from '../../../src/access/token-format';
import { tokenDecider, tokenStream } from '../../../src/access/token.decider';
import { FixedClock } from '../../../src/event-sourcing/clock';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import type { EventStore, ReadStreamOptions } from '../../../src/event-sourcing/event-store.port';
import { handleCommand } from '../../../src/event-sourcing/handle-command';
import { systemContext } from '../../../src/event-sourcing/request-context';
import { tempStore } from '../../support/temp-store';

/** Counts the reads of token streams, and can be made to fail. */
function countingStore(inner: EventStore) {
  const counter = { reads: 0, fail: false };
  const store: EventStore = Object.create(inner);
  store.readStream = (stream: string, options?: ReadStreamOptions) => {
    counter.reads++;
    if (counter.fail) throw new Error('store down');
    return inner.readStream(stream, options);
  };
  return { store, counter };
}

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

  async function issue(role = 'submitter') {
    const token = newToken();
    await handleCommand(temp.store, tokenStream(token.tokenId), tokenDecider, { kind: 'issue', ...token, unit: 'gd-grid', ledger: null, role, label: null }, admin);
    return token;
  }

  it('reads a token from its stream, keeps it for the cache time, then reads it again', async () => {
    const clock = new FixedClock(new Date('2021-07-01T00:00:00Z'));
    const { store, counter } = countingStore(temp.store);
    const authenticator = new TokenAuthenticator(store, resolveAccessOptions({ clock, tokenCacheMs: 5000, env: {} }));
    const { token, tokenId } = await issue();
    const principal = { tokenId, unit: 'gd-grid', ledger: null, role: 'submitter' };
    expect(await authenticator.authenticate(`Bearer ${token}`)).toEqual(principal);
    expect(await authenticator.authenticate(`bearer  ${token}`)).toEqual(principal);
    expect(counter.reads).toBe(1);

    await handleCommand(temp.store, tokenStream(tokenId), tokenDecider, { kind: 'revoke', tokenId, reason: 'left the team' }, admin);
    clock.advance(4999);
    expect(await authenticator.authenticate(`Bearer ${token}`)).toEqual(principal); // within the cache time
    clock.advance(1);
    expect(await reason(authenticator.authenticate(`Bearer ${token}`))).toBe(`token ${tokenId} was revoked: left the team`);
    expect(counter.reads).toBe(2);
  });

  it('forgets a token on request (a revocation in this process holds at once)', async () => {
    const { store, counter } = countingStore(temp.store);
    const authenticator = new TokenAuthenticator(store, resolveAccessOptions({ tokenCacheMs: 60_000, env: {} }));
    const { token, tokenId } = await issue('auditor');
    await authenticator.authenticate(`Bearer ${token}`);
    await handleCommand(temp.store, tokenStream(tokenId), tokenDecider, { kind: 'revoke', tokenId, reason: 'done' }, admin);
    authenticator.forget(tokenId);
    expect(await reason(authenticator.authenticate(`Bearer ${token}`))).toMatch(/was revoked: done$/);
    expect(counter.reads).toBe(2);
  });

  it('reads concurrent requests for one token once, and does not remember a failed read', async () => {
    const { store, counter } = countingStore(temp.store);
    const authenticator = new TokenAuthenticator(store, resolveAccessOptions({ env: {} }));
    const { token } = await issue();
    await Promise.all([1, 2, 3].map(() => authenticator.authenticate(`Bearer ${token}`)));
    expect(counter.reads).toBe(1);

    const other = await issue();
    counter.fail = true;
    await expect(authenticator.authenticate(`Bearer ${other.token}`)).rejects.toThrow('store down');
    counter.fail = false;
    await expect(authenticator.authenticate(`Bearer ${other.token}`)).resolves.toMatchObject({ tokenId: other.tokenId });
  });

  it('names why a header is refused', async () => {
    const authenticator = new TokenAuthenticator(temp.store, resolveAccessOptions({ env: {} }));
    const { token, tokenId } = await issue();
    const unknown = newToken();
    expect(await reason(authenticator.authenticate(undefined))).toMatch(/^no Authorization header/);
    expect(await reason(authenticator.authenticate(`Basic ${token}`))).toBe('the Authorization header is not "Bearer <token>"');
    expect(await reason(authenticator.authenticate('Bearer abc'))).toBe('the bearer token is not a compliance-ledger token (clt_<id>_<secret>)');
    expect(await reason(authenticator.authenticate(`Bearer ${unknown.token}`))).toBe(`token ${unknown.tokenId} is unknown`);
    expect(await reason(authenticator.authenticate(`Bearer clt_${tokenId}_${unknown.token.slice(-43)}`))).toBe(`token ${tokenId}: the secret does not match`);
  });
});

describe('access options', () => {
  it('come from the environment with defaults, and refuse nonsense naming the variable', () => {
    expect(resolveAccessOptions({ env: {} })).toMatchObject({ rateLimit: { perSecond: 100, burst: 200 }, tokenCacheMs: 5000 });
    expect(resolveAccessOptions({ env: { LEDGER_RATE_LIMIT_PER_SEC: '5', LEDGER_RATE_LIMIT_BURST: '7', LEDGER_TOKEN_CACHE_MS: '0' } })).toMatchObject({
      rateLimit: { perSecond: 5, burst: 7 },
      tokenCacheMs: 0,
    });
    expect(resolveAccessOptions({ rateLimit: { burst: 3 }, env: { LEDGER_RATE_LIMIT_BURST: '7' } }).rateLimit).toEqual({ perSecond: 100, burst: 3 });
    expect(() => resolveAccessOptions({ env: { LEDGER_RATE_LIMIT_PER_SEC: 'fast' } })).toThrow('LEDGER_RATE_LIMIT_PER_SEC: "fast" must be a whole number of at least 0');
    expect(() => resolveAccessOptions({ env: { LEDGER_RATE_LIMIT_BURST: '0' } })).toThrow('LEDGER_RATE_LIMIT_BURST: "0" must be a whole number of at least 1');
  });
});
