import Database from 'better-sqlite3';
import { tokensProjection } from '../../../projections/tokens.projection';
import type { StoredEvent } from '../../../src/event-sourcing/event-store.port';
import { tablesOf } from '../../../src/read-models/read-model-db';

const stored = (position: number, type: string, data: Record<string, unknown>): StoredEvent => ({
  id: `e${position}`,
  stream: `token-${String(data.tokenId)}`,
  revision: type === 'TokenIssued' ? 0 : 1,
  position,
  type,
  recordedAt: `2021-0${position}-01T00:00:00.000Z`,
  metadata: { actor: 'cli:ops', role: 'admin' },
  data: data as StoredEvent['data'],
});

const issued = stored(1, 'TokenIssued', { tokenId: 't1', tokenHash: 'f'.repeat(64), unit: 'gd-grid', ledger: 'gd-2021', role: 'submitter', label: 'laptop' });
const revoked = stored(3, 'TokenRevoked', { tokenId: 't1', reason: 'lost' });

describe('tokens projection', () => {
  it('keeps one row per token with when it was issued and revoked, never the hash', () => {
    const db = new Database(':memory:');
    tokensProjection.schema.forEach((sql) => db.exec(sql));
    const tables = tablesOf(db);
    tokensProjection.apply(issued, tables);
    tokensProjection.apply(revoked, tables);
    expect(db.prepare('SELECT * FROM tokens_v2').all()).toEqual([
      {
        token_id: 't1',
        unit: 'gd-grid',
        ledger: 'gd-2021',
        role: 'submitter',
        label: 'laptop',
        expires_at: null,
        issued_by: 'cli:ops',
        issued_position: 1,
        issued_at: '2021-01-01T00:00:00.000Z',
        revoked_position: 3,
        revoked_at: '2021-03-01T00:00:00.000Z',
        revoked_reason: 'lost',
      },
    ]);
    expect(JSON.stringify(db.prepare('SELECT * FROM tokens_v2').all())).not.toContain('f'.repeat(64));
  });

  it('replaying an event twice: a second issue is refused loudly, a second revocation keeps the first', () => {
    const db = new Database(':memory:');
    tokensProjection.schema.forEach((sql) => db.exec(sql));
    const tables = tablesOf(db);
    tokensProjection.apply(issued, tables);
    expect(() => tokensProjection.apply(issued, tables)).toThrow(/UNIQUE/);
    tokensProjection.apply(revoked, tables);
    tokensProjection.apply({ ...revoked, position: 4, data: { tokenId: 't1', reason: 'again' } }, tables);
    expect(db.prepare('SELECT revoked_position, revoked_reason FROM tokens_v2').get()).toEqual({ revoked_position: 3, revoked_reason: 'lost' });
  });
});
