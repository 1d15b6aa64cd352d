import type { StoredEvent } from '../src/event-sourcing/event-store.port';
import type { Projection, ReadModelTables } from './projection';
import type {
  OcopCertificateRevoked,
  OcopProductDowngraded,
  OcopProductRated,
  OcopProductRegistered,
  OcopProductSupported,
  OcopProductUpgraded,
} from '../src/ocop/ocop-product.decider';

/**
 * The OCOP product registry and each product's rating history, per ledger.
 *
 * - ocop_products_v1: one row per registered product (product, producer, district, category,
 *   business type, registered on / at, and the certificate it held when it entered, if any).
 * - ocop_ratings_v1: one row per rating fact, on one of two tracks:
 *   `certificate` (what the product holds: recognised at registration, rated at province level,
 *   upgraded, downgraded, revoked) and `assessment` (district councils' preliminary results). The
 *   next row of the same product and track supersedes the previous one (position and time), so the
 *   standing of every product at any past moment is a query (heldAt), and the history stays whole.
 * - ocop_support_v1: trade-promotion support of certified products.
 *
 * Every row carries the log position and recorded time it holds from; `on_date` is the local date
 * the fact is about (what periods count by). Applying an event twice changes nothing.
 */
export const ocopProjection: Projection = {
  name: 'ocop',
  version: 1,
  handles: ['OcopProductRegistered', 'OcopProductRated', 'OcopProductUpgraded', 'OcopProductDowngraded', 'OcopCertificateRevoked', 'OcopProductSupported'],
  tables: ['ocop_products_v1', 'ocop_ratings_v1', 'ocop_support_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS ocop_products_v1 (
      event_id TEXT PRIMARY KEY,
      ledger_id TEXT NOT NULL,
      product_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      name TEXT NOT NULL,
      producer TEXT NOT NULL,
      producer_key TEXT NOT NULL,
      address TEXT,
      representative TEXT,
      business_type TEXT NOT NULL,
      category TEXT NOT NULL,
      sector TEXT NOT NULL,
      group_name TEXT NOT NULL,
      subgroup TEXT,
      district TEXT NOT NULL,
      registered_on TEXT NOT NULL,
      registration TEXT NOT NULL,
      recognised_stars INTEGER,
      recognised_level TEXT,
      recognised_year INTEGER,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      superseded_position INTEGER,
      superseded_at TEXT
    )`,
    'CREATE UNIQUE INDEX IF NOT EXISTS ocop_products_v1_product ON ocop_products_v1 (ledger_id, product_id)',
    'CREATE INDEX IF NOT EXISTS ocop_products_v1_district ON ocop_products_v1 (ledger_id, district)',
    `CREATE TABLE IF NOT EXISTS ocop_ratings_v1 (
      event_id TEXT PRIMARY KEY,
      ledger_id TEXT NOT NULL,
      product_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      track TEXT NOT NULL,
      change TEXT NOT NULL,
      level TEXT NOT NULL,
      stars INTEGER NOT NULL,
      from_stars INTEGER,
      from_level TEXT,
      certified INTEGER NOT NULL,
      round TEXT,
      council TEXT,
      decision TEXT,
      reason TEXT,
      on_date TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      superseded_position INTEGER,
      superseded_at TEXT
    )`,
    'CREATE INDEX IF NOT EXISTS ocop_ratings_v1_product ON ocop_ratings_v1 (ledger_id, product_id, track, position)',
    'CREATE INDEX IF NOT EXISTS ocop_ratings_v1_date ON ocop_ratings_v1 (ledger_id, on_date)',
    `CREATE TABLE IF NOT EXISTS ocop_support_v1 (
      event_id TEXT PRIMARY KEY,
      ledger_id TEXT NOT NULL,
      product_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      on_date TEXT NOT NULL,
      activity TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS ocop_support_v1_product ON ocop_support_v1 (ledger_id, product_id)',
  ],
  apply(event, tables) {
    switch (event.type) {
      case 'OcopProductRegistered': {
        const d = event.data as OcopProductRegistered['data'];
        tables.run(
          `INSERT OR IGNORE INTO ocop_products_v1 (event_id, ledger_id, product_id, unit_id, name, producer, producer_key, address, representative,
             business_type, category, sector, group_name, subgroup, district, registered_on, registration, recognised_stars, recognised_level,
             recognised_year, position, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          event.id, d.ledgerId, d.productId, d.unitId, d.name, d.producer, producerKey(d.producer), d.address, d.representative,
          d.businessType, d.category, d.sector, d.group, d.subgroup, d.district, d.on, d.recognised ? 'upgrade' : 'new',
          d.recognised?.stars ?? null, d.recognised?.level ?? null, d.recognised?.year ?? null, event.position, event.recordedAt,
        );
        if (d.recognised) {
          // The certificate held on entry: dated the end of its year, or the registration if earlier.
          const held = `${d.recognised.year}-12-31` < d.on ? `${d.recognised.year}-12-31` : d.on;
          rating(tables, event, d, { track: 'certificate', change: 'recognised', level: d.recognised.level, stars: d.recognised.stars, certified: true, on: held });
        }
        return;
      }
      case 'OcopProductRated': {
        const d = event.data as OcopProductRated['data'];
        rating(tables, event, d, {
          track: d.level === 'district' ? 'assessment' : 'certificate',
          change: d.level === 'district' ? 'assessed' : 'rated',
          level: d.level, stars: d.stars, certified: d.certified, round: d.round, council: d.council, decision: d.decision, on: d.on,
        });
        return;
      }
      case 'OcopProductUpgraded': {
        const d = event.data as OcopProductUpgraded['data'];
        rating(tables, event, d, {
          track: 'certificate', change: 'upgraded', level: d.level, stars: d.stars, fromStars: d.fromStars, fromLevel: d.fromLevel, certified: true,
          round: d.round, council: d.council, decision: d.decision, on: d.on,
        });
        return;
      }
      case 'OcopProductDowngraded': {
        const d = event.data as OcopProductDowngraded['data'];
        rating(tables, event, d, {
          track: 'certificate', change: 'downgraded', level: d.level, stars: d.stars, fromStars: d.fromStars, fromLevel: d.fromLevel, certified: true,
          reason: d.reason, decision: d.decision, on: d.on,
        });
        return;
      }
      case 'OcopCertificateRevoked': {
        const d = event.data as OcopCertificateRevoked['data'];
        rating(tables, event, d, {
          track: 'certificate', change: 'revoked', level: d.level, stars: d.stars, fromStars: d.stars, fromLevel: d.level, certified: false,
          reason: d.reason, decision: d.decision, on: d.on,
        });
        return;
      }
      case 'OcopProductSupported': {
        const d = event.data as OcopProductSupported['data'];
        tables.run(
          `INSERT OR IGNORE INTO ocop_support_v1 (event_id, ledger_id, product_id, unit_id, on_date, activity, position, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          event.id, d.ledgerId, d.productId, d.unitId, d.on, d.activity, event.position, event.recordedAt,
        );
        return;
      }
    }
  },
};

/** A producer's identity across its products: its name as written, case and spacing aside. */
export function producerKey(producer: string): string {
  return producer.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');
}

interface RatingFacts {
  track: 'certificate' | 'assessment';
  change: OcopRatingChange;
  level: string;
  stars: number;
  fromStars?: number;
  fromLevel?: string;
  certified: boolean;
  round?: string;
  council?: string;
  decision?: string | null;
  reason?: string;
  on: string;
}

/** Adds a rating row and supersedes the product's previous row of the same track (idempotent: the row's own event id is never superseded by itself). */
function rating(tables: ReadModelTables, event: StoredEvent, ids: { ledgerId: string; productId: string; unitId: string }, f: RatingFacts): void {
  const id = f.change === 'recognised' ? `${event.id}/recognised` : event.id;
  if (tables.get('SELECT 1 AS found FROM ocop_ratings_v1 WHERE event_id = ?', id)) return;
  tables.run(
    `UPDATE ocop_ratings_v1 SET superseded_position = ?, superseded_at = ?
     WHERE ledger_id = ? AND product_id = ? AND track = ? AND superseded_position IS NULL`,
    event.position, event.recordedAt, ids.ledgerId, ids.productId, f.track,
  );
  tables.run(
    `INSERT INTO ocop_ratings_v1 (event_id, ledger_id, product_id, unit_id, track, change, level, stars, from_stars, from_level, certified,
       round, council, decision, reason, on_date, position, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id, ids.ledgerId, ids.productId, ids.unitId, f.track, f.change, f.level, f.stars, f.fromStars ?? null, f.fromLevel ?? null, f.certified ? 1 : 0,
    f.round ?? null, f.council ?? null, f.decision ?? null, f.reason ?? null, f.on, event.position, event.recordedAt,
  );
}

export type OcopRatingChange = 'recognised' | 'assessed' | 'rated' | 'upgraded' | 'downgraded' | 'revoked';

export interface OcopProductRow {
  event_id: string;
  ledger_id: string;
  product_id: string;
  unit_id: string;
  name: string;
  producer: string;
  producer_key: string;
  address: string | null;
  representative: string | null;
  business_type: string;
  category: string;
  sector: string;
  group_name: string;
  subgroup: string | null;
  district: string;
  registered_on: string;
  registration: 'new' | 'upgrade';
  recognised_stars: number | null;
  recognised_level: string | null;
  recognised_year: number | null;
  position: number;
  recorded_at: string;
  superseded_position: number | null;
  superseded_at: string | null;
}

export interface OcopRatingRow {
  event_id: string;
  ledger_id: string;
  product_id: string;
  unit_id: string;
  track: 'certificate' | 'assessment';
  change: OcopRatingChange;
  level: 'district' | 'province' | 'national';
  /** The stars of the result; for a revocation, those of the certificate revoked. */
  stars: number;
  from_stars: number | null;
  from_level: string | null;
  /** 1 while this row's result is a certificate (3 stars or more at province or national level); 0 for a revocation. */
  certified: number;
  round: string | null;
  council: string | null;
  decision: string | null;
  reason: string | null;
  on_date: string;
  position: number;
  recorded_at: string;
  superseded_position: number | null;
  superseded_at: string | null;
}

export interface OcopSupportRow {
  event_id: string;
  ledger_id: string;
  product_id: string;
  unit_id: string;
  on_date: string;
  activity: string;
  position: number;
  recorded_at: string;
}
