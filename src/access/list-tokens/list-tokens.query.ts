import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { TokenRow } from '../../../projections/tokens.projection';
import { asOfCondition, type AsOf } from '../../audit/as-of';
import { READ_MODEL_DB } from '../../read-models/tokens';
import type { Role } from '../roles';

export interface TokenSummary {
  tokenId: string;
  unit: string;
  ledger: string | null;
  role: Role;
  label: string | null;
  /** Null for tokens issued before expiry existed (they never expire). */
  expiresAt: string | null;
  issuedBy: string | null;
  issuedAt: string;
  issuedPosition: number;
  /** Null while the token is valid (at the moment asked). */
  revoked: { at: string; position: number; reason: string } | null;
}

export interface ListTokensFilter {
  unit?: string;
  ledger?: string;
  /** Leave out revoked tokens. */
  activeOnly?: boolean;
  asOf?: AsOf;
}

/** The tokens issued up to a moment (now by default), oldest first; never their hashes. For admins. */
export class ListTokensQuery extends Query<TokenSummary[]> {
  constructor(readonly filter: ListTokensFilter = {}) {
    super();
  }
}

@QueryHandler(ListTokensQuery)
export class ListTokensHandler implements IQueryHandler<ListTokensQuery, TokenSummary[]> {
  constructor(@Inject(READ_MODEL_DB) private readonly db: Database.Database) {}

  async execute({ filter }: ListTokensQuery): Promise<TokenSummary[]> {
    const asOf = filter.asOf ?? { kind: 'now' };
    const issued = asOfCondition(asOf, 'issued_position', 'issued_at');
    const revoked = asOfCondition(asOf, 'revoked_position', 'revoked_at');
    const where = [issued.sql];
    const params: (string | number)[] = [...issued.params];
    if (filter.unit !== undefined) {
      where.push('unit = ?');
      params.push(filter.unit);
    }
    if (filter.ledger !== undefined) {
      where.push('ledger = ?');
      params.push(filter.ledger);
    }
    const rows = this.db
      .prepare(
        `SELECT token_id, unit, ledger, role, label, expires_at, issued_by, issued_position, issued_at,
           CASE WHEN revoked_position IS NOT NULL AND ${revoked.sql} THEN revoked_position END AS revoked_position,
           CASE WHEN revoked_position IS NOT NULL AND ${revoked.sql} THEN revoked_at END AS revoked_at,
           CASE WHEN revoked_position IS NOT NULL AND ${revoked.sql} THEN revoked_reason END AS revoked_reason
         FROM tokens_v2 WHERE ${where.join(' AND ')} ORDER BY issued_position`,
      )
      .all(...revoked.params, ...revoked.params, ...revoked.params, ...params) as TokenRow[];
    return rows
      .map((row) => ({
        tokenId: row.token_id,
        unit: row.unit,
        ledger: row.ledger,
        role: row.role as Role,
        label: row.label,
        expiresAt: row.expires_at,
        issuedBy: row.issued_by,
        issuedAt: row.issued_at,
        issuedPosition: row.issued_position,
        revoked: row.revoked_position === null ? null : { at: row.revoked_at as string, position: row.revoked_position, reason: row.revoked_reason as string },
      }))
      .filter((token) => !filter.activeOnly || token.revoked === null);
  }
}
