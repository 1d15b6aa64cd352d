import type Database from 'better-sqlite3';
import type { OcopProductRow, OcopRatingRow, OcopSupportRow } from '../../../projections/ocop.projection';
import { asOfCondition, heldAt, type AsOf } from '../../audit/as-of';
import type { OcopRows } from './ocop-figures';

/**
 * Reads the OCOP read model of a ledger as of a moment: every row recorded by then (a later
 * correction of the past is not seen; history superseded by then is kept, periods need it).
 */
export function readOcopRows(db: Database.Database, ledgerId: string, asOf: AsOf): OcopRows {
  const recorded = asOfCondition(asOf, 'position', 'recorded_at');
  const rows = <Row>(table: string) =>
    db.prepare(`SELECT * FROM ${table} WHERE ledger_id = ? AND ${recorded.sql} ORDER BY position, event_id`).all(ledgerId, ...recorded.params) as Row[];
  return { products: rows<OcopProductRow>('ocop_products_v1'), ratings: rows<OcopRatingRow>('ocop_ratings_v1'), supports: rows<OcopSupportRow>('ocop_support_v1') };
}

/** The rating rows that held at a moment (each product's latest certificate-track and assessment-track row then): a query, not a replay. */
export function readHeldRatings(db: Database.Database, ledgerId: string, asOf: AsOf): OcopRatingRow[] {
  const held = heldAt(asOf);
  return db.prepare(`SELECT * FROM ocop_ratings_v1 WHERE ledger_id = ? AND ${held.sql} ORDER BY product_id, track`).all(ledgerId, ...held.params) as OcopRatingRow[];
}
