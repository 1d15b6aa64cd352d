import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/event-sourcing/clock';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { LedgerDirectory } from '../../src/ledgers/ledger-directory';
import { PeriodLocks } from '../../src/ledgers/period-locks';
import { HistoryQuery, type HistoryEntry } from '../../src/ledgers/queries/history.query';
import { SubmitRecordCommand } from '../../src/ledgers/submit/submit-record.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { GenerateReportQuery, type GeneratedReport } from '../../src/reports/generate/generate-report.query';
import { ReportScheduler } from '../../src/reports/schedule/report-scheduler';
import { cli } from '../support/cli-in-process';
import { collect } from '../support/streams';

const UNITS = 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,\n';

describe('reports on the calendar: generated when due, recorded, reproducible; periods lock', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-schedule-'));
  const clock = new FixedClock(new Date('2021-06-01T02:00:00Z'));
  let app: INestApplicationContext;
  let store: EventStore;
  const submit = (record: Record<string, unknown>) =>
    app.get(CommandBus).execute(new SubmitRecordCommand({ ledger: 'gd-2021', unit: 'gd-grid', ...record }, systemContext('test')));
  const metric = (value: number, period = '2021-H1') => ({ type: 'metric', period, metric: 'benefit.households', dimensions: { service: 'sansheng' }, value });
  const scheduler = () => app.get(ReportScheduler);

  beforeAll(async () => {
    const config = { ...loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: false }, {}), clock, reportsDir: join(directory, 'reports') };
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
    store = app.get<EventStore>(EVENT_STORE);
    const file = join(__dirname, '../../templates/programmes/nea-2021-37.yaml');
    await app.get(CommandBus).execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    await app.get(CommandBus).execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    clock.set('2021-07-05T02:00:00Z');
    await submit(metric(1520));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('owes nothing from before the notice (国能综通监管〔2021〕37号 of 2021-03-29), and generates nothing before a due day has ended', async () => {
    // The calendar starts at the notice: the 2020 half-year (due 2020-07-15) and year (due 2021-01-15) are owed by nobody.
    clock.set('2021-07-15T15:59:00Z'); // 23:59 on 15 July in Asia/Shanghai
    expect(await scheduler().runDue()).toEqual([]);
    expect((await collect(store.readStream('report-gd-2021'))).filter((e) => String(e.data.period).startsWith('2020'))).toEqual([]);
  });

  it('after the due day: generates every report of H1 as of the end of 15 July, keeps the files and records their digests', async () => {
    clock.set('2021-07-15T16:00:30Z');
    const generated = await scheduler().runDue();
    expect(generated.map((r) => [r.reportId, r.period, r.asOf])).toEqual(
      expect.arrayContaining([['nea-attachment-3', '2021-H1', '2021-07-15T15:59:59.999Z'], ['nea-attachment-2', '2021-H1', '2021-07-15T15:59:59.999Z'], ['task-status', '2021-H1', '2021-07-15T15:59:59.999Z']]),
    );
    const events = (await collect(store.readStream('report-gd-2021'))).filter((e) => e.type === 'ReportGenerated' && e.data.period === '2021-H1');
    expect(events.length).toBe(generated.length);
    const a3 = events.find((e) => e.data.reportId === 'nea-attachment-3')!;
    expect(a3.data).toMatchObject({ period: '2021-H1', asOf: '2021-07-15T15:59:59.999Z', due: '2021-07-15', trigger: 'schedule', logDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(a3.metadata).toMatchObject({ actor: 'system:scheduler' });
    for (const file of a3.data.files as { path: string; sha256: string }[]) {
      expect(createHash('sha256').update(readFileSync(join(directory, 'reports', file.path))).digest('hex')).toBe(file.sha256);
    }
    expect(await scheduler().runDue()).toEqual([]);
  });

  it('regenerating a recorded report as of its moment gives the same bytes, whatever came after', async () => {
    clock.set('2021-07-20T02:00:00Z');
    await expect(submit(metric(99))).rejects.toThrow(/2021-H1 is locked since .*report .* for 2021-H1 was generated/);
    const [recorded] = (await collect(store.readStream('report-gd-2021'))).filter((e) => e.data.reportId === 'nea-attachment-3' && e.data.period === '2021-H1');
    const files = recorded.data.files as { format: string; sha256: string }[];
    for (const format of ['xlsx', 'pdf']) {
      const again: GeneratedReport = await app.get(QueryBus).execute(new GenerateReportQuery('gd-2021', 'nea-attachment-3', '2021-H1', format, { kind: 'time', at: recorded.data.asOf as string }));
      expect(again.digest).toBe(files.find((f) => f.format === format)!.sha256);
      expect(again.position).toBe(recorded.data.position);
    }
  });

  it('verify --report accepts a recorded report file and refuses an altered one', async () => {
    const store = `sqlite:${join(directory, 'ledger.db')}`;
    const [recorded] = (await collect(app.get<EventStore>(EVENT_STORE).readStream('report-gd-2021'))).filter((e) => e.data.reportId === 'nea-attachment-3' && e.data.period === '2021-H1');
    const pdf = join(directory, 'reports', (recorded.data.files as { format: string; path: string }[]).find((f) => f.format === 'pdf')!.path);
    const ok = await cli(store, 'verify', '--report', pdf);
    expect(ok.err).toEqual([]);
    expect(ok.out[0]).toMatch(/nea-attachment-3 2021-H1 of gd-2021, as of 2021-07-15T15:59:59.999Z .* regenerated identically; the schedule report recorded at log position \d+$/);
    const altered = join(directory, 'altered.pdf');
    const bytes = readFileSync(pdf);
    bytes[bytes.length - 100] ^= 1;
    writeFileSync(altered, bytes);
    const refused = await cli(store, 'verify', '--report', altered);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/regenerated from its pin .* the file was changed/);
  });

  it('a locked period takes a late correction with a reason, which history shows as late', async () => {
    const [original] = (await collect(store.readStream('unit-gd-2021.gd-grid'))).filter((e) => e.type === 'MetricReported');
    await submit({ type: 'correction', corrects: original.id, reason: '核查后更正', value: 1500 });
    const page = await app.get(QueryBus).execute(new HistoryQuery('gd-2021', { unit: 'gd-grid' }));
    const correction = page.entries.find((e: HistoryEntry) => e.type === 'SubmissionCorrected')!;
    expect(correction.data.late).toEqual({ since: expect.any(String), why: expect.stringMatching(/generated/) });
    expect(correction.replaced?.data.value).toBe(1520);
    // Later reports of the period carry the restatement as a footnote; the recorded one is unchanged.
    const later: GeneratedReport = await app.get(QueryBus).execute(new GenerateReportQuery('gd-2021', 'nea-attachment-3', '2021-H1', 'xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(later.bytes as unknown as ArrayBuffer);
    const texts = workbook.worksheets[0].getSheetValues().flat().map(String);
    expect(texts.find((t) => t.startsWith('注：本期数据含期间锁定后的更正 1 项'))).toMatch(/广东电网有限责任公司 受益户数（sansheng） 1520 → 1500（理由：核查后更正）/);
    expect(texts.find((t) => t === '1,500' || t === '1500')).toBeDefined();
  });

  it('after downtime, catches up every report that fell due meanwhile, oldest first', async () => {
    clock.set('2022-07-16T00:00:00Z');
    const caughtUp = await scheduler().runDue();
    expect([...new Set(caughtUp.map((r) => `${r.period}@${r.due}`))]).toEqual(['2021@2022-01-15', '2022-H1@2022-07-15']);
  });

  it('back-fills the reports that fell due before a ledger was opened, as of the first run', async () => {
    await app.get(CommandBus).execute(new OpenLedgerCommand('gd-late', 'nea-2021-37', '广东省（补建）', UNITS, 'units.csv', systemContext('test')));
    clock.set('2022-07-16T02:00:00Z');
    const backfilled = (await scheduler().runDue()).filter((r) => r.ledgerId === 'gd-late');
    expect([...new Set(backfilled.map((r) => `${r.period}@${r.due} ${r.trigger} as of ${r.asOf}`))]).toEqual([
      '2021-H1@2021-07-15 backfill as of 2022-07-16T02:00:00.000Z',
      '2021@2022-01-15 backfill as of 2022-07-16T02:00:00.000Z',
      '2022-H1@2022-07-15 backfill as of 2022-07-16T02:00:00.000Z',
    ]);
    const [a3] = (await collect(store.readStream('report-gd-late'))).filter((e) => e.data.reportId === 'nea-attachment-3');
    expect(a3.data).toMatchObject({ period: '2021-H1', trigger: 'backfill', due: '2021-07-15' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(directory, 'reports', (a3.data.files as { format: string; path: string }[]).find((f) => f.format === 'xlsx')!.path));
    const texts = workbook.worksheets[0].getSheetValues().flat().map(String);
    expect(texts).toContain('注：本期报表应于2021年7月15日报送，早于本台账建立日期（2022年7月16日）；本表为建账后补生成，数据截至2022年7月16日。');
    expect(await scheduler().runDue()).toEqual([]);
  });

  it('where the calendar says so, a period also locks some days after its due date without any report', async () => {
    const ledger = await app.get(LedgerDirectory).get('gd-2021');
    const year = ledger.programme.calendar.find((c) => c.period === 'year')!;
    const locks = app.get(PeriodLocks);
    expect(locks.lockOf(ledger, '2022', '2023-03-01T00:00:00Z')).toBeNull();
    const strict = { ...ledger, programme: { ...ledger.programme, calendar: [{ ...year, locksAfterDays: 30 }] } };
    expect(locks.lockOf(strict, '2022', '2023-02-14T15:59:59.999Z')).toBeNull();
    expect(locks.lockOf(strict, '2022', '2023-03-01T00:00:00Z')).toEqual({ since: '2023-02-14T15:59:59.999Z', why: '30 days passed after its due date', because: { key: 'phrase.lock.daysPassed', params: { days: 30 } } });
  });
});
