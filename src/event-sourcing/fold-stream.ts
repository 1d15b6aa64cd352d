import type { ChainHead } from './chained-appender';
import type { Decider, DomainEvent } from './decider';
import { eventLoopPauser } from './event-loop';
import type { AppendResult, EventStore, NewEvent } from './event-store.port';
import { upcast } from './upcasters';

export interface FoldedStream<State> {
  state: State;
  /** The revision of the stream's last event; -1 when it has none. */
  revision: number;
  /** Ids of the stream's events with their positions: a client-chosen id seen again is a retry. */
  positions: Map<string, number>;
  /** Where the stream's hash chain ends (null when it has no event): what the next append links to. */
  head: ChainHead | null;
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
  let head = from ? from.head : null;
  const pause = eventLoopPauser();
  for await (const stored of store.readStream(stream, { fromRevision: revision + 1 })) {
    await pause();
    const event = upcast(stored);
    state = decider.evolve(state, { id: event.id, type: event.type, data: event.data } as Event);
    revision = stored.revision;
    positions.set(stored.id, stored.position);
    head = { revision: stored.revision, hash: String(stored.metadata.hash) };
  }
  return { state, revision, positions, head };
}

/**
 * Carries a fold on, in place, over a single event this process has just appended after it (so the
 * next command does not read it back). Should evolve fail, the fold is emptied: the next command
 * folds the stream again from the log.
 */
export function foldAppended<Command, Event extends DomainEvent, State>(folded: FoldedStream<State>, decider: Decider<Command, Event, State>, appended: NewEvent, result: AppendResult): void {
  try {
    const event = upcast({ ...appended, stream: '', revision: result.nextRevision, position: result.position, recordedAt: '' });
    folded.state = decider.evolve(folded.state, { id: event.id, type: event.type, data: event.data } as Event);
    folded.revision = result.nextRevision;
    folded.positions.set(appended.id, result.position);
    folded.head = { revision: result.nextRevision, hash: String(appended.metadata.hash) };
  } catch {
    Object.assign(folded, { state: decider.initialState(), revision: -1, positions: new Map(), head: null });
  }
}
