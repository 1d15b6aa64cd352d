import { chainHeadOf, type ChainHead } from './chained-appender';
import type { Decider, DomainEvent } from './decider';
import { eventLoopPauser } from './event-loop';
import type { AppendResult, EventStore, NewEvent, StoredEvent } from './event-store.port';
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
  const folded: FoldedStream<State> = from ? { ...from } : { state: decider.initialState(), revision: -1, positions: new Map(), head: null };
  const pause = eventLoopPauser();
  for await (const stored of store.readStream(stream, { fromRevision: folded.revision + 1 })) {
    await pause();
    foldOne(folded, decider, stored);
  }
  return folded;
}

/** One stored event folded in: the state evolved with its upcast form, the revision, its id's position and the chain's head moved. */
function foldOne<Command, Event extends DomainEvent, State>(folded: FoldedStream<State>, decider: Decider<Command, Event, State>, stored: StoredEvent): void {
  const event = upcast(stored);
  folded.state = decider.evolve(folded.state, { id: event.id, type: event.type, data: event.data } as Event);
  folded.revision = stored.revision;
  folded.positions.set(stored.id, stored.position);
  folded.head = chainHeadOf(stored);
}

/**
 * Carries a fold on, in place, over a single event this process has just appended after it (so the
 * next command does not read it back). Should evolve fail, the fold is emptied: the next command
 * folds the stream again from the log.
 */
export function foldAppended<Command, Event extends DomainEvent, State>(folded: FoldedStream<State>, decider: Decider<Command, Event, State>, appended: NewEvent, result: AppendResult): void {
  try {
    foldOne(folded, decider, { ...appended, stream: '', revision: result.nextRevision, position: result.position, recordedAt: '' });
  } catch {
    Object.assign(folded, { state: decider.initialState(), revision: -1, positions: new Map(), head: null });
  }
}
