import type { Decider, DomainEvent } from './decider';
import type { EventStore } from './event-store.port';
import { foldStream, type FoldedStream } from './fold-stream';

/** Streams whose folded state is kept per store; the least recently used is dropped beyond this. */
const MAX_CACHED_STREAMS = 1000;

interface Cached {
  decider: unknown;
  folded: FoldedStream<unknown>;
}

const caches = new WeakMap<EventStore, Map<string, Cached>>();
const tails = new WeakMap<EventStore, Map<string, Promise<unknown>>>();

/**
 * Runs `work` with the stream's folded state, commands on one stream of one store running one at a
 * time: a decider may fold in place, so the cached state must never be handed to two commands at
 * once, nor outlive `work`. Only the events after the cached revision are read and folded, so
 * events appended meanwhile by anyone (another process included) are always seen.
 */
export async function withStreamState<Command, Event extends DomainEvent, State, T>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State>,
  work: (folded: FoldedStream<State>) => Promise<T>,
): Promise<T> {
  return serialised(store, stream, async () => {
    const cache = mapOf(caches, store);
    const cached = cache.get(stream);
    cache.delete(stream);
    const from = cached?.decider === decider ? (cached.folded as FoldedStream<State>) : undefined;
    // A fold that fails half-way may have changed the state in place: the entry stays out of the cache.
    const folded = await foldStream(store, stream, decider, from);
    cache.set(stream, { decider, folded });
    if (cache.size > MAX_CACHED_STREAMS) cache.delete(cache.keys().next().value!);
    return work(folded);
  });
}

async function serialised<T>(store: EventStore, stream: string, work: () => Promise<T>): Promise<T> {
  const streams = mapOf(tails, store);
  const run = (streams.get(stream) ?? Promise.resolve()).then(work);
  const tail = run.catch(() => undefined);
  streams.set(stream, tail);
  void tail.then(() => streams.get(stream) === tail && streams.delete(stream));
  return run;
}

function mapOf<V>(maps: WeakMap<EventStore, Map<string, V>>, store: EventStore): Map<string, V> {
  let map = maps.get(store);
  if (!map) maps.set(store, (map = new Map()));
  return map;
}
