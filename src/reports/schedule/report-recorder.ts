import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AsOf } from '../../audit/as-of';
import { LEDGER_CONFIG, type LedgerConfig } from '../../config';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import type { RequestContext } from '../../event-sourcing/request-context';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { GenerateReportQuery, type GeneratedReport, type ReportFormat } from '../generate/generate-report.query';
import { reportLogDecider, reportLogStream, type GeneratedFile, type RecordReport } from './report-log.decider';

const FORMATS: ReportFormat[] = ['xlsx', 'pdf'];

/** Generates a report in both formats, keeps the files, and records ReportGenerated with their digests. */
@Injectable()
export class ReportRecorder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly queries: QueryBus,
  ) {}

  async record(
    request: { ledgerId: string; reportId: string; period: string; asOf: AsOf; due: string | null; trigger: RecordReport['trigger'] },
    context: RequestContext,
  ): Promise<RecordReport & { eventPosition: number }> {
    const reports: GeneratedReport[] = [];
    for (const format of FORMATS) reports.push(await this.queries.execute(new GenerateReportQuery(request.ledgerId, request.reportId, request.period, format, request.asOf)));
    const files: GeneratedFile[] = reports.map((report) => {
      const path = join(report.ledgerId, report.reportId, `${report.period}.${report.format}`);
      const absolute = join(this.config.reportsDir, path);
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, report.bytes);
      return { format: report.format, sha256: report.digest, bytes: report.bytes.length, path };
    });
    const [first] = reports;
    const data: RecordReport = {
      ledgerId: request.ledgerId,
      reportId: request.reportId,
      period: first.period,
      asOf: first.asOf,
      position: first.position,
      logDigest: first.logDigest,
      layoutVersion: first.layoutVersion,
      due: request.due,
      trigger: request.trigger,
      files,
    };
    const result = await handleCommand(this.store, reportLogStream(request.ledgerId), reportLogDecider, data, context, { maxAttempts: 3 });
    return { ...data, eventPosition: result.position };
  }
}
