import { Module } from '@nestjs/common';
import { LedgersModule } from '../ledgers/ledgers.module';
import { ReportDataHandler } from './data/report-data.query';
import { GenerateReportHandler } from './generate/generate-report.query';
import { HistoryReportHandler } from './history-report.query';
import { ListReportsHandler } from './list-reports.query';
import { HistoryController } from './history.controller';
import { ReportsController } from './reports.controller';
import { ReportRecorder } from './schedule/report-recorder';
import { ReportScheduler } from './schedule/report-scheduler';

/** The regulators' reports: generated from the read models as of any moment, as xlsx and PDF. */
@Module({
  imports: [LedgersModule],
  controllers: [ReportsController, HistoryController],
  providers: [GenerateReportHandler, ReportDataHandler, HistoryReportHandler, ListReportsHandler, ReportRecorder, ReportScheduler],
  exports: [ReportRecorder, ReportScheduler],
})
export class ReportsModule {}
