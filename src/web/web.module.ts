import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LedgersModule } from '../ledgers/ledgers.module';
import { AccountController } from './account.controller';
import { AssetsController } from './assets.controller';
import { HomeController } from './home.controller';
import { AdminLedgerController } from './oversight/admin-ledger.controller';
import { AdminPeopleController } from './oversight/admin-people.controller';
import { AdminTokensController } from './oversight/admin-tokens.controller';
import { AdminController } from './oversight/admin.controller';
import { AuditController } from './oversight/audit.controller';
import { BoardDataCache } from './oversight/board-data';
import { WebActors } from './web-actors';
import { BoardController } from './oversight/board.controller';
import { HistoryPageController } from './oversight/history.controller';
import { OcopPageController } from './oversight/ocop.controller';
import { ReportsPageController } from './oversight/reports.controller';
import { ReviewPageController } from './oversight/review.controller';
import { SignInController } from './sign-in.controller';
import { MyTasksController } from './units/my-tasks.controller';
import { UnitCorrectionController } from './units/unit-correction.controller';
import { UnitFiguresController } from './units/unit-figures.controller';
import { UnitReviewController } from './units/unit-review.controller';
import { UnitScopes } from './units/unit-scope';
import { UnitWorkbookController } from './units/unit-workbook.controller';
import { UnitWorkspaceController } from './units/unit-workspace.controller';
import { UploadMiddleware } from './upload.middleware';

/**
 * The web application at `/`: server-rendered pages over the same command and query buses as the
 * API (one write path, the same guard and grants), in 简体中文, Tiếng Việt and English.
 */
@Module({
  imports: [LedgersModule],
  controllers: [
    AssetsController,
    SignInController,
    AccountController,
    HomeController,
    MyTasksController,
    UnitWorkspaceController,
    UnitFiguresController,
    UnitCorrectionController,
    UnitReviewController,
    UnitWorkbookController,
    BoardController,
    ReportsPageController,
    ReviewPageController,
    HistoryPageController,
    OcopPageController,
    AuditController,
    AdminController,
    AdminLedgerController,
    AdminPeopleController,
    AdminTokensController,
  ],
  providers: [UnitScopes, BoardDataCache, WebActors],
})
export class WebModule implements NestModule {
  /** The pages' file uploads (multipart forms) are read before the guard, which looks for their CSRF field. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(UploadMiddleware)
      .forRoutes(
        { path: 'ledgers/:ledgerId/units/:unitId/workbook', method: RequestMethod.POST },
        { path: 'admin/programmes', method: RequestMethod.POST },
        { path: 'admin/ledgers', method: RequestMethod.POST },
        { path: 'admin/ledgers/:ledgerId/units', method: RequestMethod.POST },
        { path: 'audit/report', method: RequestMethod.POST },
      );
  }
}
