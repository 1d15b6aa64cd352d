import { randomIds, type IdSource } from './clock';
import { appendAfter } from './chained-appender';
import type { Decider, DomainEvent } from './decider';
import { WrongExpectedRevisionError } from './errors';
import type { EventStore } from './event-store.port';
import { contextMetadata, type RequestContext } from './request-context';
import { foldAppended } from './fold-stream';
import { withStreamState } from './stream-states';

export interface HandleOptions<State = unknown> {
  ids?: IdSource;
  /** A client-chosen id for the first new event (submission `id` or Idempotency-Key): a retry appends nothing. */
  eventId?: string;
  /** Re-read, re-decide and re-append on a concurrency conflict, up to this many attempts (default 1: no retry). */
  maxAttempts?: number;
  /** When the decider decides nothing (a resend of facts already recorded): the id of the event holding them, read from the state. */
  recorded?(state: State): string | null;
}

export interface HandleResult<Event> {
  events: Event[];
  eventIds: string[];
  /** The stream's revision after the command (-1: still empty). */
  revision: number;
  /** The log position of the last event appended (or found, for a retry); 0 when nothing was appended. */
  position: number;
  /** True when the eventId was already in the stream: nothing new was appended. */
  duplicate: boolean;
  /** When nothing was decided: the event already holding the facts (options.recorded) and its position. */
  recorded: { eventId: string; position: number } | null;
}

/**
 * The one way a command reaches the log: fold the stream (on from its cached state), decide, append
 * the new events with the revision that was read (hash-chained, context in metadata). Commands on
 * one stream run one at a time in this process. A conflict is retried only where the command allows
 * it, since a decision taken on stale state may no longer hold.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: RequestContext,
  options: HandleOptions<State> = {},
): Promise<HandleResult<Event>> {
  const ids = options.ids ?? randomIds;
  const maxAttempts = options.maxAttempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withStreamState(store, stream, decider, async (folded) => {
        const { state, revision, positions } = folded;
        const seen = options.eventId === undefined ? undefined : positions.get(options.eventId);
        if (seen !== undefined) return { events: [], eventIds: [options.eventId!], revision, position: seen, duplicate: true, recorded: null };
        const events = decider.decide(command, state);
        if (events.length === 0) {
          const existing = options.recorded?.(state) ?? null;
          const recorded = existing === null ? null : { eventId: existing, position: positions.get(existing) ?? 0 };
          return { events, eventIds: [], revision, position: 0, duplicate: false, recorded };
        }
        const metadata = contextMetadata(context);
        const eventIds = events.map((_, index) => (index === 0 && options.eventId ? options.eventId : ids.next()));
        // Linked after the head the fold knows, at exactly its revision: a write by anyone since is a conflict.
        const { result, chained } = await appendAfter(
          store,
          stream,
          folded.head,
          events.map((event, index) => ({ id: eventIds[index], type: event.type, data: event.data, metadata })),
        );
        // One event with a fresh id is known exactly (a client-chosen id may answer with an earlier event of that id): the
        // fold takes it on. Anything else is read back by the next command.
        if (chained.length === 1 && options.eventId === undefined) foldAppended(folded, decider, chained[0], result);
        return { events, eventIds, revision: result.nextRevision, position: result.position, duplicate: false, recorded: null };
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
    }
  }
}
