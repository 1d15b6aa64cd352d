import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { foldStream } from '../../event-sourcing/fold-stream';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { personDecider, personStream, type PersonState } from './person.decider';

/** A person's account as the log has it now: read from the person's own stream, so every process sees a change at once. */
@Injectable()
export class PersonDirectory {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async read(login: string): Promise<PersonState> {
    return (await foldStream(this.store, personStream(login), personDecider)).state;
  }
}
