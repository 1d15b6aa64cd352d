import { createHash } from 'node:crypto';
import { hashSecret, isTokenId, newToken, parseToken, secretMatches } from '../../../src/access/token-format';

describe('token format and hashing', () => {
  it('makes clt_<12 base32 chars>_<43 base64url chars> from 12 + 32 random bytes, hashing only the secret', () => {
    const sizes: number[] = [];
    const random = (size: number) => {
      sizes.push(size);
      return Buffer.alloc(size, sizes.length === 1 ? 33 : 0xfb);
    };
    const { token, tokenId, tokenHash } = newToken(random);
    expect(sizes).toEqual([12, 32]);
    expect(tokenId).toBe('b'.repeat(12)); // 33 % 32 = 1 → "b"
    const secret = Buffer.alloc(32, 0xfb).toString('base64url');
    expect(secret).toMatch(/[-_]/); // base64url may put "_" in the secret: parsing must not split there
    expect(token).toBe(`clt_${tokenId}_${secret}`);
    expect(tokenHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(parseToken(token)).toEqual({ tokenId, secret });
  });

  it('gives a different random token each time', () => {
    const tokens = Array.from({ length: 50 }, () => newToken());
    expect(new Set(tokens.map((t) => t.tokenId)).size).toBe(50);
    for (const t of tokens) {
      expect(t.token).toMatch(/^clt_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
      expect(t.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(t.token).not.toContain(t.tokenHash);
    }
  });

  it.each([
    ['', 'empty'],
    ['clt_abc_def', 'too short'],
    ['xyz_abcdefghijkl_' + 'a'.repeat(43), 'another prefix'],
    ['clt_ABCDEFGHIJKL_' + 'a'.repeat(43), 'upper-case id'],
    ['clt_abcdefghijk1_' + 'a'.repeat(43), 'digit 1 is not base32'],
    ['clt_abcdefghijkl_' + 'a'.repeat(42), 'short secret'],
    ['clt_abcdefghijkl_' + 'a'.repeat(42) + '=', 'padding'],
    [' clt_abcdefghijkl_' + 'a'.repeat(43), 'leading space'],
  ])('refuses %j (%s)', (token) => {
    expect(parseToken(token)).toBeNull();
  });

  it('matches a secret against its stored hash only when equal, whatever the stored value', () => {
    const { token, tokenHash } = newToken();
    const { secret } = parseToken(token)!;
    expect(secretMatches(secret, tokenHash)).toBe(true);
    expect(secretMatches(secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A'), tokenHash)).toBe(false);
    expect(secretMatches(secret, hashSecret('other'))).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
    expect(secretMatches(secret, '')).toBe(false);
  });

  it('knows a token id', () => {
    expect(isTokenId('abcdefghij23')).toBe(true);
    expect(isTokenId('abcdefghij2')).toBe(false);
    expect(isTokenId('clt_abcdefghij23')).toBe(false);
  });
});
