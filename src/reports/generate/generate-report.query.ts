import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { canonicalJson } from '../../event-sourcing/canonical-json';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { LogEvidence, type SignedCheckpoint } from '../../evidence/log-evidence';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { readReportData } from '../data/report-data.query';
import type { ReportLayout } from '../layout';
import { loadReportLayout } from '../load-layout';
import { renderPdf } from '../render-pdf';
import { renderXlsx } from '../render-xlsx';
import { resolveReport } from '../resolve';
import type { SignatureLine } from '../signature-line';

export type ReportFormat = 'xlsx' | 'pdf';

export interface GeneratedReport {
  ledgerId: string;
  reportId: string;
  period: string;
  format: ReportFormat;
  bytes: Buffer;
  /** sha256 hex of the file's bytes. */
  digest: string;
  asOf: string;
  position: number;
  logDigest: string;
  /** The signed checkpoint of the log at the report's moment, which the file carries. */
  checkpoint: SignedCheckpoint | null;
  /** sha256 of the layout the report was drawn with. */
  layoutVersion: string;
  fileName: string;
  contentType: string;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** One report of a ledger for a period, as of a moment, in one format: the same moment always gives the same bytes. */
export class GenerateReportQuery extends Query<GeneratedReport> {
  constructor(
    readonly ledgerId: string,
    readonly reportId: string,
    readonly period: string,
    readonly format: string,
    readonly asOf: AsOf = { kind: 'now' },
    /** The signature line of a sign-off being drawn, before its event is in the log. */
    readonly signature?: SignatureLine,
  ) {
    super();
  }
}

@QueryHandler(GenerateReportQuery)
export class GenerateReportHandler implements IQueryHandler<GenerateReportQuery, GeneratedReport> {
  private readonly layouts = new Map<string, { layout: ReportLayout; version: string }>();

  constructor(
    @Inject(READ_MODEL_DB) readonly db: Database.Database,
    readonly runner: ProjectionRunner,
    readonly directory: LedgerDirectory,
    readonly moments: Moments,
    readonly queries: QueryBus,
    readonly evidence: LogEvidence,
  ) {}

  async execute(q: GenerateReportQuery): Promise<GeneratedReport> {
    if (q.format !== 'xlsx' && q.format !== 'pdf') throw new DomainError('invalid', [problem('format', 'problem.notOneOf', { value: JSON.stringify(q.format), allowed: 'xlsx, pdf' })]);
    const { data, pin, period, moment, checkpoint } = await readReportData(this, q, true);
    if (checkpoint) this.evidence.keep(checkpoint);
    const layout = this.layout(q.reportId);
    const resolved = resolveReport(layout.layout, { ...data, pin });
    const bytes = q.format === 'xlsx' ? await renderXlsx(resolved) : await renderPdf(resolved);
    return {
      ledgerId: q.ledgerId,
      reportId: q.reportId,
      period: period.id,
      format: q.format,
      bytes,
      digest: createHash('sha256').update(bytes).digest('hex'),
      asOf: moment.instant,
      position: moment.position,
      logDigest: moment.digest,
      checkpoint,
      layoutVersion: layout.version,
      fileName: `${q.ledgerId}.${q.reportId}.${period.id}.${q.format}`,
      contentType: CONTENT_TYPES[q.format],
    };
  }

  private layout(reportId: string): { layout: ReportLayout; version: string } {
    let entry = this.layouts.get(reportId);
    if (!entry) {
      const layout = loadReportLayout(reportId);
      this.layouts.set(reportId, (entry = { layout, version: createHash('sha256').update(canonicalJson(layout)).digest('hex') }));
    }
    return entry;
  }
}
