import type { QueryBus } from '@nestjs/cqrs';
import type { LedgerDefinition } from '../../ledgers/ledger-directory';
import type { ProgrammeTemplate } from '../../programmes/template';
import { ReviewStatusQuery, type ReviewStatus } from '../../reviews/review-status.query';
import { figuresGrids } from './figures-grid';
import { layoutOf } from './report-layouts';

/** The reports a unit's figures are reviewed for: those its figures grids are laid out like (NEA: Attachment 3), else every report of the programme. */
export function reviewedReports(programme: ProgrammeTemplate): string[] {
  const laidOut = [...new Set(figuresGrids(programme, layoutOf, '').flatMap((grid) => (grid.reportId ? [grid.reportId] : [])))];
  return laidOut.length > 0 ? laidOut : programme.reports;
}

/** Where the unit stands in the review of each of those reports for the period. */
export function reviewStatuses(queries: QueryBus, ledger: LedgerDefinition, unitId: string, period: string): Promise<ReviewStatus[]> {
  return Promise.all(reviewedReports(ledger.programme).map((reportId) => queries.execute(new ReviewStatusQuery(ledger.ledgerId, reportId, period, unitId))));
}

/** Whether the unit's figures for the period stand still for a review (marked complete, approved, or submitted with the report). */
export const heldByReview = (statuses: readonly ReviewStatus[]): boolean => statuses.some((s) => ['complete', 'approved', 'submitted'].includes(s.units[0]?.state ?? ''));
