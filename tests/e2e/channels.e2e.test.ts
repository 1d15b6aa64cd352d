import { adminPrincipal } from '../../src/access/principal';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { FixedClock } from '../../src/event-sourcing/clock';
import type { EventStore, StoredEvent } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { cli } from '../support/cli-in-process';
import { programmeFile } from '../support/ledger-log';
import { collect } from '../support/streams';
import { bootTestApp } from '../support/boot-test-app';

/**
 * One input parser for every channel: the same record sent as an NDJSON line (the CLI's `submit`),
 * as an HTTP JSON body and as a workbook row gives the same event, or is refused for the same
 * reason, on a real embedded store. Each channel submits for its own unit (a unit states one figure
 * per cell), so the events are compared without their unit.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const UNITS = 'id,name,role,parent\ngd-grid,广东电网有限责任公司,supply-company,\ngd-sz,深圳供电局有限公司,supply-company,gd-grid\ngd-gz,广州供电局有限公司,supply-company,gd-grid\n';
const TASK = { number: 1, status: 5, on: 6, note: 7 };
const METRIC = { value: 5, metricId: 7, dimensionIds: 8 };

type Fields = { value?: unknown; on?: unknown; note?: string; task?: string };

/** A ledger the channels send to: its units (one per channel), the workbook's sheet and status label, a task its units lead. */
interface Target {
  ledger: string;
  units: { http: string; ndjson: string; workbook: string };
  task: string;
  taskSheet: string;
  completed: string;
  on: string;
}
const NEA: Target = { ledger: 'gd-2021', units: { http: 'gd-grid', ndjson: 'gd-sz', workbook: 'gd-gz' }, task: '4', taskSheet: '任务', completed: '已完成', on: '2021-06-30' };
const AN_GIANG: Target = { ledger: 'ag-2022', units: { http: 'ag-a', ndjson: 'ag-b', workbook: 'ag-c' }, task: '1.1', taskSheet: 'Nhiệm vụ', completed: 'Đã hoàn thành', on: '2021-06-30' };
const AG_UNITS = 'id,name,role,parent\nag-a,Sở Nông nghiệp và Phát triển nông thôn,agriculture-rural-dept,\nag-b,Chi cục Phát triển nông thôn,agriculture-rural-dept,ag-a\nag-c,Chi cục Trồng trọt và Bảo vệ thực vật,agriculture-rural-dept,ag-a\n';

