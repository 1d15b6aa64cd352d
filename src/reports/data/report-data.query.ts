import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { localDateOf } from '../../programmes/local-time';
import { parsePeriod, invalidPeriod } from '../../programmes/period';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { LogEvidence } from '../../evidence/log-evidence';
import { formatPin } from '../report-pin';
import type { ReportData } from '../resolved';
import type { SignatureLine } from '../signature-line';
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

/** What reading a report's data needs: the read models, their runner, the ledgers, the moments and the query bus. */
export interface ReportDataSources {
  /** Signs the checkpoint of the log at the report's moment (absent: no checkpoint in the pin). */
  evidence?: LogEvidence;
  db: Database.Database;
  runner: ProjectionRunner;
  directory: LedgerDirectory;
  moments: Moments;
  queries: QueryBus;
}

/**
 * The one way a report's data is read, for a file (GenerateReportQuery, `owedOnly`: the programme must
 * owe the report) or for a page (any report with a provider): every read pinned to one position and
 * instant, the pair the footer prints, so a report regenerated from its footer reads what it read.
 */
export async function readReportData(
  sources: ReportDataSources,
  request: { ledgerId: string; reportId: string; period: string; asOf: AsOf; signature?: SignatureLine },
  owedOnly: boolean,
) {
  const provider = REPORT_PROVIDERS[request.reportId];
  if (!owedOnly && !provider) throw new DomainError('not-found', [problem('reportId', 'problem.unknownReport', { id: request.reportId, known: Object.keys(REPORT_PROVIDERS).join(', ') })]);
  const parsed = parsePeriod(request.period);
  if (!parsed.ok) throw invalidPeriod(parsed.error);
  await sources.runner.catchUp();
  const moment = sources.moments.resolve(request.asOf);
  const asOf: AsOf = { kind: 'position', position: moment.position, at: moment.instant };
  const ledger = await sources.directory.get(request.ledgerId, request.asOf);
  if (owedOnly && (!ledger.programme.reports.includes(request.reportId) || !provider)) {
    const owed = ledger.programme.reports.filter((r) => r in REPORT_PROVIDERS).join(', ');
    throw new DomainError('not-found', [problem('reportId', 'problem.reportNotOwed', { id: request.reportId, programme: ledger.programme.id, owed })]);
  }
  const checkpoint = sources.evidence ? await sources.evidence.checkpointOf(moment.size) : null;
  const tree = checkpoint ? { size: checkpoint.size, root: checkpoint.root } : undefined;
  const pin = formatPin({ ledgerId: request.ledgerId, reportId: request.reportId, period: parsed.period.id, asOf: moment.instant, position: moment.position, logDigest: moment.digest, tree });
  const data = await provider({
    ledger,
    reportId: request.reportId,
    period: parsed.period,
    asOf,
    instant: moment.instant,
    asOfDate: localDateOf(moment.instant, ledger.programme.timeZone),
    logPosition: moment.position,
    logDigest: moment.digest,
    pin,
    db: sources.db,
    queries: sources.queries,
    signature: request.signature,
  });
  return { data: checkpoint ? { ...data, checkpointNote: checkpoint.note } : data, pin, period: parsed.period, moment, checkpoint };
}

@QueryHandler(ReportDataQuery)
export class ReportDataHandler implements IQueryHandler<ReportDataQuery, ReportData> {
  constructor(
    @Inject(READ_MODEL_DB) readonly db: Database.Database,
    readonly runner: ProjectionRunner,
    readonly directory: LedgerDirectory,
    readonly moments: Moments,
    readonly queries: QueryBus,
  ) {}

  async execute(q: ReportDataQuery): Promise<ReportData> {
    return (await readReportData(this, q, false)).data;
  }
}
