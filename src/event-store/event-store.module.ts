import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { LedgerConfig } from '../config';
import { systemClock } from '../event-sourcing/clock';
import type { EventStore } from '../event-sourcing/event-store.port';
import { DrainingEventStore } from './draining-event-store';
import { openEventStore } from './open-event-store';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
export const CLOCK = Symbol('CLOCK');

class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
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