describe('one parser for every channel: NDJSON (CLI submit), HTTP JSON and workbook rows', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-channels-'));
  const storeUri = `sqlite:${join(directory, 'ledger.db')}`;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;
  const tokens: Record<string, string> = {};
  const blanks: Record<string, Buffer> = {};

  const progress = (target: Target, unit: string, fields: Fields) =>
    ({ type: 'progress', ledger: target.ledger, unit, task: fields.task ?? target.task, status: 'completed', on: fields.on ?? target.on, ...(fields.note === undefined ? {} : { note: fields.note }) });
  const metric = (unit: string, fields: Fields) => ({ type: 'metric', ledger: 'gd-2021', unit, period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: fields.value ?? 1 });
  const head = () => store.headPosition();
  /** The submissions appended after a position (the live scheduler may meanwhile record back-filled reports of the ledger: not the channels' doing). */
  const eventsAfter = async (position: number): Promise<StoredEvent[]> => (await collect(store.readAll({ after: position }))).filter((e) => e.type !== 'ReportGenerated');
  /** The facts of an event, without the unit that sent it. */
  const facts = (e: StoredEvent) => {
    const { unitId: _unit, ...rest } = e.data as Record<string, unknown>;
    return { type: e.type, ...rest };
  };

  /** Sends a progress and a metric record through one channel; the events appended, or the reasons of the refusal. */
  type Outcome = { events: ReturnType<typeof facts>[] } | { reasons: string[] } | { notFound: string[] };
  const channels: Record<string, (kind: 'progress' | 'metric', fields: Fields, target: Target) => Promise<Outcome>> = {
    async http(kind, fields, target) {
      const before = await head();
      const body = kind === 'progress' ? progress(target, target.units.http, fields) : metric(target.units.http, fields);
      const answer = await http.post(`/api/ledgers/${target.ledger}/submissions`).set('Authorization', `Bearer ${tokens[target.units.http]}`).send(body);
      if (answer.status === 404) return { notFound: (answer.body.problems as { reason: string }[]).map((p) => p.reason) };
      if (answer.status !== 201) return { reasons: (answer.body.problems as { reason: string }[]).map((p) => p.reason) };
      return { events: (await eventsAfter(before)).map(facts) };
    },
    async ndjson(kind, fields, target) {
      const before = await head();
      const file = join(directory, 'one.ndjson');
      writeFileSync(file, `${JSON.stringify(kind === 'progress' ? progress(target, target.units.ndjson, fields) : metric(target.units.ndjson, fields))}\n`);
      const result = await cli(storeUri, 'submit', file);
      if (result.code !== 0) return { reasons: result.err.map((line) => line.replace(/^error: .*?one\.ndjson:1 [^:]+: /, '')) };
      return { events: (await eventsAfter(before)).map(facts) };
    },
    async workbook(kind, fields, target) {
      const before = await head();
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(blanks[target.ledger] as unknown as ExcelJS.Buffer);
      if (kind === 'progress') {
        const ws = wb.getWorksheet(target.taskSheet)!;
        const row = rowWhere(ws, TASK.number, target.task);
        // An unknown task written over the row's number: the workbook names the task like the other channels.
        if (fields.task) ws.getCell(row, TASK.number).value = fields.task;
        ws.getCell(row, TASK.status).value = target.completed;
        ws.getCell(row, TASK.on).value = (fields.on ?? target.on) as string;
        if (fields.note !== undefined) ws.getCell(row, TASK.note).value = fields.note;
      } else {
        const ws = wb.getWorksheet('指标')!;
        let row = 0;
        for (let r = 4; r <= ws.rowCount && row === 0; r++) {
          if (ws.getCell(r, METRIC.metricId).value === 'benefit.households' && ws.getCell(r, METRIC.dimensionIds).value === '{"service":"sansheng"}') row = r;
        }
        ws.getCell(row, METRIC.value).value = (fields.value ?? 1) as string | number;
      }
      const answer = await http
        .post(`/api/ledgers/${target.ledger}/workbooks/${target.units.workbook}`)
        .set('Authorization', `Bearer ${tokens[target.units.workbook]}`)
        .set('Content-Type', XLSX)
        .send(Buffer.from(await wb.xlsx.writeBuffer()));
      if (answer.status === 404) return { notFound: (answer.body.problems as { reason: string }[]).map((p) => p.reason) };
      if (answer.status !== 201) return { reasons: (answer.body.problems as { reason: string }[]).map((p) => p.reason) };
      return { events: (await eventsAfter(before)).map(facts) };
    },
  };
  const everyChannel = async (kind: 'progress' | 'metric', fields: Fields, target = NEA) => ({
    http: await channels.http(kind, fields, target),
    ndjson: await channels.ndjson(kind, fields, target),
    workbook: await channels.workbook(kind, fields, target),
  });

  beforeAll(async () => {
    ({ app } = await bootTestApp({ store: storeUri, clock: new FixedClock(new Date('2021-07-10T02:00:00Z')) }));
    http = request(app.getHttpServer()) as unknown as ReturnType<typeof request>;
    store = app.get<EventStore>(EVENT_STORE);
    const commands = app.get(CommandBus);
    const file = programmeFile('nea-2021-37');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    const ag = programmeFile('angiang-ocop-2022');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(ag, 'utf8'), ag, systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    await commands.execute(new OpenLedgerCommand('ag-2022', 'angiang-ocop-2022', 'Tỉnh An Giang', AG_UNITS, 'units.csv', systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    const token = async (unit: string) => (await commands.execute(new IssueTokenCommand({ unit, role: 'submitter', ledger: null, label: null }, adminPrincipal('system:test')))).token;
    for (const unit of ['gd-grid', 'gd-gz', 'ag-a', 'ag-c']) tokens[unit] = await token(unit);
    for (const [target, period] of [[NEA, '2021-H1'], [AN_GIANG, '2022-Q2']] as const) {
      const download = await http
        .get(`/api/ledgers/${target.ledger}/workbooks/${target.units.workbook}`)
        .query({ period })
        .set('Authorization', `Bearer ${tokens[target.units.workbook]}`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      blanks[target.ledger] = download.body as Buffer;
    }
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('a figure written with full-width digits and the programme’s separators is the same figure on every channel', async () => {
    const outcomes = await everyChannel('metric', { value: '１，５２０' });
    expect(outcomes.http).toEqual({ events: [{ type: 'MetricReported', ledgerId: 'gd-2021', metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sansheng' }, value: 1520 }] });
    expect(outcomes.ndjson).toEqual(outcomes.http);
    expect(outcomes.workbook).toEqual(outcomes.http);
  });

  it('a date in the programme’s local form and a decomposed note are the same progress on every channel', async () => {
    const outcomes = await everyChannel('progress', { on: '2021年6月30日', note: 'Đa\u0303 hoa\u0300n tha\u0300nh' });
    expect(outcomes.http).toEqual({ events: [{ type: 'ProgressReported', ledgerId: 'gd-2021', task: '4', status: 'completed', on: '2021-06-30', note: 'Đã hoàn thành', evidence: [] }] });
    expect(outcomes.ndjson).toEqual(outcomes.http);
    expect(outcomes.workbook).toEqual(outcomes.http);
  });

  it.each<[string, 'progress' | 'metric', Fields, RegExp]>([
    ['a fraction of a count', 'metric', { value: 1.5 }, /^1\.5 has more decimals than 户 takes; allowed: 0 ≤ value ≤ 1000000000 户, a whole number$/],
    ['a figure out of range', 'metric', { value: 1e29 }, /^1e\+29 is out of range; allowed: 0 ≤ value ≤ 1000000000 户/],
    ['a number in another language’s form', 'metric', { value: '1,5' }, /^"1,5" is not a number: write digits like 1234\.5 or 1,234\.5$/],
    ['a date outside the programme’s years', 'progress', { on: '2025-01-01' }, /^2025-01-01 is outside the dates this programme accepts: 2019-01-01 to 2023-12-31/],
    ['a date in a form the programme does not use', 'progress', { on: '30/06/2021' }, /^"30\/06\/2021" is not a date: write it as YYYY-MM-DD or YYYY年M月D日$/],
    ['a note with a bidirectional override', 'progress', { note: '已完成\u202e成完' }, /^holds the bidirectional control U\+202E at character 4/],
  ])('%s is refused for the same reason on every channel, and nothing is appended', async (_name, kind, fields, reason) => {
    const before = await head();
    const outcomes = await everyChannel(kind, fields);
    expect(outcomes.http).toEqual({ reasons: [expect.stringMatching(reason)] });
    expect(outcomes.ndjson).toEqual(outcomes.http);
    expect(outcomes.workbook).toEqual(outcomes.http);
    expect(await eventsAfter(before)).toEqual([]);
  });

  it('a date in the Vietnamese form DD/MM/YYYY (full-width digits too) is the same progress on every channel of a Vietnamese programme', async () => {
    const outcomes = await everyChannel('progress', { on: '３０/０６/２０２１', note: 'Đã ban hành kế hoạch' }, AN_GIANG);
    expect(outcomes.http).toEqual({ events: [{ type: 'ProgressReported', ledgerId: 'ag-2022', task: '1.1', status: 'completed', on: '2021-06-30', note: 'Đã ban hành kế hoạch', evidence: [] }] });
    expect(outcomes.ndjson).toEqual(outcomes.http);
    expect(outcomes.workbook).toEqual(outcomes.http);
    const before = await head();
    const chinese = await everyChannel('progress', { on: '2021年6月30日' }, AN_GIANG);
    expect(chinese.http).toEqual({ reasons: ['"2021年6月30日" is not a date: write it as YYYY-MM-DD or DD/MM/YYYY'] });
    expect(chinese.ndjson).toEqual(chinese.http);
    expect(chinese.workbook).toEqual(chinese.http);
    expect(await eventsAfter(before)).toEqual([]);
  });

  it('an unknown task is refused on every channel (404 over HTTP, exit 1 on the CLI), and nothing is appended', async () => {
    const before = await head();
    const outcomes = await everyChannel('progress', { task: '999' });
    expect(outcomes.http).toEqual({ notFound: [expect.stringMatching(/"999"/)] });
    expect(outcomes.ndjson).toEqual({ reasons: (outcomes.http as { notFound: string[] }).notFound });
    // A workbook is refused as a whole file (400), naming the row's unknown task for the same reason.
    expect(outcomes.workbook).toEqual(outcomes.ndjson);
    expect(await eventsAfter(before)).toEqual([]);
  });

  it('an unknown unit or task asked about is 404 over HTTP and exit 1 on the CLI', async () => {
    const admin = (await app.get(CommandBus).execute(new IssueTokenCommand({ unit: 'gd-grid', role: 'admin', ledger: null, label: null }, adminPrincipal('system:test')))).token;
    const asked = [
      ['/api/ledgers/gd-2021/status?unit=nobody', ['status', 'gd-2021', '--unit', 'nobody']],
      ['/api/ledgers/gd-2021/status?task=999', ['status', 'gd-2021', '--task', '999']],
      ['/api/ledgers/gd-2021/history?task=999', ['history', 'gd-2021', '--task', '999']],
      ['/api/ledgers/gd-2021/workbooks/nobody?period=2021-H1', ['workbook', 'download', 'gd-2021', '--unit', 'nobody', '--period', '2021-H1', '--out', join(directory, 'nobody.xlsx')]],
      ['/api/ledgers/nowhere/status', ['status', 'nowhere']],
    ] as const;
    for (const [path, args] of asked) {
      const answer = await http.get(path).set('Authorization', `Bearer ${admin}`);
      const run = await cli(storeUri, ...args);
      expect({ path, status: answer.status, code: run.code, reason: run.err[0]?.replace(/^error: [^:]+: /, '') }).toEqual({ path, status: 404, code: 1, reason: answer.body.problems[0].reason });
    }
  });
});

function rowWhere(ws: ExcelJS.Worksheet, column: number, value: string): number {
  for (let r = 4; r <= ws.rowCount; r++) if (ws.getCell(r, column).value === value) return r;
  throw new Error(`no row with ${value} in column ${column} of ${ws.name}`);
}
