import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { DomainError } from '../../event-sourcing/domain-error';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { localDateOf } from '../../programmes/local-time';
import { parsePeriod } from '../../programmes/period';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { formatPin } from '../report-pin';
import type { ReportData } from '../resolved';
import { REPORT_PROVIDERS } from './providers';

/**
 * The data one report's provider computes for a period as of a moment, without drawing a file:
 * what the web pages show beside the reports (e.g. the reporting rates of submission-timeliness),
 * so a page and the report never count differently. Any report id with a provider, owed or not.
 */
export class ReportDataQuery extends Query<ReportData> {
  constructor(
    readonly ledgerId: string,
    readonly reportId: string,
    readonly period: string,
    readonly asOf: AsOf = { kind: 'now' },
  ) {
    super();
  }
}

@QueryHandler(ReportDataQuery)
export class ReportDataHandler implements IQueryHandler<ReportDataQuery, ReportData> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly queries: QueryBus,
  ) {}

  async execute(q: ReportDataQuery): Promise<ReportData> {
    const provider = REPORT_PROVIDERS[q.reportId];
    if (!provider) throw DomainError.notFound('reportId', `no report "${q.reportId}" (known: ${Object.keys(REPORT_PROVIDERS).join(', ')})`);
    const parsed = parsePeriod(q.period);
    if (!parsed.ok) throw DomainError.invalid('period', parsed.error.reason);
    await this.runner.catchUp();
    const moment = this.moments.resolve(q.asOf);
    // Pinned to one position and instant, as GenerateReportQuery reads, so the page and the file agree.
    const asOf: AsOf = { kind: 'position', position: moment.position, at: moment.instant };
    const ledger = await this.directory.get(q.ledgerId, q.asOf);
    return provider({
      ledger,
      reportId: q.reportId,
      period: parsed.period,
      asOf,
      instant: moment.instant,
      asOfDate: localDateOf(moment.instant, ledger.programme.timeZone),
      logPosition: moment.position,
      logDigest: moment.digest,
      pin: formatPin({ ledgerId: q.ledgerId, reportId: q.reportId, period: parsed.period.id, asOf: moment.instant, position: moment.position, logDigest: moment.digest }),
      db: this.db,
      queries: this.queries,
    });
  }
}
