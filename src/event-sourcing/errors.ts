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

/** Why the store cannot serve: each asks the operator for something else. */
export type StoreFault = 'unreachable' | 'cannot-open' | 'read-only' | 'full' | 'locked' | 'import-unfinished' | 'write-unconfirmed';

const FAULT_TEXT: Record<StoreFault, string> = {
  unreachable: 'the store cannot be reached',
  'cannot-open': 'the store cannot be opened',
  'read-only': 'the store is read-only',
  full: 'the disk of the store is full',
  locked: 'the store is locked by another writer',
  'import-unfinished': 'the store holds an unfinished import',
  'write-unconfirmed': 'the store did not confirm the write in time; it may have been recorded, so look before repeating it',
};

/** The store cannot serve now (HTTP 503 with Retry-After, CLI exit 3); the message never names a path. */
export class StoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
  readonly fault: StoreFault;
  constructor(reasonOrFault: StoreFault | string, options?: { cause?: unknown; detail?: string }) {
    const fault: StoreFault = reasonOrFault in FAULT_TEXT ? (reasonOrFault as StoreFault) : 'unreachable';
    const reason = fault === reasonOrFault ? FAULT_TEXT[fault] : `${FAULT_TEXT.unreachable}: ${reasonOrFault}`;
    super(`event store unavailable: ${reason}${options?.detail ? ` (${options.detail})` : ''}`, { cause: options?.cause });
    this.name = 'StoreUnavailableError';
    this.fault = fault;
  }

  /** Seconds a client should wait before retrying: a lock passes soon; a full or read-only disk needs an operator. */
  get retryAfterSeconds(): number {
    return this.fault === 'locked' ? 1 : this.fault === 'unreachable' || this.fault === 'write-unconfirmed' ? 5 : 30;
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
