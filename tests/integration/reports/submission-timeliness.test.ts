/**
 * The submission-timeliness report through GenerateReportQuery, on the embedded store: small ledgers
 * built through the real commands with a fixed clock (NEA in Chinese, An Giang in Vietnamese), the
 * xlsx opened back with exceljs and the PDF read with pdftotext. Every figure asserted is counted by
 * hand from the submissions below.
 *
 * Set REPORT_PNG_DIR to keep page 1 of each PDF as a PNG there (for looking at it).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import type ExcelJS from 'exceljs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../../src/app.module';
import type { AsOf } from '../../../src/audit/as-of';
import { loadConfig } from '../../../src/config';
import { FixedClock } from '../../../src/event-sourcing/clock';
import { systemContext } from '../../../src/event-sourcing/request-context';
import { OpenLedgerCommand, RetireUnitCommand } from '../../../src/ledgers/open-ledger/open-ledger.command';
import { SubmitRecordCommand } from '../../../src/ledgers/submit/submit-record.command';
import { RegisterProgrammeCommand } from '../../../src/programmes/register-programme/register-programme.command';
import { GenerateReportQuery, type GeneratedReport } from '../../../src/reports/generate/generate-report.query';
import { findCell, pageOnePng, pdfStreams, pdfText, readXlsx, requirePoppler, squeeze } from './helpers';

const ROOT = join(__dirname, '../../..');
const CONTEXT = systemContext('test');
const YELLOW = 'FFFFE699';
const RED = 'FFFF8080';

const NEA_UNITS = [
  'id,name,role,parent',
  'gd-energy,广东省能源局,energy-authority,',
  'gd-grid,广东电网有限责任公司,supply-company,',
  'gd-old,韶关供电局有限公司,supply-company,',
  'sz-grid,深圳供电局有限公司,supply-company,',
  'gd-approval,广东省电力接入工程审批部门,connection-approval-department,',
].join('\n');

const AG_UNITS = [
  'id,name,role,parent',
  'ag-snn,Sở Nông nghiệp và Phát triển nông thôn,agriculture-rural-dept,',
  'ag-vpdp,Văn phòng Điều phối xây dựng nông thôn mới tỉnh,ntm-coordination-office,',
].join('\n');

const fill = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
const utc = (date: string) => new Date(`${date}T00:00:00Z`);

describe('submission-timeliness report, generated from the ledger', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-timeliness-'));
  const clock = new FixedClock(new Date('2021-01-10T02:00:00Z'));
  const pngDir = process.env.REPORT_PNG_DIR;
  let app: INestApplicationContext;
  let commands: CommandBus;
  /** The log position of sz-grid's figure recorded at 23:30 on the due day (Asia/Shanghai). */
  let beforeLateFigure: number;

  const submit = async (at: string, ledger: string, unit: string, record: Record<string, unknown>) => {
    clock.set(at);
    return commands.execute(new SubmitRecordCommand({ ledger, unit, ...record }, CONTEXT)) as Promise<{ eventId: string; position: number }>;
  };
  const generate = (ledger: string, period: string, format: string, asOf: AsOf): Promise<GeneratedReport> =>
    app.get(QueryBus).execute(new GenerateReportQuery(ledger, 'submission-timeliness', period, format, asOf));
  const register = async (file: string) => {
    const path = join(ROOT, 'templates/programmes', file);
    await commands.execute(new RegisterProgrammeCommand(readFileSync(path, 'utf8'), path, CONTEXT));
  };

  beforeAll(async () => {
    requirePoppler();
    if (pngDir) mkdirSync(pngDir, { recursive: true });
    const config = { ...loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: false }, {}), clock, reportsDir: join(directory, 'reports') };
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
    commands = app.get(CommandBus);

    // NEA 国能综通监管〔2021〕37号: H1 due 15 July, the year due 15 January of the next; years 2020–2022.
    await register('nea-2021-37.yaml');
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', NEA_UNITS, 'units.csv', CONTEXT));
    // gd-grid reports progress on 12 January 2021 about two days of 2020: 2020-H1 late, 2020 on time.
    await submit('2021-01-12T02:00:00Z', 'gd-2021', 'gd-grid', { type: 'progress', task: '3', status: 'in-progress', on: '2020-06-30' });
    await submit('2021-01-12T02:05:00Z', 'gd-2021', 'gd-grid', { type: 'progress', task: '3', status: 'completed', on: '2020-11-30' });
    // gd-energy reports on 20 January about 18 January 2021: nothing for 2020, on time for 2021-H1.
    await submit('2021-01-20T02:00:00Z', 'gd-2021', 'gd-energy', { type: 'progress', task: '2', status: 'in-progress', on: '2021-01-18' });
    clock.set('2021-03-01T02:00:00Z');
    await commands.execute(new RetireUnitCommand('gd-2021', 'gd-old', '并入广东电网有限责任公司', CONTEXT));
    const households = (value: number) => ({ type: 'metric', metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sansheng' }, value });
    // 23:30 on the due day in Asia/Shanghai: on time. 00:30 the next day: late by one day.
    beforeLateFigure = (await submit('2021-07-15T15:30:00Z', 'gd-2021', 'sz-grid', households(3561))).position;
    const late = await submit('2021-07-15T16:30:00Z', 'gd-2021', 'gd-grid', households(152340));
    // A correction later on changes the figure, not when the period was first reported.
    await submit('2021-07-18T02:00:00Z', 'gd-2021', 'gd-grid', { type: 'correction', corrects: late.eventId, reason: '核对后更正', value: 152341 });

    // An Giang OCOP 2022 (Vietnamese): quarterly reports due 10 days after the quarter.
    clock.set('2022-03-01T02:00:00Z');
    await register('angiang-ocop-2022.yaml');
    await commands.execute(new OpenLedgerCommand('ag-2022', 'angiang-ocop-2022', 'Tỉnh An Giang', AG_UNITS, 'units.csv', CONTEXT));
    await submit('2022-03-20T02:00:00Z', 'ag-2022', 'ag-snn', { type: 'progress', task: '1.1', status: 'in-progress', on: '2022-03-20' });
    clock.set('2022-04-15T00:00:00Z');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('NEA ledger in Chinese, 2021-H1 as of 20 July 2021', () => {
    const asOf: AsOf = { kind: 'time', at: '2021-07-20T00:00:00.000Z' };
    let xlsx: GeneratedReport;
    let pdf: GeneratedReport;
    let wb: ExcelJS.Workbook;

    beforeAll(async () => {
      xlsx = await generate('gd-2021', '2021-H1', 'xlsx', asOf);
      pdf = await generate('gd-2021', '2021-H1', 'pdf', asOf);
      wb = await readXlsx(xlsx.bytes);
      if (pngDir) pageOnePng(pdf.bytes, pngDir, 'submission-timeliness-zh');
    });

    it('summary sheet: one row per owed period up to 2021-H1, counted by hand, and the totals', () => {
      expect(wb.worksheets.map((w) => w.name)).toEqual(['按报告期汇总', '各单位报送明细']);
      const ws = wb.worksheets[0];
      const head = Number(findCell(ws, '报告期')!.row);
      // exceljs reads a merged range's master value into every cell of it.
      expect(ws.getRow(head).values).toEqual([undefined, '报告期', '报送时限', '应报单位数', '已报送', '已报送', '已报送', '未报送', '未报送', '报送率（%）', '及时率（%）']);
      expect(ws.getRow(head + 1).values).toEqual([undefined, '报告期', '报送时限', '应报单位数', '小计', '按时报送', '逾期报送', '已逾期', '未到期', '报送率（%）', '及时率（%）']);
      expect((ws.model as unknown as { merges: string[] }).merges).toEqual(expect.arrayContaining([`A${head}:A${head + 1}`, `D${head}:F${head}`, `G${head}:H${head}`]));
      expect(fill(ws.getCell(`F${head + 1}`))).toBe(YELLOW);
      const rows = [head + 2, head + 3, head + 4].map((r) => ws.getRow(r).values as unknown[]);
      // period, due, expected, reported, on time, late, missing, pending, reporting %, timeliness %
      expect(rows[0]).toEqual([undefined, '2020年上半年', utc('2020-07-15'), 4, 1, 0, 1, 3, 0, 25, 0]);
      expect(rows[1]).toEqual([undefined, '2020年', utc('2021-01-15'), 4, 1, 1, 0, 3, 0, 25, 25]);
      expect(rows[2].slice(0, 10)).toEqual([undefined, '2021年上半年', utc('2021-07-15'), 3, 3, 2, 1, 0, 0, 100]);
      expect(rows[2][10]).toBeCloseTo(200 / 3, 10);
      expect(ws.getCell(`J${head + 4}`).numFmt).toBe('0.0');
      expect(ws.getCell(`B${head + 2}`).numFmt).toBe('yyyy-mm-dd');
      expect(ws.getRow(head + 5).values).toEqual([undefined, '合计', undefined, 11, 5, 3, 2, 6, 0]);
    });

    it('detail sheet: each expected unit per period, first submission, status, days late, coloured', () => {
      const ws = wb.worksheets[1];
      const head = Number(findCell(ws, '报送单位')!.row);
      const body: unknown[][] = [];
      for (let r = head + 1; ws.getCell(`C${r}`).value; r++) body.push([ws.getCell(`C${r}`).value, ws.getCell(`D${r}`).value, ws.getCell(`E${r}`).value, ws.getCell(`F${r}`).value, fill(ws.getCell(`E${r}`))]);
      // Role order (supply companies, then the energy authority), then unit id; gd-old retired on 1 March 2021
      // is expected for 2020 but not for 2021-H1; the approval department has no task and is never expected.
      expect(body).toEqual([
        ['广东电网有限责任公司', utc('2021-01-12'), '逾期报送', 181, YELLOW],
        ['韶关供电局有限公司', null, '未报送（已逾期）', 370, RED],
        ['深圳供电局有限公司', null, '未报送（已逾期）', 370, RED],
        ['广东省能源局', null, '未报送（已逾期）', 370, RED],
        ['广东电网有限责任公司', utc('2021-01-12'), '按时报送', null, undefined],
        ['韶关供电局有限公司', null, '未报送（已逾期）', 186, RED],
        ['深圳供电局有限公司', null, '未报送（已逾期）', 186, RED],
        ['广东省能源局', null, '未报送（已逾期）', 186, RED],
        ['广东电网有限责任公司', utc('2021-07-16'), '逾期报送', 1, YELLOW],
        ['深圳供电局有限公司', utc('2021-07-15'), '按时报送', null, undefined],
        ['广东省能源局', utc('2021-01-20'), '按时报送', null, undefined],
      ]);
      expect(fill(ws.getCell(`A${head + 1}`))).toBeUndefined();
      // A period and its due date merged over its units' rows.
      const merges = (ws.model as unknown as { merges: string[] }).merges;
      expect(merges).toEqual(expect.arrayContaining([`A${head + 1}:A${head + 4}`, `B${head + 1}:B${head + 4}`, `A${head + 9}:A${head + 11}`]));
    });

    it('pdf: Chinese labels, periods, rates and units, the footer pinned to the log', () => {
      const flat = squeeze(pdfText(pdf.bytes));
      for (const s of ['报送完整性及及时性统计表', '广东省', '（报告期：2021年上半年截至2021年7月20日）', '一、按报告期汇总', '二、各单位报送明细', '应报单位数',
        '报送率（%）', '及时率（%）', '2020年上半年', '2021年上半年', '25.0', '66.7', '100.0', '广东电网有限责任公司', '深圳供电局有限公司', '韶关供电局有限公司',
        '逾期报送', '按时报送', '未报送（已逾期）', '2021-07-16', '合计', '填报单位盖章处', '第1页共', `核验标识：compliance-ledgerreportgd-2021/submission-timeliness/2021-H1asof${pdf.asOf}atlogposition${pdf.position}sha256:${pdf.logDigest}`]) {
        expect(flat).toContain(s);
      }
      expect(flat).not.toContain('广东省电力接入工程审批部门');
      expect(pdfStreams(pdf.bytes)).toContain('1 0.5019607843137255 0.5019607843137255 scn');
    });

    it('regenerates byte for byte as of the same moment', async () => {
      for (const first of [xlsx, pdf]) {
        const again = await generate('gd-2021', '2021-H1', first.format, asOf);
        expect(again.digest).toBe(first.digest);
        expect(again.bytes.equals(first.bytes)).toBe(true);
      }
    });

    it('as of a past position: the late figure not yet in, the due day not yet over — pending', async () => {
      const past = await generate('gd-2021', '2021-H1', 'xlsx', { kind: 'position', position: beforeLateFigure });
      expect(past.asOf).toBe('2021-07-15T15:30:00.000Z');
      const ws = (await readXlsx(past.bytes)).worksheets[0];
      const head = Number(findCell(ws, '报告期')!.row);
      expect((ws.getRow(head + 4).values as unknown[]).slice(1, 9)).toEqual(['2021年上半年', utc('2021-07-15'), 3, 2, 2, 0, 0, 1]);
      const detail = (await readXlsx(past.bytes)).worksheets[1];
      const gdGrid = findCell(detail, '广东电网有限责任公司')!;
      const r = Number(gdGrid.row) + 8;
      expect([detail.getCell(`C${r}`).value, detail.getCell(`E${r}`).value, detail.getCell(`F${r}`).value, fill(detail.getCell(`E${r}`))])
        .toEqual(['广东电网有限责任公司', '未报送（未到期）', null, undefined]);
      // Missing days counted to the as-of date (15 July 2021).
      expect(detail.getCell(`F${Number(gdGrid.row) + 1}`).value).toBe(365);
      expect(past.digest).not.toBe(xlsx.digest);
    });
  });

  describe('An Giang ledger in Vietnamese, 2022-Q1 as of 15 April 2022', () => {
    let pdf: GeneratedReport;
    let wb: ExcelJS.Workbook;

    beforeAll(async () => {
      const asOf: AsOf = { kind: 'now' };
      [pdf] = [await generate('ag-2022', '2022-Q1', 'pdf', asOf)];
      wb = await readXlsx((await generate('ag-2022', '2022-Q1', 'xlsx', asOf)).bytes);
      if (pngDir) pageOnePng(pdf.bytes, pngDir, 'submission-timeliness-vi');
    });

    it('xlsx: Vietnamese sheets, one quarter, one unit on time and one missing', () => {
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp theo kỳ', 'Chi tiết theo đơn vị']);
      const ws = wb.worksheets[0];
      const head = Number(findCell(ws, 'Kỳ báo cáo')!.row);
      expect(ws.getRow(head + 2).values).toEqual([undefined, 'Quý I năm 2022', utc('2022-04-10'), 2, 1, 1, 0, 1, 0, 50, 50]);
      expect(ws.getCell(`B${head + 2}`).numFmt).toBe('dd/mm/yyyy');
      const detail = wb.worksheets[1];
      const snn = findCell(detail, 'Sở Nông nghiệp và Phát triển nông thôn')!;
      const r = Number(snn.row);
      expect([detail.getCell(`D${r}`).value, detail.getCell(`E${r}`).value]).toEqual([utc('2022-03-20'), 'Đúng hạn']);
      expect([detail.getCell(`C${r + 1}`).value, detail.getCell(`E${r + 1}`).value, detail.getCell(`F${r + 1}`).value, fill(detail.getCell(`E${r + 1}`))])
        .toEqual(['Văn phòng Điều phối xây dựng nông thôn mới tỉnh', 'Chưa báo cáo (quá hạn)', 5, RED]);
    });

    it('pdf: Vietnamese labels, composed, with the numbers', () => {
      const text = pdfText(pdf.bytes);
      const flat = squeeze(text);
      for (const s of ['BÁOCÁOTÌNHHÌNHGỬIBÁOCÁOĐỊNHKỲCỦACÁCĐƠNVỊ', 'TỉnhAnGiang', '(Kỳbáocáo:QuýInăm2022-Tínhđếnngày15/04/2022)', 'Tỷlệbáocáo',
        'Tỷlệđúnghạn', 'Sốđơnvịphải', 'Đúnghạn', 'Chưabáocáo(quáhạn)', '10/04/2022', '20/03/2022', '50.0', 'Tổngcộng', 'THỦTRƯỞNGĐƠNVỊ', '(Kýtên,đóngdấu)', 'Trang1/']) {
        expect(flat).toContain(s);
      }
      expect(text).not.toContain('Nông nghiệp'.normalize('NFD'));
    });
  });
});
