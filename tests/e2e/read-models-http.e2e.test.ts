import { adminPrincipal } from '../../src/access/principal';
/**
 * The read models over HTTP on a real embedded store: metric figures (with rollup up the unit
 * hierarchy), indicator verdicts, deadlines, and the OCOP counts, registry, goals and district
 * targets — filters, pagination, roles, and "as of" a moment before a correction. Projections are
 * not live here, so every answer shows that its route catches the read models up itself.
 */
import type { INestApplication } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { Moments } from '../../src/audit/moments';
import { camauOcopSeason } from '../../src/demo/camau-ocop-season';
import { FixedClock } from '../../src/event-sourcing/clock';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { LedgerDirectory } from '../../src/ledgers/ledger-directory';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { BulkSubmitCommand } from '../../src/ledgers/submit/bulk-submit.command';
import { localDateOf } from '../../src/programmes/local-time';
import { periodOf } from '../../src/programmes/period';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import type { ProgrammeTemplate } from '../../src/programmes/template';
import { READ_MODEL_DB } from '../../src/read-models/tokens';
import { neaAttachment2Data } from '../../src/reports/data/nea-attachment-2.data';
import { bootTestApp } from '../support/boot-test-app';

const ROOT = join(__dirname, '..', '..');
// gd-grid is the provincial company; gz-grid and sz-grid its city bureaux; fs-grid a county bureau under gz-grid.
const UNITS = [
  'id,name,role,parent',
  'gd-energy,广东省能源局,energy-authority,',
  'gd-grid,广东电网有限责任公司,supply-company,',
  'gz-grid,广州供电局,supply-company,gd-grid',
  'sz-grid,深圳供电局,supply-company,gd-grid',
  'fs-grid,番禺供电局,supply-company,gz-grid',
].join('\n');

type Row = Record<string, unknown>;

