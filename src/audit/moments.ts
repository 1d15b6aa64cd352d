import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '../event-sourcing/clock';
import type { EventStore } from '../event-sourcing/event-store.port';
import { CLOCK, EVENT_STORE } from '../event-store/event-store.module';
import type { AsOf } from './as-of';

/** The instant a moment stands for: now, the time given, or the recorded time of the event at a log position. */
@Injectable()
export class Moments {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async instantOf(asOf: AsOf): Promise<string> {
    if (asOf.kind === 'time') return asOf.at;
    if (asOf.kind === 'now') return this.clock.now().toISOString();
    for await (const event of this.store.readAll({ after: Math.max(0, asOf.position - 1), maxCount: 1 })) {
      if (event.position <= asOf.position) return event.recordedAt;
    }
    return this.clock.now().toISOString();
  }
}
