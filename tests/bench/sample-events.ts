import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/event-sourcing/event-store.port';

/** A realistic ~300-byte submission event (a metric figure of one unit), before chaining. */
export function sampleEvent(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'MetricReported',
    data: {
      ledger: 'gd-2021',
      unit: `unit-${n % 97}`,
      period: '2021-H1',
      metric: 'benefit.households',
      dimensions: { service: 'sanling-residential' },
      value: n % 5000,
    },
    metadata: { actor: 'token-7f3a', role: 'submitter', unit: `unit-${n % 97}`, correlationId: randomUUID(), schemaVersion: 1 },
  };
}

export function streamFor(n: number): string {
  return `unit-gd_2021.unit_${n % 97}`;
}
