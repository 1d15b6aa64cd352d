import { Module } from '@nestjs/common';
import { LedgersModule } from '../ledgers/ledgers.module';
import { ApproveFiguresHandler, MarkCompleteHandler, ReturnFiguresHandler } from './review-step.command';
import { ReviewStatusHandler } from './review-status.query';
import { ReviewsController } from './reviews.controller';
import { SignOffHandler } from './sign-off.command';

/** Review and sign-off of reports: units' figures marked complete, approved or returned, the regulator's sign-off. */
@Module({
  imports: [LedgersModule],
  controllers: [ReviewsController],
  providers: [MarkCompleteHandler, ApproveFiguresHandler, ReturnFiguresHandler, SignOffHandler, ReviewStatusHandler],
})
export class ReviewsModule {}
