import type { JsonObject } from './event-store.port';

/** An event as the domain sees it: a stable past-tense type and plain data naming its own ids. */
export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  type: Type;
  data: Data;
  /** Set on events read back from the log (for deciders that refer to earlier events by id); never by `decide`. */
  id?: string;
}

/**
 * The write side of one stream type, pure: fold the stream's events into a state, and decide
 * which events a command produces (or throw a DomainError).
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}
