import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { EVENT_STORE } from '../../src/event-store/event-store.module';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { createServer } from '../../src/server';
import { freshStream, newEvent } from '../support/streams';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('HTTP service over the embedded store', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  let app: INestApplication;

  beforeAll(async () => {
    const config = loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: true }, {});
    app = await createServer(config, false);
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('GET /health answers 200 with projection lag and log statistics, naming no path', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const { position } = await appendChained(store, freshStream('unit'), [newEvent(), newEvent()], 'no-stream');
    await appendChained(store, freshStream('programme'), [newEvent()], 'no-stream');
    await app.get(ProjectionRunner).whenCaughtUp(position + 1);
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      store: 'available',
      head: position + 1,
      projections: expect.arrayContaining([{ name: 'log_stats', version: 1, position: position + 1, lag: 0 }]),
      stats: { totals: { events: 3, streams: 2 } },
    });
    expect(JSON.stringify(response.body)).not.toContain(directory);
    expect(response.body.stats.categories.map((c: { category: string }) => c.category)).toEqual(['programme', 'unit']);
  });

  it('serves the OpenAPI description', async () => {
    const response = await request(app.getHttpServer()).get('/api/docs/json').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toContain('/health');
  });
});

describe('HTTP service when the store is unreachable', () => {
  it('GET /health answers 503 degraded with Retry-After, naming no path', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
    const app = await createServer(loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: false }, {}), false);
    await app.init();
    await app.get<EventStore>(EVENT_STORE).close();
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toEqual({ status: 'degraded', store: 'unavailable', fault: 'unreachable' });
    expect(response.headers['retry-after']).toBe('5');
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  });
});
