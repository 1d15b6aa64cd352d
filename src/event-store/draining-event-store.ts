import { encodedEvents } from '../event-sourcing/encoded-event';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent } from '../event-sourcing/event-store.port';

/**
 * Wraps a store so that shutdown can wait for the appends in flight: a request that was accepted
 * gets its events written (and its answer) before the store closes.
 */
export class DrainingEventStore implements EventStore {
  private inFlight = new Set<Promise<unknown>>();

  constructor(private readonly inner: EventStore) {}

  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.track(this.inner.append(stream, events, expected));
  }

  appendPlanned: EventStore['appendPlanned'] = (plan, onProgress) => this.track(this.inner.appendPlanned(plan, onProgress));

  private track<T>(pending: Promise<T>): Promise<T> {
    this.inFlight.add(pending);
    const forget = () => this.inFlight.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  restore: EventStore['restore'] = (events, options) => this.inner.restore(events, options);
  beginImport: EventStore['beginImport'] = (marker) => this.inner.beginImport(marker);
  unfinishedImport: EventStore['unfinishedImport'] = () => this.inner.unfinishedImport();
  readStream: EventStore['readStream'] = (stream, options) => this.inner.readStream(stream, options);
  readAll: EventStore['readAll'] = (options) => this.inner.readAll(options);
  readEncoded: EventStore['readEncoded'] = (options) => encodedEvents(this.inner, options);
  subscribeToAll: EventStore['subscribeToAll'] = (options) => this.inner.subscribeToAll(options);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  positionOf: EventStore['positionOf'] = (eventId) => this.inner.positionOf(eventId);
  ping: EventStore['ping'] = () => this.inner.ping();

  /** Waits for in-flight appends, then closes the store. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.inner.close();
  }
}
