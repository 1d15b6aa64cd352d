import type { EventEmitter } from 'node:events';
import type { StoredEvent, Subscription, SubscriptionMessage } from '../../event-sourcing/event-store.port';

/**
 * A catch-up subscription over a log read in pages: it delivers the pages after `after`, says it
 * has caught up, then wakes on appends in this process and polls for appends by other processes.
 */
export function pollingSubscription(source: {
  after: number;
  readPage: (after: number) => StoredEvent[];
  pageSize: number;
  pollIntervalMs: number;
  appended: EventEmitter;
}): Subscription {
  let closed = false;
  let wake: (() => void) | null = null;
  const onSignal = () => wake?.();
  source.appended.on('append', onSignal);
  source.appended.on('close', () => void close());

  async function close(): Promise<void> {
    closed = true;
    source.appended.off('append', onSignal);
    wake?.();
  }

  function nextSignal(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, source.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function* messages(): AsyncGenerator<SubscriptionMessage> {
    let after = source.after;
    let caughtUp = false;
    while (!closed) {
      const page = source.readPage(after);
      for (const event of page) {
        if (closed) return;
        yield { kind: 'event', event };
        after = event.position;
      }
      if (page.length === source.pageSize) continue;
      if (!caughtUp) {
        caughtUp = true;
        yield { kind: 'caught-up', position: after };
        continue;
      }
      await nextSignal();
    }
  }

  const iterator = messages();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      await close();
      await iterator.return(undefined);
    },
  };
}
