import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { ReportRow } from '../../projections/reports.projection';
import { LedgerDirectory } from '../ledgers/ledger-directory';
import { ProjectionRunner } from '../read-models/projection-runner';
import { READ_MODEL_DB } from '../read-models/tokens';
import type { GeneratedFile } from './schedule/report-log.decider';

export interface RecordedReport {
  reportId: string;
  period: string;
  due: string | null;
  asOf: string;
  logPosition: number;
  logDigest: string;
  recordedAt: string;
  trigger: string;
  files: GeneratedFile[];
}

/** The reports recorded for a ledger (generated on its calendar), in the order they were recorded. */
export class ListReportsQuery extends Query<RecordedReport[]> {
  constructor(readonly ledgerId: string) {
    super();
  }
}

@QueryHandler(ListReportsQuery)
export class ListReportsHandler implements IQueryHandler<ListReportsQuery, RecordedReport[]> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
    private readonly directory: LedgerDirectory,
  ) {}

  async execute({ ledgerId }: ListReportsQuery): Promise<RecordedReport[]> {
    await this.runner.catchUp();
    await this.directory.get(ledgerId);
    const rows = this.db.prepare('SELECT * FROM reports_v1 WHERE ledger_id = ? ORDER BY position').all(ledgerId) as ReportRow[];
    return rows.map((r) => ({
      reportId: r.report_id,
      period: r.period,
      due: r.due,
      asOf: r.as_of,
      logPosition: r.as_of_position,
      logDigest: r.log_digest,
      recordedAt: r.recorded_at,
      trigger: r.trigger,
      files: JSON.parse(r.files) as GeneratedFile[],
    }));
  }
}
