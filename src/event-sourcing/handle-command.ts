import { randomIds, type IdSource } from './clock';
import { appendChained } from './chained-appender';
import type { Decider, DomainEvent } from './decider';
import { WrongExpectedRevisionError } from './errors';
import type { EventStore } from './event-store.port';
import { foldStream } from './fold-stream';
import { contextMetadata, type RequestContext } from './request-context';

export interface HandleOptions {
  ids?: IdSource;
  /** A client-chosen id for the first new event (submission `id` or Idempotency-Key): a retry appends nothing. */
  eventId?: string;
  /** Re-read, re-decide and re-append on a concurrency conflict, up to this many attempts (default 1: no retry). */
  maxAttempts?: number;
}

export interface HandleResult<Event, State = unknown> {
  events: Event[];
  eventIds: string[];
  /** The stream's revision after the command (-1: still empty). */
  revision: number;
  /** The log position of the last event appended (or found, for a retry); 0 when nothing was appended. */
  position: number;
  /** True when the eventId was already in the stream: nothing new was appended. */
  duplicate: boolean;
  /** The stream's state the decision was taken on, and its events' positions by id (to name an event already holding the facts). */
  state: State;
  positions: Map<string, number>;
}

/**
 * The one way a command reaches the log: read the stream, fold it, decide, append the new events
 * with the revision that was read (hash-chained, context in metadata). A conflict is retried only
 * where the command allows it, since a decision taken on stale state may no longer hold.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: RequestContext,
  options: HandleOptions = {},
): Promise<HandleResult<Event, State>> {
  const ids = options.ids ?? randomIds;
  const maxAttempts = options.maxAttempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    const { state, revision, positions } = await foldStream(store, stream, decider);
    const seen = options.eventId === undefined ? undefined : positions.get(options.eventId);
    if (seen !== undefined) return { events: [], eventIds: [options.eventId!], revision, position: seen, duplicate: true, state, positions };
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, eventIds: [], revision, position: 0, duplicate: false, state, positions };
    const metadata = contextMetadata(context);
    const eventIds = events.map((_, index) => (index === 0 && options.eventId ? options.eventId : ids.next()));
    try {
      const result = await appendChained(
        store,
        stream,
        events.map((event, index) => ({ id: eventIds[index], type: event.type, data: event.data, metadata })),
        revision === -1 ? 'no-stream' : revision,
      );
      return { events, eventIds, revision: result.nextRevision, position: result.position, duplicate: false, state, positions };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
    }
  }
}
