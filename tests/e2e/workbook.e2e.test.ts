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
import { ReportScheduler } from '../../src/reports/schedule/report-scheduler';
import type { EventStore, StoredEvent } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { bootTestApp, type TestApp } from '../support/boot-test-app';
import { cli } from '../support/cli-in-process';
import { programmeFile } from '../support/ledger-log';
import { collect } from '../support/streams';
import { DEFAULT_MAX_WORKBOOK_BYTES } from '../../src/config';

/** Fill-in workbooks on a real embedded store: download, open back, fill in with exceljs, upload; over HTTP and the CLI. */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// As in ledgers.e2e.test.ts: a provincial grid company, a city supply company under it, the provincial energy authority.
const UNITS = 'id,name,role,parent\ngd-grid,广东电网有限责任公司,supply-company,\ngd-sz,"深圳供电局有限公司, 南方电网",supply-company,gd-grid\ngd-nea,广东省能源局,energy-authority,\n';

async function open(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb;
}

async function bytesOf(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The row of a sheet whose column `column` holds `value`. */
function rowWhere(ws: ExcelJS.Worksheet, column: number, value: string): number {
  for (let r = 4; r <= ws.rowCount; r++) if (ws.getCell(r, column).value === value) return r;
  throw new Error(`no row with ${value} in column ${column} of ${ws.name}`);
}

const metricRow = (ws: ExcelJS.Worksheet, metric: string, dimensions: Record<string, string>) => {
  for (let r = 4; r <= ws.rowCount; r++) if (ws.getCell(r, 7).value === metric && ws.getCell(r, 8).value === JSON.stringify(dimensions)) return r;
  throw new Error(`no row for ${metric} ${JSON.stringify(dimensions)}`);
};

describe('fill-in workbooks over HTTP (NEA ledger)', () => {
  let testApp: TestApp;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;
  const tokens: Record<string, string> = {};
  const token = async (unit: string, role: string) =>
    (await app.get(CommandBus).execute(new IssueTokenCommand({ unit, role, ledger: null, label: null }, adminPrincipal('system:test')))).token;
  const download = (unit: string, as: string, period: string | null = '2021-H1') => {
    const call = http.get(`/api/ledgers/gd-2021/workbooks/${unit}`).set('Authorization', `Bearer ${as}`);
    return (period === null ? call : call.query({ period }))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  };
  const upload = (unit: string, as: string, bytes: Buffer, query: Record<string, string> = {}, type = XLSX) =>
    http.post(`/api/ledgers/gd-2021/workbooks/${unit}`).query(query).set('Authorization', `Bearer ${as}`).set('Content-Type', type).send(bytes);
  const eventsAfter = async (position: number): Promise<StoredEvent[]> => collect(store.readAll({ after: position }));
  let blank: Buffer;

  beforeAll(async () => {
    testApp = await bootTestApp({ clock: new FixedClock(new Date('2021-07-10T02:00:00Z')) });
    app = testApp.app;
    http = request(app.getHttpServer()) as unknown as ReturnType<typeof request>;
    store = app.get<EventStore>(EVENT_STORE);
    const commands = app.get(CommandBus);
    const file = programmeFile('nea-2021-37');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    // The live scheduler back-fills the 2020 reports, due before the ledger opened: done before the log positions are counted.
    await app.get(ReportScheduler).runDue();
    tokens.grid = await token('gd-grid', 'submitter');
    tokens.sz = await token('gd-sz', 'submitter');
    tokens.regulator = await token('gd-nea', 'regulator');
    tokens.admin = await token('gd-nea', 'admin');
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('downloads the unit’s workbook as xlsx, the same bytes every time', async () => {
    const response = await download('gd-grid', tokens.grid).expect(200);
    expect(response.headers['content-type']).toBe(XLSX);
    expect(response.headers['content-disposition']).toBe('attachment; filename="gd-2021-gd-grid-2021-H1.xlsx"');
    blank = response.body as Buffer;
    const again = await download('gd-grid', tokens.admin).expect(200);
    expect((again.body as Buffer).equals(blank)).toBe(true);
    expect(again.headers['x-workbook-digest']).toBe(response.headers['x-workbook-digest']);
  });

  it('holds the unit’s tasks with a status drop-down and date cells, the metrics for the period, and a hidden meta sheet', async () => {
    const wb = await open(blank);
    expect(wb.worksheets.map((ws) => [ws.name, ws.state])).toEqual([
      ['任务', 'visible'],
      ['指标', 'visible'],
      ['meta', 'veryHidden'],
    ]);
    const tasks = wb.getWorksheet('任务')!;
    const numbers = [...Array(tasks.rowCount - 3).keys()].map((i) => tasks.getCell(i + 4, 1).value);
    expect(numbers).toContain('4');
    expect(numbers).not.toContain('2'); // the energy authority's alone
    const four = rowWhere(tasks, 1, '4');
    expect(tasks.getCell(four, 3).value).toBe('2020年底前');
    expect(tasks.getCell(four, 4).value).toBe('牵头');
    expect(tasks.getCell(four, 5).dataValidation).toMatchObject({ type: 'list', allowBlank: true, formulae: ['"未开始,进行中,已完成,受阻"'] });
    expect(tasks.getCell(four, 6).dataValidation).toMatchObject({ type: 'date', operator: 'between' });
    const metrics = wb.getWorksheet('指标')!;
    const households = metricRow(metrics, 'benefit.households', { service: 'sanling-enterprise' });
    expect([2, 3, 4].map((c) => metrics.getCell(households, c).value)).toEqual(['受益户数', '服务效益：160kW及以下的企业用户', '户']);
    expect(metrics.getCell(households, 5).dataValidation).toMatchObject({ type: 'whole', operator: 'between', formulae: [0, 1000000000] });
    expect(wb.getWorksheet('meta')!.getCell('B3').value).toBe('gd-2021');

    const authority = await open((await download('gd-nea', tokens.admin).expect(200)).body as Buffer);
    expect(rowWhere(authority.getWorksheet('任务')!, 1, '2')).toBeGreaterThan(3);
    const quarter = await open((await download('gd-grid', tokens.grid, '2021-Q1').expect(200)).body as Buffer);
    expect(quarter.getWorksheet('指标')!.getCell('A4').value).toMatch(/^本计划不按 2021-Q1 报送指标数据/);
  });

  it('lets a submitter download only its own unit’s workbook; a period is required', async () => {
    await download('gd-grid', tokens.sz).expect(403);
    await download('gd-grid', tokens.regulator).expect(403);
    await http.get('/api/ledgers/gd-2021/workbooks/gd-grid').query({ period: '2021-H1' }).expect(401);
    const missing = await download('gd-grid', tokens.grid, null).expect(400);
    expect(JSON.parse((missing.body as Buffer).toString('utf8'))).toEqual({ error: 'invalid', problems: [{ field: 'period', reason: expect.stringMatching(/^is required/) }] });
    await download('gd-grid', tokens.grid, '2021-H3').expect(400);
    await download('gd-nobody', tokens.admin).expect(404);
  });

  it('appends the filled rows as submissions, and nothing when the same workbook comes again', async () => {
    const wb = await open(blank);
    const tasks = wb.getWorksheet('任务')!;
    const metrics = wb.getWorksheet('指标')!;
    const four = rowWhere(tasks, 1, '4');
    tasks.getCell(four, 5).value = '已完成';
    tasks.getCell(four, 6).value = new Date(Date.UTC(2021, 5, 30));
    tasks.getCell(four, 7).value = '居民用户办电时间压减至5个工作日';
    tasks.getCell(four, 8).value = '粤电营销〔2021〕12号；粤电营销〔2021〕13号';
    const five = rowWhere(tasks, 1, '5');
    tasks.getCell(five, 5).value = '进行中';
    tasks.getCell(five, 6).value = '2021-06-01';
    metrics.getCell(metricRow(metrics, 'benefit.households', { service: 'sanling-residential' }), 5).value = 1520;
    metrics.getCell(metricRow(metrics, 'benefit.investmentSaved', { service: 'sansheng' }), 5).value = 12.5;
    const filled = await bytesOf(wb);

    const head = await store.headPosition();
    const response = await upload('gd-grid', tokens.grid, filled).expect(201);
    expect(response.body).toEqual({
      ledgerId: 'gd-2021',
      unitId: 'gd-grid',
      period: '2021-H1',
      rows: { progress: 2, metric: 2 },
      appended: 4,
      duplicates: 0,
      position: head + 4,
    });
    const events = await eventsAfter(head);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        'ProgressReported',
        {
          ledgerId: 'gd-2021',
          unitId: 'gd-grid',
          task: '4',
          status: 'completed',
          on: '2021-06-30',
          note: '居民用户办电时间压减至5个工作日',
          evidence: ['粤电营销〔2021〕12号', '粤电营销〔2021〕13号'],
        },
      ],
      ['ProgressReported', { ledgerId: 'gd-2021', unitId: 'gd-grid', task: '5', status: 'in-progress', on: '2021-06-01', note: null, evidence: [] }],
      ['MetricReported', { ledgerId: 'gd-2021', unitId: 'gd-grid', metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sanling-residential' }, value: 1520 }],
      ['MetricReported', { ledgerId: 'gd-2021', unitId: 'gd-grid', metric: 'benefit.investmentSaved', period: '2021-H1', dimensions: { service: 'sansheng' }, value: 12.5 }],
    ]);
    for (const event of events) expect(event.metadata).toMatchObject({ actor: expect.stringMatching(/^token:/), role: 'submitter', unit: 'gd-grid' });

    const again = await upload('gd-grid', tokens.grid, filled).expect(201);
    expect(again.body).toMatchObject({ appended: 0, duplicates: 4 });
    // A browser's file upload (multipart/form-data, field "file") is read the same way.
    const form = await http.post('/api/ledgers/gd-2021/workbooks/gd-grid').set('Authorization', `Bearer ${tokens.grid}`).attach('file', filled, 'gd-grid.xlsx').expect(201);
    expect(form.body).toMatchObject({ appended: 0, duplicates: 4 });
    const noFile = await http.post('/api/ledgers/gd-2021/workbooks/gd-grid').set('Authorization', `Bearer ${tokens.grid}`).field('note', 'x').expect(400);
    expect(noFile.body.problems).toEqual([{ field: 'file', reason: 'is required: the filled-in .xlsx file in the form field "file"' }]);
    expect(await store.headPosition()).toBe(head + 4);

    await app.get(ProjectionRunner).catchUp();
    const status = await http.get('/api/ledgers/gd-2021/status').query({ unit: 'gd-grid', task: '4' }).set('Authorization', `Bearer ${tokens.grid}`).expect(200);
    expect(status.body.rows[0]).toMatchObject({ progress: 'completed', completedOn: '2021-06-30' });
  });

  it('refuses a workbook with bad cells, naming every problem by sheet and cell, and appends nothing', async () => {
    const wb = await open(blank);
    const tasks = wb.getWorksheet('任务')!;
    const metrics = wb.getWorksheet('指标')!;
    const [three, four, five, seven] = ['3', '4', '5', '7'].map((n) => rowWhere(tasks, 1, n));
    tasks.getCell(three, 5).value = '完成了'; // not a status
    tasks.getCell(three, 6).value = '2021-06-01';
    tasks.getCell(four, 5).value = '已完成';
    tasks.getCell(four, 6).value = '上半年'; // not a date
    tasks.getCell(five, 5).value = '已完成';
    tasks.getCell(five, 6).value = new Date(Date.UTC(2021, 6, 30)); // after today (2021-07-10)
    tasks.getCell(seven, 5).value = '进行中'; // a good row: not appended either
    tasks.getCell(seven, 6).value = new Date(Date.UTC(2021, 5, 1));
    const text = metricRow(metrics, 'benefit.households', { service: 'sanling-residential' });
    const fraction = metricRow(metrics, 'benefit.households', { service: 'sanling-enterprise' });
    const negative = metricRow(metrics, 'benefit.salesAdded', { service: 'sansheng' });
    metrics.getCell(text, 5).value = '约1500';
    metrics.getCell(fraction, 5).value = 1.5;
    metrics.getCell(negative, 5).value = -3;

    const head = await store.headPosition();
    const response = await upload('gd-grid', tokens.grid, await bytesOf(wb)).expect(400);
    expect(response.body.error).toBe('invalid');
    expect(response.body.problems.map((p: { field: string; reason: string }) => `${p.field}: ${p.reason}`)).toEqual([
      `任务!E${three} status: "完成了" is not one of 未开始, 进行中, 已完成, 受阻`,
      `任务!F${four} on: "上半年" is not a date: write it as YYYY-MM-DD or YYYY年M月D日`,
      `任务!F${five} on: 2021-07-30 is in the future (today is 2021-07-10 in Asia/Shanghai)`,
      `指标!E${text} value: "约1500" is not a number: write digits like 1234.5 or 1,234.5`,
      `指标!E${fraction} value: 1.5 has more decimals than 户 takes; allowed: 0 ≤ value ≤ 1000000000 户, a whole number`,
      `指标!E${negative} value: -3 is out of range; allowed: 0 ≤ value ≤ 1000000000 万千瓦时, at most 4 decimals`,
    ]);
    expect(response.body.problems[4]).toEqual({ field: `指标!E${fraction} value`, reason: '1.5 has more decimals than 户 takes; allowed: 0 ≤ value ≤ 1000000000 户, a whole number', sheet: '指标', cell: `E${fraction}` });
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses a workbook for another unit or period, one without its meta sheet, and a body that is no workbook', async () => {
    const head = await store.headPosition();
    const theirs = await open((await download('gd-sz', tokens.sz).expect(200)).body as Buffer);
    const theirTasks = theirs.getWorksheet('任务')!;
    theirTasks.getCell(rowWhere(theirTasks, 1, '4'), 5).value = '进行中';
    theirTasks.getCell(rowWhere(theirTasks, 1, '4'), 6).value = '2021-06-01';
    const other = await upload('gd-grid', tokens.grid, await bytesOf(theirs)).expect(400);
    expect(other.body.problems).toEqual([{ field: 'meta!B4 unit', reason: 'the workbook is for unit "gd-sz", not "gd-grid"', sheet: 'meta', cell: 'B4' }]);
    await upload('gd-sz', tokens.grid, await bytesOf(theirs)).expect(403);
    const period = await upload('gd-sz', tokens.sz, await bytesOf(theirs), { period: '2021' }).expect(400);
    expect(period.body.problems.map((p: { field: string }) => p.field)).toEqual(['meta!B5 period']);

    const bare = new ExcelJS.Workbook();
    bare.addWorksheet('任务').getCell('E4').value = '已完成';
    const noMeta = await upload('gd-grid', tokens.grid, await bytesOf(bare)).expect(400);
    expect(noMeta.body.problems).toEqual([expect.objectContaining({ field: '(workbook)', reason: expect.stringMatching(/^has no "meta" sheet/) })]);

    const notXlsx = await upload('gd-grid', tokens.grid, Buffer.from('id,status\n4,done\n')).expect(400);
    expect(notXlsx.body.problems[0]).toMatchObject({ field: '(workbook)', reason: expect.stringMatching(/^is not an .xlsx file/) });
    const json = await http.post('/api/ledgers/gd-2021/workbooks/gd-grid').set('Authorization', `Bearer ${tokens.grid}`).send({ rows: [] }).expect(400);
    expect(json.body.problems[0].field).toBe('Content-Type');
    // Workbooks have their own limit (LEDGER_MAX_WORKBOOK_BYTES), above the JSON routes' 1 MiB.
    const large = await upload('gd-grid', tokens.grid, Buffer.concat([blank, Buffer.alloc(2 * 1024 * 1024)]));
    expect(large.status).toBe(400);
    const huge = await upload('gd-grid', tokens.grid, Buffer.concat([blank, Buffer.alloc(DEFAULT_MAX_WORKBOOK_BYTES)])).expect(413);
    expect(huge.body).toEqual({ error: 'too-large', problems: [{ reason: expect.stringMatching(/exceeds the limit of 8388608 bytes \(LEDGER_MAX_WORKBOOK_BYTES\)$/) }] });
    const nothing = await upload('gd-grid', tokens.grid, blank).expect(400);
    expect(nothing.body.problems[0]).toMatchObject({ field: '(workbook)', reason: expect.stringMatching(/^nothing is filled in/) });
    expect(await store.headPosition()).toBe(head);
  });

  it('describes both routes in the OpenAPI description', async () => {
    const doc = await http.get('/api/docs/json').expect(200);
    const path = doc.body.paths['/api/ledgers/{ledgerId}/workbooks/{unitId}'];
    expect(Object.keys(path.get.responses)).toContain('200');
    expect(Object.keys(path.post.requestBody.content)).toEqual([XLSX, 'multipart/form-data']);
    expect(path.post.security).toBeDefined();
  });
});

describe('fill-in workbooks through the CLI (An Giang, in Vietnamese)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-workbook-cli-'));
  const path = join(directory, 'ledger.db');
  const run = (...args: string[]) => cli(`sqlite:${path}`, ...args);
  const file = (name: string) => join(directory, name);
  const head = async () => {
    const log = new SqliteEventStore(path);
    try {
      return await log.headPosition();
    } finally {
      await log.close();
    }
  };
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('downloads, fills in, uploads once, refuses bad cells naming sheet!cell with exit 1', async () => {
    expect((await run('programme', 'import', programmeFile('angiang-ocop-2022'))).code).toBe(0);
    writeFileSync(file('units.csv'), 'id,name,role,parent\nag-chau-doc,UBND thành phố Châu Đốc,district-people-committee,\nag-snn,Sở Nông nghiệp và Phát triển nông thôn,agriculture-rural-dept,\n');
    expect((await run('ledger', 'open', 'ag-2022', '--programme', 'angiang-ocop-2022', '--units', file('units.csv'))).code).toBe(0);

    expect((await run('workbook', 'download', 'ag-2022', '--unit', 'ag-chau-doc', '--period', '2022-Q2')).code).toBe(2);
    const downloaded = await run('workbook', 'download', 'ag-2022', '--unit', 'ag-chau-doc', '--period', '2022-Q2', '--out', file('blank.xlsx'));
    expect(downloaded.err).toEqual([]);
    expect(downloaded.stdout).toMatch(/^wrote .*blank\.xlsx: workbook of ag-chau-doc in ag-2022 for 2022-Q2 \(angiang-ocop-2022 v1\): \d+ tasks, 2 metric rows$/);

    const wb = await open(readFileSync(file('blank.xlsx')));
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['Nhiệm vụ', 'Chỉ tiêu', 'meta']);
    const tasks = wb.getWorksheet('Nhiệm vụ')!;
    expect(tasks.getRow(3).values).toEqual([undefined, 'STT', 'Nội dung nhiệm vụ', 'Thời gian hoàn thành', 'Trách nhiệm', 'Tình trạng', 'Ngày', 'Ghi chú', 'Minh chứng']);
    const row = rowWhere(tasks, 1, '1.4');
    expect(tasks.getCell(row, 4).value).toBe('Phối hợp');
    expect(tasks.getCell(row, 5).dataValidation).toMatchObject({ type: 'list', formulae: ['"Chưa thực hiện,Đang thực hiện,Đã hoàn thành,Gặp vướng mắc"'] });
    // Part III's two submitted figures ("03 - 04 đợt đánh giá", "01 - 02 sản phẩm OCOP … xuất khẩu"); the rest are counted from OCOP events.
    const figures = wb.getWorksheet('Chỉ tiêu')!;
    expect([metricRow(figures, 'ocop.ratingRounds', {}), metricRow(figures, 'ocop.exportProducts', {})]).toEqual([4, 5]);

    tasks.getCell(row, 5).value = 'Đã hoàn thành';
    tasks.getCell(row, 6).value = '30/6/2022';
    tasks.getCell(row, 7).value = 'Đã phối hợp tổ chức hội nghị';
    writeFileSync(file('filled.xlsx'), await bytesOf(wb));
    const before = await head();
    const uploaded = await run('workbook', 'upload', file('filled.xlsx'), '--unit', 'ag-chau-doc');
    expect(uploaded.err).toEqual([]);
    expect(uploaded.stdout).toMatch(/^appended 1 events from .*filled\.xlsx \(1 progress rows, 0 metric rows\) for ag-chau-doc in ag-2022, 2022-Q2; log position \d+$/);
    expect(await head()).toBe(before + 1);
    const history = JSON.parse((await run('history', 'ag-2022', '--unit', 'ag-chau-doc', '--json')).stdout) as { type: string; data: Record<string, unknown> }[];
    expect(history.map((e) => [e.type, e.data.task, e.data.status, e.data.on, e.data.note])).toEqual([['ProgressReported', '1.4', 'completed', '2022-06-30', 'Đã phối hợp tổ chức hội nghị']]);

    const again = await run('workbook', 'upload', file('filled.xlsx'));
    expect(again.stdout).toMatch(/^appended 0 events .*\(1 already appended, skipped\)/);
    expect(await head()).toBe(before + 1);

    const other = await run('workbook', 'upload', file('filled.xlsx'), '--unit', 'ag-snn');
    expect(other.code).toBe(1);
    expect(other.err).toEqual(['error: meta!B4 unit: the workbook is for unit "ag-chau-doc", not "ag-snn"']);

    // III.8.2 comes first in the programme, 3.1 later.
    const [early, late] = [rowWhere(tasks, 1, 'III.8.2'), rowWhere(tasks, 1, '3.1')];
    expect(early).toBeLessThan(late);
    tasks.getCell(early, 5).value = 'Đang thực hiện';
    tasks.getCell(early, 6).value = '31/6/2022';
    tasks.getCell(late, 5).value = 'Xong';
    tasks.getCell(late, 6).value = '1/7/2022';
    writeFileSync(file('bad.xlsx'), await bytesOf(wb));
    const bad = await run('workbook', 'upload', file('bad.xlsx'));
    expect(bad.code).toBe(1);
    expect(bad.out).toEqual([]);
    expect(bad.err).toEqual([
      `error: Nhiệm vụ!F${early} on: "31/6/2022" is not a real date`,
      `error: Nhiệm vụ!E${late} status: "Xong" is not one of Chưa thực hiện, Đang thực hiện, Đã hoàn thành, Gặp vướng mắc`,
    ]);
    expect(await head()).toBe(before + 1);
  });
});
