import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LEDGER_CONFIG, type LedgerConfig } from '../config';
import { systemClock } from '../event-sourcing/clock';
import { StoreUnavailableError } from '../event-sourcing/errors';
import type { EventStore } from '../event-sourcing/event-store.port';
import { CLOCK, EVENT_STORE } from '../event-sourcing/tokens';
import { DrainingEventStore } from './draining-event-store';
import { openEventStore } from './open-event-store';

class EventStoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  /** A half-imported store is never served or worked on as if it were whole: only `import` (which needs no application) may finish it. */
  async onModuleInit(): Promise<void> {
    const unfinished = await this.store.unfinishedImport();
    if (unfinished) {
      throw new StoreUnavailableError('import-unfinished', {
        detail: `${await this.store.headPosition()} of ${unfinished.events} events loaded; run import again with the same file to finish it`,
      });
    }
  }
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Provides the configured event store (LEDGER_STORE / --store) to the whole application. */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: EVENT_STORE, useFactory: () => new DrainingEventStore(openEventStore(config)) },
        { provide: CLOCK, useValue: config.clock ?? systemClock },
        EventStoreLifecycle,
      ],
      exports: [EVENT_STORE, LEDGER_CONFIG, CLOCK],
    };
  }
}
