import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { heldAt, type AsOf } from '../audit/as-of';
import { Moments } from '../audit/moments';
import { canonicalJson } from '../event-sourcing/canonical-json';
import { LedgerDirectory } from '../ledgers/ledger-directory';
import { HistoryQuery, type HistoryEntry, type HistoryFilter, type HistoryPage } from '../ledgers/queries/history.query';
import { ProjectionRunner } from '../read-models/projection-runner';
import { READ_MODEL_DB } from '../read-models/tokens';
import { knownActors } from './display-actor';
import type { GeneratedReport, ReportFormat } from './generate/generate-report.query';
import { renderHistory } from './history-export';
import { loadReportLayout } from './load-layout';
import { LogEvidence } from '../evidence/log-evidence';
import { formatPin, type ReportPin } from './report-pin';

/** The history is a report of no period: its pin names this report id and period. */
export const HISTORY_REPORT_ID = 'ledger-history';
export const HISTORY_PERIOD = 'ALL';

const FILTER_KEYS = ['unit', 'task', 'metric', 'product'] as const;

/**
 * The pin's report id of a (filtered) history: `ledger-history`, or `ledger-history.<filter>` with
 * the filter as base64url canonical JSON, so the pin alone (its format unchanged) says which events
 * the file holds and `verify --report` can draw it again.
 */
export function historyReportId(filter: HistoryFilter): string {
  const given = Object.fromEntries(FILTER_KEYS.filter((k) => filter[k]).map((k) => [k, filter[k]]));
  return Object.keys(given).length === 0 ? HISTORY_REPORT_ID : `${HISTORY_REPORT_ID}.${Buffer.from(canonicalJson(given)).toString('base64url')}`;
}

/** The filter of a history pin's report id, or null when the id is not a history's. */
export function historyFilterOf(reportId: string): HistoryFilter | null {
  if (reportId === HISTORY_REPORT_ID) return {};
  const m = /^ledger-history\.([A-Za-z0-9_-]+)$/.exec(reportId);
  if (!m) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const entries = Object.entries(parsed);
    return entries.every(([k, v]) => (FILTER_KEYS as readonly string[]).includes(k) && typeof v === 'string') ? (parsed as HistoryFilter) : null;
  } catch {
    return null;
  }
}

/** What a pin names, as people read it: `task-status 2021-H1`, `history (unit gd-grid)`. */
export function pinSubject(pin: Pick<ReportPin, 'reportId' | 'period'>): string {
  const filter = historyFilterOf(pin.reportId);
  if (!filter) return `${pin.reportId} ${pin.period}`;
  const scope = FILTER_KEYS.filter((k) => filter[k]).map((k) => `${k} ${filter[k]}`).join(', ');
  return scope ? `history (${scope})` : 'history';
}

/** A ledger's whole (filtered) history as of a moment, as a pinned xlsx or PDF: the HTTP export, the CLI's and `verify --report` draw it here. */
export class HistoryReportQuery extends Query<GeneratedReport> {
  constructor(
    readonly ledgerId: string,
    readonly filter: HistoryFilter,
    readonly format: ReportFormat,
    readonly asOf: AsOf = { kind: 'now' },
  ) {
    super();
  }
}

@QueryHandler(HistoryReportQuery)
export class HistoryReportHandler implements IQueryHandler<HistoryReportQuery, GeneratedReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly queries: QueryBus,
    private readonly evidence: LogEvidence,
  ) {}

  async execute({ ledgerId, filter, format, asOf }: HistoryReportQuery): Promise<GeneratedReport> {
    await this.runner.catchUp();
    const moment = this.moments.resolve(asOf);
    // Every read at the one position and instant the pin prints, so the file drawn again from its pin reads the same events.
    const pinned: AsOf = { kind: 'position', position: moment.position, at: moment.instant };
    const entries: HistoryEntry[] = [];
    for (let after: number | null = 0; after !== null; ) {
      const page: HistoryPage = await this.queries.execute(new HistoryQuery(ledgerId, { ...filter, after, limit: 10000, asOf: pinned }));
      entries.push(...page.entries);
      after = page.next;
    }
    const ledger = await this.directory.get(ledgerId, pinned);
    const checkpoint = await this.evidence.checkpointOf(moment.size);
    this.evidence.keep(checkpoint);
    const tree = { size: checkpoint.size, root: checkpoint.root };
    const pin: ReportPin = { ledgerId, reportId: historyReportId(filter), period: HISTORY_PERIOD, asOf: moment.instant, position: moment.position, logDigest: moment.digest, tree };
    const held = heldAt(pinned);
    const products = this.db.prepare(`SELECT product_id, name FROM ocop_products_v1 WHERE ledger_id = ? AND ${held.sql}`).all(ledgerId, ...held.params) as { product_id: string; name: string }[];
    // People, units and products named as they were at the pinned moment: a rename since leaves the file drawn again unchanged.
    const bytes = await renderHistory(entries, ledger, moment, filter, format, knownActors(this.db, ledger, pinned), new Map(products.map((p) => [p.product_id, p.name])), formatPin(pin));
    return {
      ledgerId,
      reportId: pin.reportId,
      period: HISTORY_PERIOD,
      format,
      bytes,
      digest: createHash('sha256').update(bytes).digest('hex'),
      asOf: moment.instant,
      checkpoint,
      position: moment.position,
      logDigest: moment.digest,
      layoutVersion: createHash('sha256').update(canonicalJson(loadReportLayout(HISTORY_REPORT_ID))).digest('hex'),
      fileName: `${ledgerId}.history.${format}`,
      contentType: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf',
    };
  }
}
