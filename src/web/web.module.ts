import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LedgersModule } from '../ledgers/ledgers.module';
import { AccountController } from './account.controller';
import { AssetsController } from './assets.controller';
import { HomeController } from './home.controller';
import { SignInController } from './sign-in.controller';
import { MyTasksController } from './units/my-tasks.controller';
import { UnitCorrectionController } from './units/unit-correction.controller';
import { UnitFiguresController } from './units/unit-figures.controller';
import { UnitReviewController } from './units/unit-review.controller';
import { UnitScopes } from './units/unit-scope';
import { UnitWorkbookController } from './units/unit-workbook.controller';
import { UnitWorkspaceController } from './units/unit-workspace.controller';
import { WorkbookUploadMiddleware } from './units/workbook-upload.middleware';

/**
 * The web application at `/`: server-rendered pages over the same command and query buses as the
 * API (one write path, the same guard and grants), in 简体中文, Tiếng Việt and English.
 */
@Module({
  imports: [LedgersModule],
  controllers: [AssetsController, SignInController, AccountController, HomeController, MyTasksController, UnitWorkspaceController, UnitFiguresController, UnitCorrectionController, UnitReviewController, UnitWorkbookController],
  providers: [UnitScopes],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The workbook upload is read before the guard, which needs the form's _csrf field.
    consumer.apply(WorkbookUploadMiddleware).forRoutes({ path: 'ledgers/:ledgerId/units/:unitId/workbook', method: RequestMethod.POST });
  }
}
