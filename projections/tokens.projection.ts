import type { Projection } from './projection';

/**
 * Every API token ever issued, with the log position and time it was issued and (if so) revoked:
 * which tokens were valid at a past moment is a query. The secret's hash is never copied here;
 * authentication reads the token's own stream.
 */
export const tokensProjection: Projection = {
  name: 'tokens',
  version: 2,
  handles: ['TokenIssued', 'TokenRevoked'],
  tables: ['tokens_v2'],
  schema: [
    `CREATE TABLE IF NOT EXISTS tokens_v2 (
      token_id TEXT PRIMARY KEY,
      unit TEXT NOT NULL,
      ledger TEXT,
      role TEXT NOT NULL,
      label TEXT,
      expires_at TEXT,
      issued_by TEXT,
      issued_position INTEGER NOT NULL,
      issued_at TEXT NOT NULL,
      revoked_position INTEGER,
      revoked_at TEXT,
      revoked_reason TEXT
    )`,
    'CREATE INDEX IF NOT EXISTS tokens_v2_unit ON tokens_v2 (unit)',
  ],
  apply(event, tables) {
    if (event.type === 'TokenIssued') {
      const data = event.data as { tokenId: string; unit: string; ledger: string | null; role: string; label: string | null; expiresAt?: string | null };
      tables.run(
        `INSERT INTO tokens_v2 (token_id, unit, ledger, role, label, expires_at, issued_by, issued_position, issued_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        data.tokenId,
        data.unit,
        data.ledger ?? null,
        data.role,
        data.label ?? null,
        data.expiresAt ?? null,
        typeof event.metadata.actor === 'string' ? event.metadata.actor : null,
        event.position,
        event.recordedAt,
      );
      return;
    }
    const data = event.data as { tokenId: string; reason: string };
    tables.run(
      'UPDATE tokens_v2 SET revoked_position = ?, revoked_at = ?, revoked_reason = ? WHERE token_id = ? AND revoked_position IS NULL',
      event.position,
      event.recordedAt,
      data.reason,
      data.tokenId,
    );
  },
};

export interface TokenRow {
  token_id: string;
  unit: string;
  ledger: string | null;
  role: string;
  label: string | null;
  expires_at: string | null;
  issued_by: string | null;
  issued_position: number;
  issued_at: string;
  revoked_position: number | null;
  revoked_at: string | null;
  revoked_reason: string | null;
}
