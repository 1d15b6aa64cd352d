import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { ReviewUnitRow, SignOffRow } from '../../projections/reviews.projection';
import { LedgerDirectory } from '../ledgers/ledger-directory';
import { ProjectionRunner } from '../read-models/projection-runner';
import { READ_MODEL_DB } from '../read-models/tokens';
import type { SignOffRecord } from './review.decider';
import { assertReviewablePeriod, assertReviewableUnit } from './review-target';

/** Where a unit stands: no figures yet, figures not marked, then the review steps, and submitted with the signed-off report. */
export type UnitStanding = 'not-started' | 'in-progress' | 'complete' | 'returned' | 'approved' | 'submitted';

export interface UnitReviewStatus {
  unitId: string;
  name: string;
  state: UnitStanding;
  /** Who took the last review step and when (null before any). */
  by: { actor: string; name: string } | null;
  at: string | null;
  /** Why the figures were returned. */
  reason: string | null;
}

export interface ReviewStatus {
  ledgerId: string;
  reportId: string;
  period: string;
  signOff: (Pick<SignOffRecord, 'reporter' | 'reviewers' | 'reportDate' | 'files' | 'notReported' | 'asOf' | 'logDigest'> & { asOfPosition: number; eventId: string; position: number; at: string }) | null;
  units: UnitReviewStatus[];
}

/** Where each unit of a ledger stands in the review of a report's period (one unit's only, when given). */
export class ReviewStatusQuery extends Query<ReviewStatus> {
  constructor(
    readonly ledgerId: string,
    readonly reportId: string,
    readonly period: string,
    readonly unitId?: string,
  ) {
    super();
  }
}

@QueryHandler(ReviewStatusQuery)
export class ReviewStatusHandler implements IQueryHandler<ReviewStatusQuery, ReviewStatus> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, reportId, period: periodText, unitId }: ReviewStatusQuery): Promise<ReviewStatus> {
    await this.runner.catchUp();
    const ledger = await this.directory.get(ledgerId);
    const period = assertReviewablePeriod(ledger, reportId, periodText);
    if (unitId !== undefined) assertReviewableUnit(ledger, unitId);
    const steps = new Map(
      (this.db.prepare('SELECT * FROM review_units_v1 WHERE ledger_id = ? AND report_id = ? AND period = ?').all(ledgerId, reportId, period) as ReviewUnitRow[]).map((row) => [row.unit_id, row]),
    );
    const reporting = new Set(
      (this.db.prepare('SELECT DISTINCT unit_id FROM metric_values_v2 WHERE ledger_id = ? AND period = ? AND superseded_position IS NULL').all(ledgerId, period) as { unit_id: string }[]).map((row) => row.unit_id),
    );
    const units = [...ledger.units.values()].filter((unit) => !unit.retired && (unitId === undefined || unit.id === unitId));
    const signed = this.db.prepare('SELECT * FROM review_signoffs_v1 WHERE ledger_id = ? AND report_id = ? AND period = ?').get(ledgerId, reportId, period) as SignOffRow | undefined;
    return {
      ledgerId,
      reportId,
      period,
      signOff: signed
        ? {
            reporter: JSON.parse(signed.reporter),
            reviewers: JSON.parse(signed.reviewers),
            reportDate: signed.report_date,
            files: JSON.parse(signed.files),
            notReported: JSON.parse(signed.not_reported),
            asOf: signed.as_of,
            asOfPosition: signed.as_of_position,
            logDigest: signed.log_digest,
            eventId: signed.event_id,
            position: signed.position,
            at: signed.recorded_at,
          }
        : null,
      units: units.map((unit) => {
        const step = steps.get(unit.id);
        if (step) return { unitId: unit.id, name: unit.name, state: step.step, by: { actor: step.actor, name: step.name }, at: step.recorded_at, reason: step.reason };
        return { unitId: unit.id, name: unit.name, state: reporting.has(unit.id) ? 'in-progress' : 'not-started', by: null, at: null, reason: null };
      }),
    };
  }
}
