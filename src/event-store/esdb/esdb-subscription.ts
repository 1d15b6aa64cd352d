import { excludeSystemEvents } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AllStreamSubscription, EventStoreDBClient } from '@eventstore/db-client';
import { StoreUnavailableError } from '../../event-sourcing/errors';
import type { Subscription, SubscriptionMessage } from '../../event-sourcing/event-store.port';
import { LEADER } from './calls';
import { CatchUpTracker, isAfter, isNotLeaderError, positionOfResolved, toLogPosition, toReadPosition, toStoreError, toStoredEvent } from './mapping';

/** A subscription pauses the server stream when this many messages wait unread, and resumes below LOW. */
const SUBSCRIPTION_HIGH_WATER = 1000;
const SUBSCRIPTION_LOW_WATER = 100;
/** Pauses between attempts to subscribe again after a drop: doubling from FIRST up to MAX, for as long as it takes. */
const RESUBSCRIBE_FIRST_MS = 100;
const RESUBSCRIBE_MAX_MS = 5000;

/**
 * A catch-up subscription to `$all` on the leader (server-side filter: no system event types). Messages
 * wait in a queue; the server stream is paused while the queue is full, so a slow consumer applies gRPC
 * flow control.
 *
 * The server ends a subscription whenever it restarts, loses or changes leadership, or the network blips
 * (UNAVAILABLE / CANCELLED / NotLeader). Once the server has confirmed the subscription, such an end is not
 * the consumer's concern: it subscribes again from the last event received (`checkpoint`), with a growing
 * pause, until it works or is closed; events at or before the checkpoint are dropped, so there is no
 * duplicate and no gap. Meanwhile `/health` reports the store through ping. Any other error ends the iteration.
 */
export class EsdbSubscription implements Subscription {
  private readonly queue: SubscriptionMessage[] = [];
  private readonly tracker: CatchUpTracker;
  /** The position of the last event received (delivered or filtered out): where a new subscription starts. */
  private checkpoint: number;
  private source: AllStreamSubscription | undefined;
  private confirmed = false;
  private retryPauseMs = RESUBSCRIBE_FIRST_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;
  private paused = false;
  private closing: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    after: number,
    readHead: () => Promise<number>,
    private readonly onClosed: (subscription: EsdbSubscription) => void,
  ) {
    this.checkpoint = after;
    this.tracker = new CatchUpTracker(after);
    void this.start(readHead);
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.queue.length = 0;
      clearTimeout(this.retryTimer);
      this.notify();
      this.closing = this.release();
    }
    return this.closing;
  }

  private async start(readHead: () => Promise<number>): Promise<void> {
    try {
      // The head first: every event up to it existed before we subscribed.
      const head = await readHead();
      if (this.closed) return;
      this.caughtUpAt(this.tracker.onHead(head));
      this.connect();
    } catch (error) {
      this.fail(toStoreError(error));
    }
  }

  private connect(): void {
    const source = this.client.subscribeToAll({
      fromPosition: toReadPosition(this.checkpoint),
      resolveLinkTos: false,
      filter: excludeSystemEvents(),
      ...LEADER,
    });
    this.source = source;
    this.paused = false;
    source.on('confirmation', () => {
      this.confirmed = true;
      this.retryPauseMs = RESUBSCRIBE_FIRST_MS;
    });
    source.on('data', (resolved: AllStreamResolvedEvent) => this.onEvent(resolved));
    source.on('caughtUp', () => {
      // Events received before the server's CaughtUp may still wait in the Readable's buffer.
      if (!this.closed) this.caughtUpAt(this.tracker.onServerCaughtUp(source.readableLength));
    });
    source.on('error', (error: unknown) => this.onDropped(source, error));
    source.on('end', () => this.onDropped(source, new StoreUnavailableError('the server ended the subscription')));
  }

  /** The server ended the call: subscribe again if that is a drop of a confirmed subscription, else fail. */
  private onDropped(source: AllStreamSubscription, error: unknown): void {
    if (this.closed || source !== this.source) return;
    const mapped = toStoreError(error);
    const drop = mapped instanceof StoreUnavailableError && (this.confirmed || isNotLeaderError(error));
    if (!drop) return this.fail(mapped);
    this.source = undefined;
    void detach(source);
    this.retryTimer = setTimeout(() => {
      if (!this.closed) this.connect();
    }, this.retryPauseMs);
    this.retryPauseMs = Math.min(this.retryPauseMs * 2, RESUBSCRIBE_MAX_MS);
  }

  private onEvent(resolved: AllStreamResolvedEvent): void {
    if (this.closed) return;
    try {
      const position = toLogPosition(positionOfResolved(resolved));
      const fresh = isAfter(position, this.checkpoint); // not if received before a resubscription
      if (fresh) this.checkpoint = position!;
      const event = fresh ? toStoredEvent(resolved) : undefined;
      if (event) this.push({ kind: 'event', event });
      this.caughtUpAt(this.tracker.onReceived(position, event !== undefined));
    } catch (error) {
      this.fail(error);
    }
  }

  private caughtUpAt(position: number | undefined): void {
    if (position !== undefined) this.push({ kind: 'caught-up', position });
  }

  private push(message: SubscriptionMessage): void {
    this.queue.push(message);
    if (!this.paused && this.source && this.queue.length >= SUBSCRIPTION_HIGH_WATER) {
      this.paused = true;
      this.source.pause();
    }
    this.notify();
  }

  private fail(error: unknown): void {
    if (this.closed || this.failure !== undefined) return;
    this.failure = error ?? new Error('subscription failed');
    this.notify();
    void this.release();
  }

  private async next(): Promise<IteratorResult<SubscriptionMessage>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const message = this.queue.shift();
      if (message) {
        if (this.paused && this.source && this.queue.length <= SUBSCRIPTION_LOW_WATER) {
          this.paused = false;
          this.source.resume();
        }
        return { done: false, value: message };
      }
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.closed = true;
        throw failure;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async release(): Promise<void> {
    this.onClosed(this);
    const source = this.source;
    this.source = undefined;
    if (source) await detach(source);
  }
}

/** Stops listening to a client subscription and ends it. */
async function detach(source: AllStreamSubscription): Promise<void> {
  source.removeAllListeners('confirmation');
  source.removeAllListeners('data');
  source.removeAllListeners('caughtUp');
  source.removeAllListeners('end');
  // Keep an error listener: a late error must not become an unhandled 'error' event.
  source.removeAllListeners('error');
  source.on('error', () => undefined);
  await source.unsubscribe().catch(() => undefined);
}
