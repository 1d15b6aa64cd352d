import { Module } from '@nestjs/common';
import { Moments } from '../audit/moments';
import { IdempotencyKeys } from '../http/idempotency-keys';
import { LedgerDirectory } from './ledger-directory';
import { PeriodLocks } from './period-locks';
import { ReviewHolds } from './review-holds';
import { LedgerAdminController } from './ledger-admin.controller';
import { LedgersController } from './ledgers.controller';
import { DeadlinesHandler } from './queries/deadlines.query';
import { IndicatorsHandler } from './queries/indicators.query';
import { MetricValuesHandler } from './queries/metric-values.query';
import { ReadModelsController } from './read-models.controller';
import { AddUnitsHandler, OpenLedgerHandler, RetireUnitHandler } from './open-ledger/open-ledger.command';
import { HistoryHandler } from './queries/history.query';
import { TaskStatusHandler } from './queries/task-status.query';
import { ReachableLedgersHandler } from './queries/reachable-ledgers.query';
import { BulkSubmitHandler } from './submit/bulk-submit.command';
import { SubmitRecordHandler } from './submit/submit-record.command';
import { DownloadWorkbookHandler } from './workbook/download-workbook.query';
import { UploadWorkbookHandler } from './workbook/upload-workbook.command';
import { WorkbookController } from './workbook/workbook.controller';

/** Ledgers (programme instances with their units), the units' submissions, and the views over them. */
@Module({
  controllers: [LedgersController, LedgerAdminController, ReadModelsController, WorkbookController],
  providers: [
    IdempotencyKeys,
    LedgerDirectory,
    Moments,
    PeriodLocks,
    ReviewHolds,
    OpenLedgerHandler,
    AddUnitsHandler,
    RetireUnitHandler,
    SubmitRecordHandler,
    BulkSubmitHandler,
    TaskStatusHandler,
    ReachableLedgersHandler,
    HistoryHandler,
    MetricValuesHandler,
    IndicatorsHandler,
    DeadlinesHandler,
    DownloadWorkbookHandler,
    UploadWorkbookHandler,
  ],
  exports: [LedgerDirectory, Moments],
})
export class LedgersModule {}
