import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { canonicalJson } from '../../event-sourcing/canonical-json';
import { DomainError } from '../../event-sourcing/domain-error';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { localDateOf } from '../../programmes/local-time';
import { parsePeriod } from '../../programmes/period';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { REPORT_PROVIDERS } from '../data/providers';
import type { ReportLayout } from '../layout';
import { loadReportLayout } from '../load-layout';
import { renderPdf } from '../render-pdf';
import { renderXlsx } from '../render-xlsx';
import { formatPin } from '../report-pin';
import { resolveReport } from '../resolve';
import type { SignatureLine } from '../../reviews/signature-line';

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
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly queries: QueryBus,
  ) {}

  async execute(q: GenerateReportQuery): Promise<GeneratedReport> {
    if (q.format !== 'xlsx' && q.format !== 'pdf') throw DomainError.invalid('format', `must be xlsx or pdf, not "${q.format}"`);
    const parsed = parsePeriod(q.period);
    if (!parsed.ok) throw DomainError.invalid('period', parsed.error.reason);
    await this.runner.catchUp();
    const moment = this.moments.resolve(q.asOf);
    // Every read below is pinned to this position and instant, the pair the footer prints, so the
    // report regenerated from its footer reads exactly what it read ("now" included).
    const asOf: AsOf = { kind: 'position', position: moment.position, at: moment.instant };
    const ledger = await this.directory.get(q.ledgerId, q.asOf);
    const provider = REPORT_PROVIDERS[q.reportId];
    if (!ledger.programme.reports.includes(q.reportId) || !provider) {
      throw DomainError.notFound('reportId', `programme ${ledger.programme.id} owes no report "${q.reportId}" (its reports: ${ledger.programme.reports.filter((r) => r in REPORT_PROVIDERS).join(', ')})`);
    }
    const pin = formatPin({ ledgerId: q.ledgerId, reportId: q.reportId, period: parsed.period.id, asOf: moment.instant, position: moment.position, logDigest: moment.digest });
    const data = await provider({
      ledger,
      reportId: q.reportId,
      period: parsed.period,
      asOf,
      instant: moment.instant,
      asOfDate: localDateOf(moment.instant, ledger.programme.timeZone),
      logPosition: moment.position,
      logDigest: moment.digest,
      pin,
      db: this.db,
      queries: this.queries,
      signature: q.signature,
    });
    const layout = this.layout(q.reportId);
    const resolved = resolveReport(layout.layout, { ...data, pin });
    const bytes = q.format === 'xlsx' ? await renderXlsx(resolved) : await renderPdf(resolved);
    return {
      ledgerId: q.ledgerId,
      reportId: q.reportId,
      period: parsed.period.id,
      format: q.format,
      bytes,
      digest: createHash('sha256').update(bytes).digest('hex'),
      asOf: moment.instant,
      position: moment.position,
      logDigest: moment.digest,
      layoutVersion: layout.version,
      fileName: `${q.ledgerId}.${q.reportId}.${parsed.period.id}.${q.format}`,
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
