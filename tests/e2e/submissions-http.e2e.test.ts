import { adminPrincipal } from '../../src/access/principal';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { FixedClock } from '../../src/event-sourcing/clock';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { bootTestApp } from '../support/boot-test-app';

const UNITS = 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,\ngz-grid,广州供电局,supply-company,gd-grid\n';

describe('HTTP submissions with tokens and roles', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-http-'));
  const storeUri = `sqlite:${join(directory, 'ledger.db')}`;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const tokens: Record<string, string> = {};
  // Issued through the server's own bus so that every event carries the test's fixed clock.
  const token = async (unit: string, role: string) =>
    (await app.get(CommandBus).execute(new IssueTokenCommand({ unit, role, ledger: null, label: null }, adminPrincipal('system:test')))).token;
  const post = (body: unknown, as: string, headers: Record<string, string> = {}) =>
    http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${as}`).set(headers).send(body as object);
  const metric = (value: number, extra: Record<string, unknown> = {}) => ({
    type: 'metric',
    ledger: 'gd-2021',
    unit: 'gd-grid',
    period: '2021-H1',
    metric: 'benefit.households',
    dimensions: { service: 'sanling-residential' },
    value,
    ...extra,
  });

  beforeAll(async () => {
    ({ app } = await bootTestApp({ store: storeUri, clock: new FixedClock(new Date('2021-07-10T02:00:00Z')) }));
    http = request(app.getHttpServer()) as unknown as ReturnType<typeof request>;
    const commands = app.get(CommandBus);
    const file = join(__dirname, '../../templates/programmes/nea-2021-37.yaml');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    tokens.grid = await token('gd-grid', 'submitter');
    tokens.gz = await token('gz-grid', 'submitter');
    tokens.auditor = await token('gd-energy', 'auditor');
    tokens.regulator = await token('gd-energy', 'regulator');
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('201: appends the contract example, with the event id and log position; the actor comes from the token', async () => {
    const response = await post(metric(1520), tokens.grid).expect(201);
    expect(response.body).toEqual({ eventId: expect.any(String), position: expect.any(Number), duplicate: false });
    const progress = await post({ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'completed', on: '2021-06-30', note: '已完成', evidence: ['粤电〔2021〕12号'] }, tokens.grid).expect(201);
    const store = app.get<EventStore>(EVENT_STORE);
    for await (const event of store.readAll({ after: response.body.position - 1, maxCount: 2 })) {
      expect(event.metadata).toMatchObject({ actor: expect.stringMatching(/^token:/), role: 'submitter', unit: 'gd-grid', schemaVersion: 1 });
    }
    expect(progress.body.position).toBeGreaterThan(response.body.position);
  });

  it('a retried request with the same Idempotency-Key, or the same id, appends once', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const first = await post(metric(10, { dimensions: { service: 'sanling-enterprise' } }), tokens.grid, { 'Idempotency-Key': 'retry-1' }).expect(201);
    const head = await store.headPosition();
    const again = await post(metric(10, { dimensions: { service: 'sanling-enterprise' } }), tokens.grid, { 'Idempotency-Key': 'retry-1' }).expect(201);
    // The draft's replay: the first answer again, status and body, marked as replayed.
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const id = '6a1f0c3e-2b7d-4c8e-9f10-1a2b3c4d5e6f';
    await post(metric(11, { id, dimensions: { service: 'sanling-other' } }), tokens.grid).expect(201);
    const retried = await post(metric(11, { id, dimensions: { service: 'sanling-other' } }), tokens.grid).expect(201);
    expect(retried.body).toMatchObject({ eventId: id, duplicate: true });
    expect(await store.headPosition()).toBe(head + 1);
  });

  it('Idempotency-Key: another body with a used key is 422, a refused request is replayed as refused, another caller has keys of its own', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    await post(metric(20, { period: '2021-H1', dimensions: { service: 'sansheng' }, metric: 'benefit.salesAdded' }), tokens.grid, { 'Idempotency-Key': 'k-422' }).expect(201);
    const head = await store.headPosition();
    const reused = await post(metric(21, { period: '2021-H1', dimensions: { service: 'sansheng' }, metric: 'benefit.salesAdded' }), tokens.grid, { 'Idempotency-Key': 'k-422' }).expect(422);
    expect(reused.body.problems[0]).toMatchObject({ field: 'Idempotency-Key', reason: expect.stringMatching(/another body/) });
    const refused = await post(metric(-1), tokens.grid, { 'Idempotency-Key': 'k-400' }).expect(400);
    const replayed = await post(metric(-1), tokens.grid, { 'Idempotency-Key': 'k-400' }).expect(400);
    expect(replayed.body).toEqual(refused.body);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    // The same key from another caller is another key: it is that caller's request that answers (here 403: not its unit).
    await post(metric(21, { period: '2021-H1', dimensions: { service: 'sansheng' }, metric: 'benefit.salesAdded' }), tokens.gz, { 'Idempotency-Key': 'k-422' }).expect(403);
    expect(await store.headPosition()).toBe(head);
  });

  it('a resend of a figure identical in every fact is answered with the recorded event; another value is 409 naming the event to correct', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const figure = metric(77, { metric: 'benefit.capacityAdded', dimensions: { service: 'sanling-residential' } });
    const first = await post(figure, tokens.grid).expect(201);
    const head = await store.headPosition();
    const resent = await post(figure, tokens.grid).expect(201);
    expect(resent.body).toEqual({ eventId: first.body.eventId, position: first.body.position, duplicate: true });
    const changed = await post({ ...figure, value: 78 }, tokens.grid).expect(409);
    expect(changed.body.problems[0].reason).toContain(`event ${first.body.eventId}; to change it, send a correction`);
    expect(await store.headPosition()).toBe(head);
  });

  it('400 names the field and the reason, and appends nothing', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const head = await store.headPosition();
    const cases: [unknown, string][] = [
      [metric(Number.NaN), 'value'],
      [{ ...metric(1), value: '1,5' }, 'value'],
      [metric(1e308), 'value'],
      [metric(1, { period: '1900' }), 'period'],
      [{ ...metric(1), extra: true }, 'extra'],
      [metric(1, { dimensions: { service: 'sanling-other', area: 'x' } }), 'dimensions.area'],
      [metric(1, { dimensions: { service: 'nope' } }), 'dimensions.service'],
      [metric(1, { period: '2021-Q1' }), 'period'],
      [metric(1.5), 'value'],
      [metric(-3), 'value'],
      [{ ...metric(1), ledger: 'other-ledger' }, 'ledger'],
      [{ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'done', on: '2021-06-30' }, 'status'],
      [{ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'completed', on: '2021-07-30' }, 'on'],
      [[1, 2], '(record)'],
    ];
    for (const [body, field] of cases) {
      const response = await post(body, tokens.grid).expect(400);
      expect(response.body.error).toBe('invalid');
      expect(response.body.problems.map((p: { field: string }) => p.field)).toContain(field);
    }
    const malformed = await http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${tokens.grid}`).set('Content-Type', 'application/json').send('{"type":');
    expect(malformed.status).toBe(400);
    expect(await store.headPosition()).toBe(head);
  });

  it('401 without a valid token; 403 for another unit or a role that may not submit', async () => {
    await http.post('/api/ledgers/gd-2021/submissions').send(metric(1)).expect(401);
    await post(metric(1), 'clt_notatoken_xyz').expect(401);
    const other = await post(metric(1), tokens.gz).expect(403);
    expect(other.body.problems[0].reason).toMatch(/gz-grid/);
    await post(metric(1), tokens.auditor).expect(403);
    await post(metric(1), tokens.regulator).expect(403);
  });

  it('404 for an unknown ledger, unit, task, metric or corrected event', async () => {
    const unknownLedger = await http.post('/api/ledgers/nope/submissions').set('Authorization', `Bearer ${tokens.grid}`).send({ ...metric(1), ledger: 'nope' }).expect(404);
    expect(unknownLedger.body.problems[0].field).toBe('ledger');
    const admin = await token('gd-energy', 'admin');
    expect((await post({ ...metric(1), unit: 'nobody' }, admin).expect(404)).body.problems[0].field).toBe('unit');
    expect((await post({ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '999', status: 'completed', on: '2021-06-30' }, tokens.grid).expect(404)).body.problems[0].field).toBe('task');
    expect((await post(metric(1, { metric: 'benefit.nothing' }), tokens.grid).expect(404)).body.problems[0].field).toBe('metric');
    const correction = { type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: '0b6c1f3e-8a51-4c59-9a55-6c7f1c7d2a10', reason: '更正', value: 1 };
    expect((await post(correction, tokens.grid).expect(404)).body.problems[0].field).toBe('corrects');
  });

  it('a correction replaces the facts from its moment; correcting the superseded original again is 409', async () => {
    // A unit states one figure per metric, period and dimensions: a second one is refused, a correction replaces it.
    expect((await post(metric(1600), tokens.grid).expect(409)).body.problems[0].reason).toMatch(/already reported by event .*send a correction/);
    const original = await post(metric(1520, { dimensions: { service: 'sansheng' } }), tokens.grid).expect(201);
    const correction = { type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: original.body.eventId, reason: '统计口径调整', value: 1500 };
    const corrected = await post(correction, tokens.grid).expect(201);
    expect((await post(correction, tokens.grid).expect(409)).body.problems[0].field).toBe('corrects');
    await app.get(ProjectionRunner).whenCaughtUp(corrected.body.position);
    const history = await http.get('/api/ledgers/gd-2021/history').query({ unit: 'gd-grid' }).set('Authorization', `Bearer ${tokens.auditor}`).expect(200);
    const entry = history.body.entries.find((e: { eventId: string }) => e.eventId === corrected.body.eventId);
    expect(entry.replaced).toMatchObject({ eventId: original.body.eventId, data: { value: 1520 } });
    expect(entry.data).toMatchObject({ reason: '统计口径调整', facts: { value: 1500 } });
    expect(history.body.entries.find((e: { eventId: string }) => e.eventId === original.body.eventId).supersededBy).toBe(corrected.body.eventId);
  });

  it('status and history: readers see the ledger; a submitter only its own unit', async () => {
    const status = await http.get('/api/ledgers/gd-2021/status').query({ task: '4' }).set('Authorization', `Bearer ${tokens.regulator}`).expect(200);
    expect(status.body.rows.map((r: { unit: string; status: string }) => [r.unit, r.status])).toEqual([
      ['gd-energy', 'overdue'],
      ['gd-grid', 'completed-late'],
      ['gz-grid', 'overdue'],
    ]);
    await http.get('/api/ledgers/gd-2021/status').set('Authorization', `Bearer ${tokens.grid}`).expect(403);
    const own = await http.get('/api/ledgers/gd-2021/status').query({ unit: 'gd-grid', limit: '2' }).set('Authorization', `Bearer ${tokens.grid}`).expect(200);
    expect(own.body.rows).toHaveLength(2);
    expect(own.body.total).toBeGreaterThan(2);
    await http.get('/api/ledgers/gd-2021/history').query({ unit: 'gz-grid' }).set('Authorization', `Bearer ${tokens.grid}`).expect(403);
    await http.get('/api/ledgers/gd-2021/status').query({ limit: 'lots' }).set('Authorization', `Bearer ${tokens.regulator}`).expect(400);
  });

  it('history exports as xlsx for auditors, filtered by metric', async () => {
    const response = await http
      .get('/api/ledgers/gd-2021/history')
      .query({ metric: 'benefit.households', format: 'xlsx' })
      .set('Authorization', `Bearer ${tokens.auditor}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-type']).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const cells = workbook.worksheets[0].getSheetValues().flat().map(String);
    expect(cells.filter((c) => c === '报送指标数据').length).toBeGreaterThan(3);
    expect(cells).toContain('更正报送数据');
    expect(cells).not.toContain('报送任务进展');
    // Actors by displayActor: a token by its unit's name, never its id.
    expect(cells.some((c) => c.startsWith('token:'))).toBe(false);
  });
});
