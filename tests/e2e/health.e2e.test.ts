import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CommandBus } from '@nestjs/cqrs';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { adminPrincipal } from '../../src/access/principal';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { freshStream, newEvent } from '../support/streams';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootTestApp } from '../support/boot-test-app';

describe('HTTP service over the embedded store', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await bootTestApp({ directory }));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('GET /health tells anyone only that the service is up; GET /api/health gives an admin of every ledger the store, projection lag and log statistics', async () => {
    const issue = (ledger: string | null) => app.get(CommandBus).execute(new IssueTokenCommand({ unit: 'it-team', role: 'admin', ledger, label: null }, adminPrincipal('system:test')));
    const admin = (await issue(null)).token;
    const ledgerAdmin = (await issue('gd-2021')).token;
    const store = app.get<EventStore>(EVENT_STORE);
    const { position } = await appendChained(store, freshStream('unit'), [newEvent(), newEvent()], 'no-stream');
    await appendChained(store, freshStream('programme'), [newEvent()], 'no-stream');
    await app.get(ProjectionRunner).whenCaughtUp(position + 1);
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok' });
    await request(app.getHttpServer()).get('/api/health').expect(401);
    await request(app.getHttpServer()).get('/api/health').set('Authorization', `Bearer ${ledgerAdmin}`).expect(403);
    const response = await request(app.getHttpServer()).get('/api/health').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      store: `sqlite:${join(directory, 'ledger.db')}`,
      head: position + 1,
      projections: expect.arrayContaining([{ name: 'log_stats', version: 1, position: position + 1, lag: 0 }]),
      stats: { totals: { events: 5, streams: 4 } },
    });
    expect(response.body.stats.categories.map((c: { category: string }) => c.category)).toEqual(['programme', 'token', 'unit']);
  });

  it('serves the OpenAPI description', async () => {
    const response = await request(app.getHttpServer()).get('/api/docs/json').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toContain('/health');
  });
});

describe('HTTP service when the store is unreachable', () => {
  it('GET /health answers 503 degraded with Retry-After, and nothing more, to the public', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
    const { app } = await bootTestApp({ directory, liveProjections: false });
    await app.get<EventStore>(EVENT_STORE).close();
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toEqual({ status: 'degraded', store: 'unavailable' });
    expect(response.headers['retry-after']).toBe('5');
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  });
});
