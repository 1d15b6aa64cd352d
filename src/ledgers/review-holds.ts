import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { ReviewUnitRow } from '../../projections/reviews.projection';
import { refusal, type Refusal } from '../i18n/problem';
import { READ_MODEL_DB } from '../read-models/tokens';

/**
 * Figures under review stand still: while a unit's figures for a period are marked complete or
 * approved (for any report of that period, until the sign-off), a new figure or a correction of one
 * for that period is refused until a reviewer returns them. Read from the review read model, which
 * every review step catches up before it answers.
 */
@Injectable()
export class ReviewHolds {
  private readonly held;

  constructor(@Inject(READ_MODEL_DB) db: Database.Database) {
    this.held = db.prepare<[string, string, string], Pick<ReviewUnitRow, 'report_id' | 'step' | 'name' | 'recorded_at'>>(
      `SELECT report_id, step, name, recorded_at FROM review_units_v1
       WHERE ledger_id = ? AND unit_id = ? AND period = ? AND step IN ('complete', 'approved') ORDER BY position LIMIT 1`,
    );
  }

  /** One submission's view: why a unit's figures for a period are held by a review, or null when they may change (each worked out once: a bulk file repeats them). */
  at(ledgerId: string): (unitId: string, periodId: string) => Refusal | null {
    const known = new Map<string, Refusal | null>();
    return (unitId, periodId) => {
      const key = JSON.stringify([unitId, periodId]);
      if (!known.has(key)) known.set(key, this.reasonOf(ledgerId, unitId, periodId));
      return known.get(key)!;
    };
  }

  private reasonOf(ledgerId: string, unitId: string, periodId: string): Refusal | null {
    const row = this.held.get(ledgerId, unitId, periodId);
    if (!row) return null;
    return refusal('problem.heldForReview', { unit: unitId, period: periodId, step: { key: `phrase.held.${row.step}` }, report: row.report_id, by: row.name, at: row.recorded_at });
  }
}
