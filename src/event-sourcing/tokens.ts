/** Injection tokens of the event store (the EventStore port) and of the clock, apart from the adapters that provide them. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