describe('read models over HTTP: metrics, indicators, deadlines, OCOP', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-read-http-'));
  // 2021-12-28 10:00 in Asia/Shanghai: three days before the 2021年底前 tasks and the end of 2021-H2.
  const clock = new FixedClock(new Date('2021-12-28T02:00:00Z'));
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const tokens: Record<string, string> = {};
  const positions: Record<string, number> = {};
  const ids: Record<string, string> = {};

  const token = async (unit: string, role: string) =>
    (await app.get(CommandBus).execute(new IssueTokenCommand({ unit, role, ledger: null, label: null }, adminPrincipal('system:test')))).token;
  const get = (path: string, as: string, query: Record<string, string | number | boolean> = {}) =>
    http.get(path).query(query).set('Authorization', `Bearer ${as}`);
  const submit = async (as: string, body: Row) => {
    const response = await http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${as}`).send({ ledger: 'gd-2021', ...body });
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    return response.body as { eventId: string; position: number };
  };
  const metric = (unit: string, value: number, extra: Row = {}) => ({
    type: 'metric',
    unit,
    period: '2021-H1',
    metric: 'benefit.households',
    dimensions: { service: 'sanling-residential' },
    value,
    ...extra,
  });

  beforeAll(async () => {
    ({ app } = await bootTestApp({ directory, liveProjections: false, clock }));
    http = request(app.getHttpServer()) as unknown as ReturnType<typeof request>;
    const commands = app.get(CommandBus);
    const file = join(ROOT, 'templates/programmes/nea-2021-37.yaml');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, systemContext('test')));
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    tokens.regulator = await token('gd-energy', 'regulator');
    tokens.auditor = await token('gd-energy', 'auditor');
    tokens.energy = await token('gd-energy', 'submitter');
    tokens.gd = await token('gd-grid', 'submitter');
    tokens.gz = await token('gz-grid', 'submitter');
    tokens.sz = await token('sz-grid', 'submitter');
    tokens.fs = await token('fs-grid', 'submitter');

    // Figures for 2021-H1 (households, 三零 residential): 100 + 220 + 300 + 50; and gd-grid's year figure.
    await submit(tokens.gd, metric('gd-grid', 100));
    await submit(tokens.gz, metric('gz-grid', 220));
    await submit(tokens.gz, metric('gz-grid', 10, { dimensions: { service: 'sansheng' } }));
    await submit(tokens.sz, metric('sz-grid', 300));
    await submit(tokens.fs, metric('fs-grid', 50));
    await submit(tokens.gd, metric('gd-grid', 500, { period: '2021' }));
    // Indicator 1: low-voltage approval within 5 working days. Reported as 7, corrected to 4 an hour later.
    const original = await submit(tokens.energy, metric('gd-energy', 7, { metric: 'approval.workingDays', dimensions: { voltage: 'low' } }));
    ids.original = original.eventId;
    positions.original = original.position;
    // Progress: gz-grid completed task 3 (late), reported ongoing task 13 this half-year, and is blocked on task 10.
    await submit(tokens.gz, { type: 'progress', unit: 'gz-grid', task: '3', status: 'completed', on: '2021-06-30' });
    await submit(tokens.gz, { type: 'progress', unit: 'gz-grid', task: '13', status: 'in-progress', on: '2021-12-01' });
    positions.beforeBlocked = (await submit(tokens.gz, { type: 'progress', unit: 'gz-grid', task: '9', status: 'in-progress', on: '2021-12-01' })).position;
    await submit(tokens.gz, { type: 'progress', unit: 'gz-grid', task: '10', status: 'blocked', on: '2021-12-20', note: '征地受阻' });

    clock.set('2021-12-28T03:00:00Z');
    const correction = await submit(tokens.energy, { type: 'correction', unit: 'gd-energy', corrects: original.eventId, reason: '统计口径调整', value: 4 });
    ids.correction = correction.eventId;
    positions.correction = correction.position;
  });

  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('GET /api/ledgers/{id}/metrics', () => {
    it('one row per (metric, unit, period, dimensions), corrections applied', async () => {
      const response = await get('/api/ledgers/gd-2021/metrics', tokens.regulator).expect(200);
      expect(response.body).toMatchObject({ ledgerId: 'gd-2021', programmeId: 'nea-2021-37', rollup: false, total: 7, offset: 0, limit: 1000 });
      expect(response.body.position).toBe(await app.get<EventStore>(EVENT_STORE).headPosition());
      const rows = response.body.rows as Row[];
      expect(rows.map((r) => [r.metric, r.unit, r.period, Object.values(r.dimensions as Row)[0], r.value])).toEqual([
        ['benefit.households', 'fs-grid', '2021-H1', 'sanling-residential', 50],
        ['benefit.households', 'gd-grid', '2021-H1', 'sanling-residential', 100],
        ['benefit.households', 'gd-grid', '2021', 'sanling-residential', 500],
        ['benefit.households', 'gz-grid', '2021-H1', 'sanling-residential', 220],
        ['benefit.households', 'gz-grid', '2021-H1', 'sansheng', 10],
        ['benefit.households', 'sz-grid', '2021-H1', 'sanling-residential', 300],
        ['approval.workingDays', 'gd-energy', '2021-H1', 'low', 4],
      ]);
      const gz = rows.find((r) => r.unit === 'gz-grid' && (r.dimensions as Row).service === 'sanling-residential');
      expect(gz).toMatchObject({ label: '受益户数', measure: '户', unitName: '广州供电局', value: 220, own: 220, figures: 1, corrections: 0, units: ['gz-grid'] });
      const approval = rows.find((r) => r.metric === 'approval.workingDays');
      expect(approval).toMatchObject({ unit: 'gd-energy', value: 4, figures: 1, corrections: 1, position: positions.correction, measure: '个工作日' });
    });

    it('filters by period, metric and unit; pages with offset and limit', async () => {
      const h1 = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { period: '2021-H1', metric: 'benefit.households' }).expect(200);
      expect(h1.body.total).toBe(5);
      expect((h1.body.rows as Row[]).every((r) => r.period === '2021-H1' && r.metric === 'benefit.households')).toBe(true);
      const year = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { period: '2021' }).expect(200);
      expect(year.body.rows).toEqual([expect.objectContaining({ unit: 'gd-grid', value: 500 })]);
      const gz = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { unit: 'gz-grid' }).expect(200);
      expect((gz.body.rows as Row[]).map((r) => r.value)).toEqual([220, 10]);
      const all = await get('/api/ledgers/gd-2021/metrics', tokens.auditor).expect(200);
      const page = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { offset: 2, limit: 3 }).expect(200);
      expect(page.body).toMatchObject({ total: all.body.total, offset: 2, limit: 3 });
      expect(page.body.rows).toEqual(all.body.rows.slice(2, 5));
      const past = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { offset: 100 }).expect(200);
      expect(past.body).toMatchObject({ total: all.body.total, rows: [] });
    });

    it('rollup=true sums each unit with its descendants', async () => {
      const response = await get('/api/ledgers/gd-2021/metrics', tokens.regulator, { rollup: true, period: '2021-H1', metric: 'benefit.households' }).expect(200);
      const residential = (response.body.rows as Row[]).filter((r) => (r.dimensions as Row).service === 'sanling-residential');
      expect(residential.map((r) => [r.unit, r.value, r.own, r.units])).toEqual([
        ['fs-grid', 50, 50, ['fs-grid']],
        ['gd-grid', 670, 100, ['fs-grid', 'gd-grid', 'gz-grid', 'sz-grid']],
        ['gz-grid', 270, 220, ['fs-grid', 'gz-grid']],
        ['sz-grid', 300, 300, ['sz-grid']],
      ]);
      // gd-grid reported no 三省 figure of its own: its rolled-up row comes from gz-grid alone.
      const sansheng = (response.body.rows as Row[]).filter((r) => (r.dimensions as Row).service === 'sansheng');
      expect(sansheng.map((r) => [r.unit, r.value, r.own])).toEqual([['gd-grid', 10, 0], ['gz-grid', 10, 10]]);
      const one = await get('/api/ledgers/gd-2021/metrics', tokens.gd, { rollup: 'true', unit: 'gd-grid', period: '2021-H1' }).expect(200);
      expect((one.body.rows as Row[]).map((r) => r.value)).toEqual([670, 10]);
    });

    it('asOf a position or a time before the correction gives the original figure', async () => {
      const query = { metric: 'approval.workingDays' };
      const before = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { ...query, asOf: positions.correction - 1 }).expect(200);
      expect(before.body.rows).toEqual([expect.objectContaining({ value: 7, corrections: 0, position: positions.original })]);
      expect(before.body.position).toBe(positions.correction - 1);
      const byTime = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { ...query, asOf: '2021-12-28T10:30:00+08:00' }).expect(200);
      expect(byTime.body).toMatchObject({ asOf: '2021-12-28T02:30:00.000Z', rows: [expect.objectContaining({ value: 7 })] });
      const after = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { ...query, asOf: positions.correction }).expect(200);
      expect(after.body.rows).toEqual([expect.objectContaining({ value: 4, corrections: 1 })]);
      const beforeAnything = await get('/api/ledgers/gd-2021/metrics', tokens.auditor, { ...query, asOf: positions.original - 1 }).expect(200);
      expect(beforeAnything.body.rows).toEqual([]);
    });

    it('roles: readers see the ledger; a submitter only its own unit', async () => {
      await get('/api/ledgers/gd-2021/metrics', tokens.gz, { unit: 'gz-grid' }).expect(200);
      const whole = await get('/api/ledgers/gd-2021/metrics', tokens.gz).expect(403);
      expect(whole.body.problems[0].reason).toMatch(/may not read the whole ledger "gd-2021": it holds submitter of unit "gz-grid"/);
      const other = await get('/api/ledgers/gd-2021/metrics', tokens.gz, { unit: 'sz-grid' }).expect(403);
      expect(other.body.problems[0].reason).toMatch(/may not read unit "sz-grid" of ledger "gd-2021"/);
      await http.get('/api/ledgers/gd-2021/metrics').expect(401);
    });

    it('400 and 404 name the field', async () => {
      const cases: [Record<string, string>, number, string][] = [
        [{ period: '2021-H3' }, 400, 'period'],
        [{ rollup: 'yes' }, 400, 'rollup'],
        [{ limit: '10001' }, 400, 'limit'],
        [{ offset: '-1' }, 400, 'offset'],
        [{ asOf: 'yesterday' }, 400, 'asOf'],
        [{ metric: 'benefit.nothing' }, 404, 'metric'],
        [{ unit: 'nobody' }, 404, 'unit'],
      ];
      for (const [query, status, field] of cases) {
        const response = await get('/api/ledgers/gd-2021/metrics', tokens.regulator, query);
        expect({ query, status: response.status, field: response.body.problems?.[0]?.field }).toEqual({ query, status, field });
      }
      const repeated = await http.get('/api/ledgers/gd-2021/metrics?unit=gz-grid&unit=sz-grid').set('Authorization', `Bearer ${tokens.regulator}`).expect(400);
      expect(repeated.body.problems[0]).toMatchObject({ field: 'unit', reason: expect.stringMatching(/once/) });
      expect((await get('/api/ledgers/nope/metrics', tokens.regulator).expect(404)).body.problems[0].field).toBe('ledger');
    });
  });

  describe('GET /api/ledgers/{id}/indicators', () => {
    it('verdicts with the deciding figures and units, as the Attachment 2 report computes them', async () => {
      const response = await get('/api/ledgers/gd-2021/indicators', tokens.regulator, { period: '2021-H1' }).expect(200);
      expect(response.body).toMatchObject({ ledgerId: 'gd-2021', period: '2021-H1', asOfDate: '2021-12-28', unit: null, total: 38 });
      const first = (response.body.rows as Row[])[0];
      expect(first).toMatchObject({
        number: '1',
        group: '2020年底前',
        verdict: 'met',
        basis: 'rule',
        due: '2020-12-31',
        figures: [{ label: 'max approval.workingDays [voltage=low] 2021-H1', value: 4, target: '<= 5', unit: '个工作日' }],
        tasks: ['2'],
        units: [{ id: 'gd-energy', name: '广东省能源局' }],
      });
      // The report's data provider, over the same moment, gives the same verdicts.
      const asOf = { kind: 'now' } as const;
      const moment = app.get(Moments).resolve(asOf);
      const ledger = await app.get(LedgerDirectory).get('gd-2021');
      const report = await neaAttachment2Data({
        ledger,
        reportId: 'nea-attachment-2',
        period: periodOf('2021-H1'),
        asOf,
        instant: moment.instant,
        asOfDate: localDateOf(moment.instant, ledger.programme.timeZone),
        logPosition: moment.position,
        logDigest: moment.digest,
        pin: '',
        db: app.get<Database.Database>(READ_MODEL_DB),
        queries: app.get(QueryBus),
      });
      expect((response.body.rows as Row[]).map((r) => [r.number, r.verdict])).toEqual(report.lists!.standards.map((s) => [s.number, s.verdict]));
      expect(report.lists!.standards[0]).toMatchObject({ verdict: 'met', units: '广东省能源局' });
      // A standard no rule checks: 判定依据 gives the standard's own words and says it is judged by hand, with no machine text.
      const manual = (response.body.rows as Row[]).filter((r) => r.basis === 'manual').map((r) => r.number);
      expect(manual.length).toBeGreaterThan(0);
      for (const standard of report.lists!.standards.filter((s) => manual.includes(s.number))) {
        const words = String(standard.standard) === '/' ? String(standard.text) : String(standard.standard);
        expect(standard.basis).toMatch(/^无量化标准，人工判定：“/);
        expect(standard.basis).toContain(`“${words}”`);
        expect(String(standard.basis).replace(words, '')).not.toMatch(/[A-Za-z]|任务 \d/);
      }
      // A standard with exceptions (indicators 6, 7, 22, 34: “除不可抗力外，所有居民用户报装项目的办电时间达到规定时限。”) says so before its figures.
      const excepting = report.lists!.standards.filter((s) => ['6', '7', '22', '34'].includes(String(s.number)));
      expect(excepting.map((s) => String(s.basis).split('：')[0])).toEqual(['除不可抗力外', '除不可抗力外', '除不可抗力外', '除不可抗力外']);
      expect(excepting[0].basis).toMatch(/^除不可抗力外：.*全过程办电时间（居民用户）最大值 .*（标准：不超过 5 个工作日）/);
      expect(report.lists!.standards.filter((s) => String(s.basis).includes('除不可抗力外'))).toHaveLength(4);
    });

    it('asOf before the correction: the original figure and its verdict', async () => {
      const response = await get('/api/ledgers/gd-2021/indicators', tokens.auditor, { period: '2021-H1', number: '1', asOf: positions.correction - 1 }).expect(200);
      expect(response.body.rows).toEqual([expect.objectContaining({ number: '1', verdict: 'not-met', figures: [expect.objectContaining({ value: 7, target: '<= 5' })] })]);
    });

    it('filters by number and verdict; pages', async () => {
      const met = await get('/api/ledgers/gd-2021/indicators', tokens.regulator, { period: '2021-H1', verdict: 'met' }).expect(200);
      expect((met.body.rows as Row[]).every((r) => r.verdict === 'met')).toBe(true);
      expect((met.body.rows as Row[]).map((r) => r.number)).toContain('1');
      const page = await get('/api/ledgers/gd-2021/indicators', tokens.regulator, { period: '2021-H1', offset: 35, limit: 5 }).expect(200);
      expect(page.body).toMatchObject({ total: 38, offset: 35, limit: 5 });
      expect((page.body.rows as Row[]).map((r) => r.number)).toEqual(['36', '37', '38']);
    });

    it('a submitter reads its own unit’s standing only; 400 without a period', async () => {
      const own = await get('/api/ledgers/gd-2021/indicators', tokens.gz, { period: '2021-H1', unit: 'gz-grid', number: '1' }).expect(200);
      // gz-grid reported no approval time: its own standing on indicator 1 has no data.
      expect(own.body).toMatchObject({ unit: 'gz-grid', rows: [expect.objectContaining({ verdict: 'no-data', units: [] })] });
      await get('/api/ledgers/gd-2021/indicators', tokens.gz, { period: '2021-H1' }).expect(403);
      await get('/api/ledgers/gd-2021/indicators', tokens.gz, { period: '2021-H1', unit: 'gd-grid' }).expect(403);
      expect((await get('/api/ledgers/gd-2021/indicators', tokens.regulator).expect(400)).body.problems[0].field).toBe('period');
      expect((await get('/api/ledgers/gd-2021/indicators', tokens.regulator, { period: '2021-H1', verdict: 'great' }).expect(400)).body.problems[0].field).toBe('verdict');
      expect((await get('/api/ledgers/gd-2021/indicators', tokens.regulator, { period: '2021-H1', number: '99' }).expect(404)).body.problems[0].field).toBe('number');
    });
  });

  describe('GET /api/ledgers/{id}/deadlines', () => {
    const items = (unit: Row | undefined, list: string) => ((unit?.[list] ?? []) as Row[]).map((i) => i.task);

    it('per unit: overdue, due soon within 7 days, behind', async () => {
      const response = await get('/api/ledgers/gd-2021/deadlines', tokens.regulator).expect(200);
      expect(response.body).toMatchObject({ ledgerId: 'gd-2021', within: 7, total: 5, offset: 0 });
      const units = response.body.units as Row[];
      expect(units.map((u) => u.unit)).toEqual(['fs-grid', 'gd-energy', 'gd-grid', 'gz-grid', 'sz-grid']);
      const gz = units.find((u) => u.unit === 'gz-grid');
      expect(items(gz, 'overdue')).toContain('7'); // 2020年底前, nothing reported
      expect(items(gz, 'overdue')).not.toContain('3'); // completed (late)
      expect(items(gz, 'dueSoon')).toEqual(expect.arrayContaining(['9', '21', '14'])); // 2021年底前, and 2021-H2 not yet reported
      expect(items(gz, 'dueSoon')).not.toContain('13'); // reported this half-year
      expect(items(gz, 'behind')).toEqual(['10']); // blocked
      expect((gz!.behind as Row[])[0]).toMatchObject({ status: 'blocked', progress: 'blocked', due: '2022-12-31', lastReportOn: '2021-12-20' });
      expect((gz!.dueSoon as Row[]).find((i) => i.task === '9')).toMatchObject({ daysLeft: 3, due: '2021-12-31', progress: 'in-progress' });
      const sum = (key: string) => units.reduce((n, u) => n + (u[key] as Row[]).length, 0);
      expect(response.body.totals).toEqual({ dueSoon: sum('dueSoon'), behind: sum('behind'), overdue: sum('overdue') });
    });

    it('within=2: the 2021年底前 tasks are not yet due soon; ongoing tasks not reported are behind', async () => {
      const response = await get('/api/ledgers/gd-2021/deadlines', tokens.gz, { unit: 'gz-grid', within: 2 }).expect(200);
      expect(response.body).toMatchObject({ within: 2, total: 1 });
      const [gz] = response.body.units as Row[];
      expect(items(gz, 'dueSoon')).toEqual([]);
      expect(items(gz, 'behind')).toEqual(expect.arrayContaining(['10', '14']));
      expect(items(gz, 'behind')).not.toContain('9');
      expect(items(gz, 'behind')).not.toContain('13');
    });

    it('filters by list and task; pages over units; asOf before the blocked report', async () => {
      const overdue = await get('/api/ledgers/gd-2021/deadlines', tokens.auditor, { list: 'overdue', task: '7' }).expect(200);
      expect((overdue.body.units as Row[]).map((u) => [u.unit, items(u, 'overdue'), items(u, 'dueSoon'), items(u, 'behind')])).toEqual([
        ['fs-grid', ['7'], [], []],
        ['gd-grid', ['7'], [], []],
        ['gz-grid', ['7'], [], []],
        ['sz-grid', ['7'], [], []],
      ]);
      const page = await get('/api/ledgers/gd-2021/deadlines', tokens.auditor, { offset: 1, limit: 2 }).expect(200);
      expect(page.body).toMatchObject({ total: 5, offset: 1, limit: 2 });
      expect((page.body.units as Row[]).map((u) => u.unit)).toEqual(['gd-energy', 'gd-grid']);
      const before = await get('/api/ledgers/gd-2021/deadlines', tokens.gz, { unit: 'gz-grid', asOf: positions.beforeBlocked }).expect(200);
      expect(items((before.body.units as Row[])[0], 'behind')).toEqual([]);
    });

    it('roles and bad parameters', async () => {
      await get('/api/ledgers/gd-2021/deadlines', tokens.gz).expect(403);
      await get('/api/ledgers/gd-2021/deadlines', tokens.gz, { unit: 'fs-grid' }).expect(403);
      const cases: [Record<string, string>, number, string][] = [
        [{ within: '-1' }, 400, 'within'],
        [{ within: '367' }, 400, 'within'],
        [{ within: 'soon' }, 400, 'within'],
        [{ list: 'late' }, 400, 'list'],
        [{ task: '999' }, 404, 'task'],
        [{ unit: 'nobody' }, 404, 'unit'],
      ];
      for (const [query, status, field] of cases) {
        const response = await get('/api/ledgers/gd-2021/deadlines', tokens.regulator, query);
        expect({ query, status: response.status, field: response.body.problems?.[0]?.field }).toEqual({ query, status, field });
      }
    });
  });

  describe('GET /api/ledgers/{id}/ocop/…', () => {
    const LEDGER = 'camau-2022';
    const template = parse(readFileSync(join(ROOT, 'templates/programmes/camau-ocop-2022.yaml'), 'utf8')) as ProgrammeTemplate;
    const season = camauOcopSeason({ ledgerId: LEDGER, idScope: 'read-http', districtUnit: (d, all) => `cm-d${all.indexOf(d) + 1}`, roleUnit: (id) => `cm-${id}` });
    const ndjson = (lines: Row[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const ocop = (path: string, as: string, query: Record<string, string | number> = {}) => get(`/api/ledgers/${LEDGER}/ocop/${path}`, as, query);

    beforeAll(async () => {
      const commands = app.get(CommandBus);
      clock.set('2022-02-01T03:00:00Z');
      await commands.execute(new RegisterProgrammeCommand(readFileSync(join(ROOT, 'templates/programmes/camau-ocop-2022.yaml'), 'utf8'), 'camau-ocop-2022.yaml', systemContext('test')));
      const csv = [
        'id,name,role,parent',
        ...template.roles.map((r) => `cm-${r.id},"${r.name}",${r.id},`),
        ...season.districts.map((d, i) => `cm-d${i + 1},"${d}",ubnd-cap-huyen,cm-ubnd-cap-huyen`),
      ].join('\n');
      await commands.execute(new OpenLedgerCommand(LEDGER, 'camau-ocop-2022', 'Tỉnh Cà Mau', csv, 'units.csv', systemContext('test')));
      clock.set('2022-04-30T03:00:00Z');
      positions.registrations = (await commands.execute(new BulkSubmitCommand(ndjson(season.registrations), 'registrations.ndjson', systemContext('test')))).position;
      clock.set('2022-06-30T03:00:00Z');
      positions.june = (await commands.execute(new BulkSubmitCommand(ndjson(season.june), 'june.ndjson', systemContext('test')))).position;
      tokens.cmRegulator = await token('cm-ubnd-tinh', 'regulator');
      tokens.d1 = await token('cm-d1', 'submitter');
    });

    it('counts: by status and district, what changed in the period; asOf before the June round', async () => {
      const all = await ocop('counts', tokens.cmRegulator).expect(200);
      expect(all.body.counts).toMatchObject({ products: 76, byStatus: { registered: 24, assessed: 30, certified: 22 } });
      expect(all.body.total).toBe(all.body.counts.byDistrict.length);
      const year = await ocop('counts', tokens.cmRegulator, { period: '2022' }).expect(200);
      expect(year.body).toMatchObject({ period: '2022', changes: { registered: { new: 54, upgrade: 22 }, assessed: 40 } });
      const page = await ocop('counts', tokens.cmRegulator, { limit: 2, offset: 1 }).expect(200);
      expect(page.body.counts.byDistrict).toEqual(all.body.counts.byDistrict.slice(1, 3));
      const before = await ocop('counts', tokens.cmRegulator, { asOf: positions.registrations }).expect(200);
      expect(before.body.counts.byStatus).toMatchObject({ registered: 54, assessed: 0, certified: 22 });
    });

    it('products: the registry, filtered by status, district and unit; a submitter lists its own', async () => {
      const all = await ocop('products', tokens.cmRegulator, { limit: 10 }).expect(200);
      expect(all.body).toMatchObject({ total: 76, offset: 0, limit: 10 });
      expect(all.body.products).toHaveLength(10);
      const certified = await ocop('products', tokens.cmRegulator, { status: 'certified' }).expect(200);
      expect(certified.body.total).toBe(22);
      expect((certified.body.products as Row[]).every((p) => p.status === 'certified' && p.stars === 3)).toBe(true);
      const district = season.districts[0];
      const inDistrict = await ocop('products', tokens.cmRegulator, { district }).expect(200);
      const own = await ocop('products', tokens.d1, { unit: 'cm-d1' }).expect(200);
      expect(own.body.total).toBe(inDistrict.body.total);
      expect((own.body.products as Row[]).every((p) => p.unitId === 'cm-d1' && p.district === district)).toBe(true);
      await ocop('products', tokens.d1).expect(403);
      await ocop('products', tokens.d1, { unit: 'cm-d2' }).expect(403);
      expect((await ocop('products', tokens.cmRegulator, { status: 'famous' }).expect(400)).body.problems[0].field).toBe('status');
    });

    it('goals and district targets for a period, paged; whole-ledger figures are not for submitters', async () => {
      const goals = await ocop('goals', tokens.cmRegulator, { period: '2022' }).expect(200);
      expect(goals.body).toMatchObject({ period: '2022', total: 6 });
      expect((goals.body.goals as Row[]).find((g) => g.id === 'new-products')).toMatchObject({ verdict: 'met', figures: [expect.objectContaining({ value: 54 })] });
      const two = await ocop('goals', tokens.cmRegulator, { period: '2022', limit: 2 }).expect(200);
      expect(two.body.goals).toEqual(goals.body.goals.slice(0, 2));
      const targets = await ocop('district-targets', tokens.cmRegulator, { period: '2022' }).expect(200);
      expect((targets.body.targets.rows as Row[]).map((r) => r.district)).toEqual(season.districts);
      expect(targets.body.total).toBe(season.districts.length);
      const paged = await ocop('district-targets', tokens.cmRegulator, { period: '2022', offset: 2, limit: 3 }).expect(200);
      expect((paged.body.targets.rows as Row[]).map((r) => r.district)).toEqual(season.districts.slice(2, 5));
      for (const path of ['counts', 'goals', 'district-targets']) await ocop(path, tokens.d1, { period: '2022', unit: 'cm-d1' }).expect(403);
      expect((await ocop('goals', tokens.cmRegulator).expect(400)).body.problems[0].field).toBe('period');
      expect((await ocop('district-targets', tokens.cmRegulator, { period: '2022-H3' }).expect(400)).body.problems[0].field).toBe('period');
      expect((await get('/api/ledgers/nope/ocop/counts', tokens.cmRegulator).expect(404)).body.problems[0].field).toBe('ledger');
    });
  });

  it('every route is in the OpenAPI description', async () => {
    const doc = await http.get('/api/docs/json').expect(200);
    for (const path of ['metrics', 'indicators', 'deadlines', 'ocop/counts', 'ocop/products', 'ocop/goals', 'ocop/district-targets']) {
      const route = doc.body.paths[`/api/ledgers/{ledgerId}/${path}`]?.get;
      expect({ path, documented: Boolean(route?.responses?.['200']?.description && route?.security) }).toEqual({ path, documented: true });
    }
  });
});
