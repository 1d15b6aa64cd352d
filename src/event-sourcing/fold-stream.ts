import type { Decider, DomainEvent } from './decider';
import { eventLoopPauser } from './event-loop';
import type { EventStore } from './event-store.port';
import { upcast } from './upcasters';

export interface FoldedStream<State> {
  state: State;
  /** The revision of the stream's last event; -1 when it has none. */
  revision: number;
  /** Ids of the stream's events with their positions: a client-chosen id seen again is a retry. */
  positions: Map<string, number>;
}

/**
 * Reads a stream and folds it with a decider's evolve (events upcast first), letting other work in
 * on a long stream: from the start, or on from an earlier fold of it (`from`, whose state and
 * positions are carried on, in place where the decider folds in place).
 */
export async function foldStream<Command, Event extends DomainEvent, State>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State>,
  from?: FoldedStream<State>,
): Promise<FoldedStream<State>> {
  let state = from ? from.state : decider.initialState();
  let revision = from ? from.revision : -1;
  const positions = from ? from.positions : new Map<string, number>();
  const pause = eventLoopPauser();
  for await (const stored of store.readStream(stream, { fromRevision: revision + 1 })) {
    await pause();
    const event = upcast(stored);
    state = decider.evolve(state, { id: event.id, type: event.type, data: event.data } as Event);
    revision = stored.revision;
    positions.set(stored.id, stored.position);
  }
  return { state, revision, positions };
}
