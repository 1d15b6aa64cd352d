/** Typed errors of the event store, raised the same way by every adapter. */

export class WrongExpectedRevisionError extends Error {
  readonly code = 'wrong-expected-revision';
  constructor(
    readonly stream: string,
    readonly expected: string | number,
    /** The stream's last revision, or 'no-stream' when it has none. */
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${stream}: expected revision ${expected}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class PayloadTooLargeError extends Error {
  readonly code = 'payload-too-large';
  constructor(
    readonly eventId: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`event ${eventId}: ${bytes} bytes exceeds the limit of ${limit} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

export class StoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
  constructor(reason: string) {
    super(`event store unavailable: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}

/** The size of an event as stored: its data and metadata as UTF-8 JSON. */
export function eventBytes(event: { data: unknown; metadata: unknown }): number {
  return Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata));
}

/** The default per-event limit, EventStoreDB's default maximum append size (1 MiB). */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

export function assertEventSizes(events: ReadonlyArray<{ id: string; data: unknown; metadata: unknown }>, limit: number): void {
  for (const event of events) {
    const bytes = eventBytes(event);
    if (bytes > limit) throw new PayloadTooLargeError(event.id, bytes, limit);
  }
}
