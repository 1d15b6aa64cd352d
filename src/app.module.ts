import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import type { LedgerConfig } from './config';
import { EventStoreModule } from './event-store/event-store.module';
import { EvidenceModule } from './evidence/evidence.module';
import { HealthController } from './health/health.controller';
import { DomainErrorFilter } from './http/domain-error.filter';
import { AccessModule } from './access/access.module';
import { LedgerUnitDirectory } from './ledgers/ledger-unit-directory';
import { LedgersModule } from './ledgers/ledgers.module';
import { OcopModule } from './ocop/ocop.module';
import { ReportsModule } from './reports/reports.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { WebModule } from './web/web.module';
import { ReviewsModule } from './reviews/reviews.module';

/** The application: the store, the read side, and the HTTP edge. Later modules (programmes, ledgers, reports, audit) join here. */
@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), ScheduleModule.forRoot(), EventStoreModule.forRoot(config), ReadModelsModule, EvidenceModule, AccessModule.forRoot({ unitDirectory: LedgerUnitDirectory, settings: config.access }), ProgrammesModule, LedgersModule, OcopModule, ReportsModule, ReviewsModule, WebModule],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }
}
