import { Global, Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { PROJECTIONS } from '../../projections';
import { LEDGER_CONFIG, type LedgerConfig } from '../config';
import type { EventStore } from '../event-sourcing/event-store.port';
import { EVENT_STORE } from '../event-sourcing/tokens';
import { GetLogStatsHandler } from './log-stats/get-log-stats.query';
import { ProjectionRunner } from './projection-runner';
import { openReadModelDb } from './read-model-db';
import { READ_MODEL_DB } from './tokens';

class ProjectionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
  ) {}
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.liveProjections) await this.runner.start();
  }
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
  onApplicationShutdown(): void {
    if (this.db.open) this.db.close();
  }
}

/** The read-model database, the projection runner over every projection, and the queries on them. */
@Global()
@Module({
  providers: [
    {
      provide: READ_MODEL_DB,
      inject: [LEDGER_CONFIG],
      useFactory: (config: LedgerConfig) => openReadModelDb(config.readModelsPath),
    },
    {
      provide: ProjectionRunner,
      inject: [EVENT_STORE, READ_MODEL_DB],
      useFactory: (store: EventStore, db: Database.Database) => new ProjectionRunner(store, db, PROJECTIONS),
    },
    ProjectionLifecycle,
    GetLogStatsHandler,
  ],
  exports: [READ_MODEL_DB, ProjectionRunner],
})
export class ReadModelsModule {}
