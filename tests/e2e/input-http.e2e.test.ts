import { adminPrincipal } from '../../src/access/principal';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { FixedClock } from '../../src/event-sourcing/clock';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { programmeFile } from '../support/ledger-log';
import { bootTestApp } from '../support/boot-test-app';

/** Unambiguous input over HTTP: repeated query parameters, repeated JSON keys, unknown ids in filters. */

const UNITS = 'id,name,role,parent\ngd-grid,广东电网有限责任公司,supply-company,\ngd-nea,广东省能源局,energy-authority,\n';
const GET_ROUTES = [
  '/api/ledgers/gd-2021/status',
  '/api/ledgers/gd-2021/history',
  '/api/ledgers/gd-2021/metrics',
  '/api/ledgers/gd-2021/indicators',
  '/api/ledgers/gd-2021/deadlines',
  '/api/ledgers/gd-2021/reports',
  '/api/ledgers/gd-2021/reports/task-status',
  '/api/ledgers/gd-2021/ocop/counts',
  '/api/ledgers/gd-2021/workbooks/gd-grid',
  '/api/programmes',
  '/api/programmes/nea-2021-37',
  '/api/tokens',
];

describe('unambiguous input over HTTP', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-input-http-'));
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;
  let admin = '';
  let grid = '';
  const metric = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 12 };

  beforeAll(async () => {
    ({ app } = await bootTestApp({ directory, liveProjections: false, clock: new FixedClock(new Date('2021-07-10T02:00:00Z')) }));
    http = request(app.getHttpServer()) as unknown as ReturnType<typeof request>;
    store = app.get<EventStore>(EVENT_STORE);
    const commands = app.get(CommandBus);
    const file = programmeFile('nea-2021-37');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, systemContext('test')));
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    const token = async (unit: string, role: string) => (await commands.execute(new IssueTokenCommand({ unit, role, ledger: null, label: null }, adminPrincipal('system:test')))).token;
    admin = await token('gd-nea', 'admin');
    grid = await token('gd-grid', 'submitter');
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it.each(GET_ROUTES)('GET %s with a repeated query parameter is 400 naming it', async (route) => {
    const answer = await http.get(`${route}?period=2021-H1&unit=gd-grid&unit=gd-nea`).set('Authorization', `Bearer ${admin}`).expect(400);
    expect(answer.body).toEqual({ error: 'invalid', problems: [{ field: 'unit', reason: 'is given more than once: give each query parameter once' }] });
  });

  it('a repeated parameter is refused even empty, and on a write route; nothing is appended', async () => {
    const before = await store.headPosition();
    await http.get('/api/ledgers/gd-2021/history?limit=&limit=').set('Authorization', `Bearer ${admin}`).expect(400);
    const answer = await http.post('/api/ledgers/gd-2021/submissions?x=1&x=2').set('Authorization', `Bearer ${grid}`).send(metric).expect(400);
    expect(answer.body.problems).toEqual([{ field: 'x', reason: expect.any(String) }]);
    expect(await store.headPosition()).toBe(before);
  });

  it.each([
    ['value', `{"type":"metric","ledger":"gd-2021","unit":"gd-grid","period":"2021-H1","metric":"benefit.households","dimensions":{"service":"sansheng"},"value":12,"value":13}`],
    ['dimensions.service', `{"type":"metric","ledger":"gd-2021","unit":"gd-grid","period":"2021-H1","metric":"benefit.households","dimensions":{"service":"sansheng","service":"sanling-other"},"value":12}`],
    ['unit', `{"type":"metric","ledger":"gd-2021","unit":"gd-grid","unit":"gd-nea","period":"2021-H1","metric":"benefit.households","dimensions":{"service":"sansheng"},"value":12}`],
  ])('a body repeating the key %s is 400 naming it, and nothing is appended', async (field, body) => {
    const before = await store.headPosition();
    const answer = await http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${grid}`).set('Content-Type', 'application/json').send(body).expect(400);
    expect(answer.body).toEqual({ error: 'invalid', problems: [{ field, reason: 'is given more than once in one object: each key may appear once' }] });
    expect(await store.headPosition()).toBe(before);
  });

  it('an admin body repeating a key deep inside is 400 naming its path', async () => {
    const body = '{"ledgerId":"gd-2022","programme":"nea-2021-37","name":"x","units":[{"id":"a","name":"A","name":"B","role":"supply-company","parent":null}]}';
    const answer = await http.post('/api/ledgers').set('Authorization', `Bearer ${admin}`).set('Content-Type', 'application/json').send(body).expect(400);
    expect(answer.body.problems).toEqual([{ field: 'units[0].name', reason: 'is given more than once in one object: each key may appear once' }]);
  });

  it('a JSON body over the limit is 413 naming the limit and its variable', async () => {
    const answer = await http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${grid}`).send({ ...metric, note: 'x'.repeat(1024 * 1024) }).expect(413);
    expect(answer.body).toEqual({ error: 'too-large', problems: [{ reason: expect.stringMatching(/exceeds the limit of 1048576 bytes \(LEDGER_MAX_BODY_BYTES\)$/) }] });
  });

  it.each([
    ['/api/ledgers/gd-2021/status?unit=nobody', 'unit', 'no unit "nobody" in ledger "gd-2021"'],
    ['/api/ledgers/gd-2021/status?task=99', 'task', 'no task "99" in programme nea-2021-37'],
    ['/api/ledgers/gd-2021/history?unit=nobody', 'unit', 'no unit "nobody" in ledger "gd-2021"'],
    ['/api/ledgers/gd-2021/history?task=99', 'task', 'no task "99" in programme nea-2021-37'],
    ['/api/ledgers/gd-2021/history?metric=benefit.nothing', 'metric', 'no metric "benefit.nothing" in programme nea-2021-37'],
    ['/api/ledgers/gd-2021/deadlines?unit=nobody', 'unit', 'no unit "nobody" in ledger "gd-2021"'],
  ])('GET %s is 404 naming the unknown id', async (route, field, reason) => {
    const answer = await http.get(route).set('Authorization', `Bearer ${admin}`).expect(404);
    expect(answer.body).toEqual({ error: 'not-found', problems: [{ field, reason }] });
  });

  it('a workbook for a period outside the programme’s years is 400 naming the range', async () => {
    const answer = await http.get('/api/ledgers/gd-2021/workbooks/gd-grid?period=1900').set('Authorization', `Bearer ${admin}`).expect(400);
    expect(answer.body.problems).toEqual([{ field: 'period', reason: expect.stringMatching(/^1900 is outside the periods this programme accepts: 2019-01-01 to 2023-12-31/) }]);
  });
});
