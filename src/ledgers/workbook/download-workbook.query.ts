import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { LedgerDirectory } from '../ledger-directory';
import { renderWorkbook, workbookFileName, XLSX_CONTENT_TYPE } from './render-workbook';
import { planWorkbook } from './workbook-plan';

export interface DownloadedWorkbook {
  bytes: Buffer;
  fileName: string;
  contentType: string;
  ledgerId: string;
  unitId: string;
  period: string;
  programmeId: string;
  programmeVersion: number;
  tasks: number;
  metrics: number;
}

/** The fill-in workbook of a unit for a period: its assigned tasks and the programme's submitted metrics. */
export class DownloadWorkbookQuery extends Query<DownloadedWorkbook> {
  constructor(
    readonly ledgerId: string,
    readonly unitId: string,
    readonly period: string,
  ) {
    super();
  }
}

@QueryHandler(DownloadWorkbookQuery)
export class DownloadWorkbookHandler implements IQueryHandler<DownloadWorkbookQuery, DownloadedWorkbook> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, unitId, period }: DownloadWorkbookQuery): Promise<DownloadedWorkbook> {
    await this.runner.catchUp();
    const ledger = await this.directory.get(ledgerId);
    // Pinned to the moment the programme version in force was recorded: the bytes depend on the ledger's definition only.
    const version = this.db
      .prepare('SELECT recorded_at FROM programme_versions_v1 WHERE programme_id = ? AND version = ?')
      .get(ledger.programme.id, ledger.programmeVersion) as { recorded_at: string } | undefined;
    const plan = planWorkbook(ledger, unitId, period, version?.recorded_at ?? '2000-01-01T00:00:00.000Z');
    const bytes = await renderWorkbook(plan);
    return {
      bytes,
      fileName: workbookFileName(plan),
      contentType: XLSX_CONTENT_TYPE,
      ledgerId,
      unitId,
      period: plan.period.id,
      programmeId: plan.programme.id,
      programmeVersion: plan.programme.version,
      tasks: plan.tasks.length,
      metrics: plan.metrics.rows.length,
    };
  }
}
