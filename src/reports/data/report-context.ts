import type { QueryBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { AsOf } from '../../audit/as-of';
import type { LedgerDefinition } from '../../ledgers/ledger-directory';
import type { Period } from '../../programmes/period';
import { signatureLineAt, type SignatureLine } from '../signature-line';
import type { ReportData } from '../resolved';
import { backfillNote } from './backfill-note';
import { writtenDate } from './written-date';
import { restatementNote } from './restatements';

/** What a report's data provider gets: the ledger as it stood, the period, the moment, and the read side. */
export interface ReportContext {
  ledger: LedgerDefinition;
  /** The report drawn: its sign-off, if any, fills the signature line (absent: the line stays blank). */
  reportId: string;
  period: Period;
  asOf: AsOf;
  /** The instant the report is as of (ISO), and its local date in the programme's time zone. */
  instant: string;
  asOfDate: string;
  /** The log position and running digest at that moment: the footer pins the report to them. */
  logPosition: number;
  logDigest: string;
  /** The report pin (report-pin.ts) every footer prints. */
  pin: string;
  db: Database.Database;
  queries: QueryBus;
  /** The signature line of a sign-off being drawn (its event is not in the log yet); otherwise read from the log's sign-offs. */
  signature?: SignatureLine;
}

/** Turns the read models into the plain data one layout is resolved with. */
export type ReportDataProvider = (context: ReportContext) => Promise<ReportData>;

/** The signature line of the report drawn: the sign-off being drawn, or the one recorded by the report's position; null if unsigned. */
function signatureOf(context: ReportContext): SignatureLine | null {
  return context.signature ?? (context.reportId ? signatureLineAt(context.db, context.ledger.ledgerId, context.reportId, context.period.id, context.logPosition) : null);
}

/** The date a report is dated (YYYY-MM-DD): its sign-off's report date once signed, else the as-of date. */
export function reportDateOf(context: ReportContext): string {
  return signatureOf(context)?.reportDate ?? context.asOfDate;
}

/** Fields every layout may print: the moment, the log state it came from (footer), the ledger. */
export function commonFields(context: ReportContext): Record<string, string | number | null> {
  const language = context.ledger.programme.language;
  const signed = signatureOf(context);
  return {
    ledgerId: context.ledger.ledgerId,
    ledgerName: context.ledger.name,
    jurisdiction: context.ledger.name,
    asOfDate: writtenDate(context.asOfDate, language),
    reportDate: writtenDate(signed?.reportDate ?? context.asOfDate, language),
    reporter: signed?.reporter ?? null,
    reviewer: signed ? signed.reviewers.join(language === 'vi' ? ', ' : '、') : null,
    logPosition: context.logPosition,
    logDigest: `sha256:${context.logDigest}`,
    reportPin: context.pin,
    restatements: restatementNote(context),
    backfill: backfillNote(context),
  };
}
