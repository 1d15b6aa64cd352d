import type Database from 'better-sqlite3';
import type { SignOffRow } from '../../projections/reviews.projection';

/** The 填报人及联系方式 / 审核人 / 填报日期 line of a signed-off report (the date as a local YYYY-MM-DD). */
export interface SignatureLine {
  reporter: string;
  reviewers: string[];
  reportDate: string;
}

/** The line a sign-off prints: the signer with contact, each approving reviewer once, the sign-off's local date. */
export function signatureLineOf(record: { reporter: { name: string; contact: string }; reviewers: { name: string }[]; reportDate: string }): SignatureLine {
  const reporter = [record.reporter.name, record.reporter.contact].filter((part) => part.trim() !== '').join(' ');
  return { reporter, reviewers: [...new Set(record.reviewers.map((r) => r.name))], reportDate: record.reportDate };
}

/**
 * The signature line of a report's period drawn at a log position: that of its sign-off when the
 * position is at or after the moment the signed-off files were drawn as of (so they, and every later
 * drawing, carry it and redraw to the same bytes); null before, leaving the line blank.
 */
export function signatureLineAt(db: Database.Database, ledgerId: string, reportId: string, period: string, logPosition: number): SignatureLine | null {
  const row = db
    .prepare('SELECT reporter, reviewers, report_date FROM review_signoffs_v1 WHERE ledger_id = ? AND report_id = ? AND period = ? AND as_of_position <= ?')
    .get(ledgerId, reportId, period, logPosition) as Pick<SignOffRow, 'reporter' | 'reviewers' | 'report_date'> | undefined;
  if (!row) return null;
  return signatureLineOf({ reporter: JSON.parse(row.reporter), reviewers: JSON.parse(row.reviewers), reportDate: row.report_date });
}
