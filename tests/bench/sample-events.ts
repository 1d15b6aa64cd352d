import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/event-sourcing/event-store.port';
import { streamName } from '../../src/event-sourcing/stream-name';

export const BENCH_UNITS = 97;
const SERVICES = ['sanling-residential', 'sanling-enterprise', 'sanling-other', 'sansheng'];

/**
 * A realistic ~400-byte submission event, before chaining: a metric figure of one unit, in the
 * shape the unit-submissions decider writes (MetricReported with ledgerId and unitId), so that the
 * projections apply it as they would a real one. `unit` defaults to the n-th event's own unit;
 * a batch appended to one stream passes that stream's unit.
 */
export function sampleEvent(n: number, unit: number = n % BENCH_UNITS): NewEvent {
  return {
    id: randomUUID(),
    type: 'MetricReported',
    data: {
      ledgerId: 'gd-2021',
      unitId: `unit-${unit}`,
      metric: 'benefit.households',
      period: `${2020 + (n % 3)}-H1`,
      dimensions: { service: SERVICES[n % SERVICES.length] },
      value: n % 5000,
    },
    metadata: { actor: 'token:7f3a', role: 'submitter', unit: `unit-${unit}`, correlationId: randomUUID(), schemaVersion: 1 },
  };
}

/** The unit stream the n-th event (or a batch starting at it) goes to. */
export function unitOf(n: number): number {
  return n % BENCH_UNITS;
}

export function streamFor(n: number): string {
  // The unit-submissions decider's stream: unitStream(ledgerId, unitId).
  return streamName('unit', 'gd-2021', `unit-${unitOf(n)}`);
}
