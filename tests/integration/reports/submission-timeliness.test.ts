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

// "各省级能源(电力)主管部门……于每年7月15日前向国家能源局报送本年度上半年情况": the reports are the provincial
// authorities' to make, so this ledger (the NEA's own view) holds several of them beside a supply company.
const NEA_UNITS = [
  'id,name,role,parent',
  'gd-energy,广东省能源局,energy-authority,',
  'gd-grid,广东电网有限责任公司,supply-company,',
  'gx-energy,广西壮族自治区能源局,energy-authority,',
  'hi-energy,海南省发展和改革委员会,energy-authority,',
  'hn-energy,湖南省能源局,energy-authority,',
  'yn-energy,云南省能源局,energy-authority,',
  'gd-approval,广东省电力接入工程审批部门,connection-approval-department,',
].join('\n');

const AG_UNITS = [
  'id,name,role,parent',
  'ag-snn,Sở Nông nghiệp và Phát triển nông thôn,agriculture-rural-dept,',
  'ag-vpdp,Văn phòng Điều phối xây dựng nông thôn mới tỉnh,ntm-coordination-office,',
  'ag-cho-moi,Ủy ban nhân dân huyện Chợ Mới,district-people-committee,',
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

    // NEA 国能综通监管〔2021〕37号 of 2021-03-29: H1 due 15 July, the year due 15 January of the next; years 2020–2022,
    // but nothing is owed before the notice: no 2020-H1 (due 2020-07-15) nor 2020 (due 2021-01-15) report.
    await register('nea-2021-37.yaml');
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', NEA_UNITS, 'units.csv', CONTEXT));
    // gd-grid (a supply company) reports progress about two days of 2020: it owes no report, so none of it counts.
    await submit('2021-01-12T02:00:00Z', 'gd-2021', 'gd-grid', { type: 'progress', task: '3', status: 'in-progress', on: '2020-06-30' });
    await submit('2021-01-12T02:05:00Z', 'gd-2021', 'gd-grid', { type: 'progress', task: '3', status: 'completed', on: '2020-11-30' });
    // gd-energy reports on 20 January about 18 January 2021: on time for 2021-H1.
    await submit('2021-01-20T02:00:00Z', 'gd-2021', 'gd-energy', { type: 'progress', task: '2', status: 'in-progress', on: '2021-01-18' });
    clock.set('2021-03-01T02:00:00Z');
    await commands.execute(new RetireUnitCommand('gd-2021', 'hi-energy', '机构调整', CONTEXT));
    const households = (value: number) => ({ type: 'metric', metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sansheng' }, value });
    // 23:30 on the due day in Asia/Shanghai: on time. 00:30 the next day: late by one day. hn-energy never reports.
    beforeLateFigure = (await submit('2021-07-15T15:30:00Z', 'gd-2021', 'gx-energy', households(3561))).position;
    const late = await submit('2021-07-15T16:30:00Z', 'gd-2021', 'yn-energy', households(152340));
    // A correction later on changes the figure, not when the period was first reported.
    await submit('2021-07-18T02:00:00Z', 'gd-2021', 'yn-energy', { type: 'correction', corrects: late.eventId, reason: '核对后更正', value: 152341 });

    // An Giang OCOP 2022 (Vietnamese), a plan of June 2022: quarterly reports due 10 days after the quarter (an
    // assumption its text states), from Q2 on; owed by "Các sở, ngành tỉnh có liên quan và các địa phương", sent to
    // the Văn phòng Điều phối, which owes none.
    clock.set('2022-06-01T02:00:00Z');
    await register('angiang-ocop-2022.yaml');
    await commands.execute(new OpenLedgerCommand('ag-2022', 'angiang-ocop-2022', 'Tỉnh An Giang', AG_UNITS, 'units.csv', CONTEXT));
    await submit('2022-06-20T02:00:00Z', 'ag-2022', 'ag-snn', { type: 'progress', task: '1.1', status: 'in-progress', on: '2022-06-20' });
    clock.set('2022-07-15T00:00:00Z');
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

    it('summary sheet: one row per owed period up to 2021-H1 (none before the notice), counted by hand, and the totals', () => {
      expect(wb.worksheets.map((w) => w.name)).toEqual(['按报告期汇总', '各单位报送明细']);
      const ws = wb.worksheets[0];
      const head = Number(findCell(ws, '报告期')!.row);
      // exceljs reads a merged range's master value into every cell of it.
      expect(ws.getRow(head).values).toEqual([undefined, '报告期', '报送时限', '应报单位数', '已报送', '已报送', '已报送', '未报送', '未报送', '报送率（%）', '及时率（%）']);
      expect(ws.getRow(head + 1).values).toEqual([undefined, '报告期', '报送时限', '应报单位数', '小计', '按时报送', '逾期报送', '已逾期', '未到期', '报送率（%）', '及时率（%）']);
      expect((ws.model as unknown as { merges: string[] }).merges).toEqual(expect.arrayContaining([`A${head}:A${head + 1}`, `D${head}:F${head}`, `G${head}:H${head}`]));
      expect(fill(ws.getCell(`F${head + 1}`))).toBe(YELLOW);
      // period, due, expected, reported, on time, late, missing, pending, reporting %, timeliness %: the four
      // provincial authorities still in office (hi-energy retired on 1 March); the supply company owes nothing.
      expect(ws.getRow(head + 2).values).toEqual([undefined, '2021年上半年', utc('2021-07-15'), 4, 3, 2, 1, 1, 0, 75, 50]);
      expect(ws.getCell(`J${head + 2}`).numFmt).toBe('0.0');
      expect(ws.getCell(`B${head + 2}`).numFmt).toBe('yyyy-mm-dd');
      expect(ws.getRow(head + 3).values).toEqual([undefined, '合计', undefined, 4, 3, 2, 1, 1, 0]);
    });

    it('detail sheet: each expected unit per period, first submission, status, days late, coloured', () => {
      const ws = wb.worksheets[1];
      const head = Number(findCell(ws, '报送单位')!.row);
      const body: unknown[][] = [];
      for (let r = head + 1; ws.getCell(`C${r}`).value; r++) body.push([ws.getCell(`C${r}`).value, ws.getCell(`D${r}`).value, ws.getCell(`E${r}`).value, ws.getCell(`F${r}`).value, fill(ws.getCell(`E${r}`))]);
      // Only the provincial authorities, by unit id; hi-energy retired on 1 March 2021 is not expected for
      // 2021-H1; the supply company and the approval department owe no report.
      expect(body).toEqual([
        ['广东省能源局', utc('2021-01-20'), '按时报送', null, undefined],
        ['广西壮族自治区能源局', utc('2021-07-15'), '按时报送', null, undefined],
        ['湖南省能源局', null, '未报送（已逾期）', 5, RED],
        ['云南省能源局', utc('2021-07-16'), '逾期报送', 1, YELLOW],
      ]);
      expect(fill(ws.getCell(`A${head + 1}`))).toBeUndefined();
      // A period and its due date merged over its units' rows.
      const merges = (ws.model as unknown as { merges: string[] }).merges;
      expect(merges).toEqual(expect.arrayContaining([`A${head + 1}:A${head + 4}`, `B${head + 1}:B${head + 4}`]));
    });

    it('pdf: Chinese labels, periods, rates and units, the footer pinned to the log', () => {
      const flat = squeeze(pdfText(pdf.bytes));
      for (const s of ['报送完整性及及时性统计表', '广东省', '（报告期：2021年上半年截至2021年7月20日）', '一、按报告期汇总', '二、各单位报送明细', '应报单位数',
        '报送率（%）', '及时率（%）', '2021年上半年', '75.0', '50.0', '广东省能源局', '广西壮族自治区能源局', '湖南省能源局', '云南省能源局',
        '逾期报送', '按时报送', '未报送（已逾期）', '2021-07-16', '合计', '填报单位盖章处', '第1页共', `核验标识：compliance-ledgerreportgd-2021/submission-timeliness/2021-H1asof${pdf.asOf}sha256:${pdf.logDigest}tree${pdf.checkpoint!.size}${pdf.checkpoint!.root}`]) {
        expect(flat).toContain(s);
      }
      for (const absent of ['广东省电力接入工程审批部门', '广东电网有限责任公司', '海南省发展和改革委员会', '2020年上半年']) expect(flat).not.toContain(absent);
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
      expect((ws.getRow(head + 2).values as unknown[]).slice(1, 9)).toEqual(['2021年上半年', utc('2021-07-15'), 4, 2, 2, 0, 0, 2]);
      const detail = (await readXlsx(past.bytes)).worksheets[1];
      const r = Number(findCell(detail, '云南省能源局')!.row);
      expect([detail.getCell(`C${r}`).value, detail.getCell(`E${r}`).value, detail.getCell(`F${r}`).value, fill(detail.getCell(`E${r}`))])
        .toEqual(['云南省能源局', '未报送（未到期）', null, undefined]);
      expect(past.digest).not.toBe(xlsx.digest);
    });
  });

  describe('An Giang ledger in Vietnamese, 2022-Q2 as of 15 July 2022', () => {
    let pdf: GeneratedReport;
    let wb: ExcelJS.Workbook;

    beforeAll(async () => {
      const asOf: AsOf = { kind: 'now' };
      [pdf] = [await generate('ag-2022', '2022-Q2', 'pdf', asOf)];
      wb = await readXlsx((await generate('ag-2022', '2022-Q2', 'xlsx', asOf)).bytes);
      if (pngDir) pageOnePng(pdf.bytes, pngDir, 'submission-timeliness-vi');
    });

    it('xlsx: Vietnamese sheets, one quarter (Q1 ended before the plan), one unit on time and one missing; the Văn phòng owes none', () => {
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp theo kỳ', 'Chi tiết theo đơn vị']);
      const ws = wb.worksheets[0];
      const head = Number(findCell(ws, 'Kỳ báo cáo')!.row);
      expect(ws.getRow(head + 2).values).toEqual([undefined, 'Quý II năm 2022', utc('2022-07-10'), 2, 1, 1, 0, 1, 0, 50, 50]);
      expect(ws.getCell(`B${head + 2}`).numFmt).toBe('dd/mm/yyyy');
      const detail = wb.worksheets[1];
      const snn = findCell(detail, 'Sở Nông nghiệp và Phát triển nông thôn')!;
      const r = Number(snn.row);
      expect([detail.getCell(`D${r}`).value, detail.getCell(`E${r}`).value]).toEqual([utc('2022-06-20'), 'Đúng hạn']);
      expect([detail.getCell(`C${r + 1}`).value, detail.getCell(`E${r + 1}`).value, detail.getCell(`F${r + 1}`).value, fill(detail.getCell(`E${r + 1}`))])
        .toEqual(['Ủy ban nhân dân huyện Chợ Mới', 'Chưa báo cáo (quá hạn)', 5, RED]);
      expect(findCell(detail, 'Văn phòng Điều phối xây dựng nông thôn mới tỉnh')).toBeUndefined();
    });

    it('pdf: Vietnamese labels, composed, with the numbers', () => {
      const text = pdfText(pdf.bytes);
      const flat = squeeze(text);
      for (const s of ['BÁOCÁOTÌNHHÌNHGỬIBÁOCÁOĐỊNHKỲCỦACÁCĐƠNVỊ', 'TỉnhAnGiang', '(Kỳbáocáo:QuýIInăm2022-Tínhđếnngày15/07/2022)', 'Tỷlệbáocáo',
        'Tỷlệđúnghạn', 'Sốđơnvịphải', 'Đúnghạn', 'Chưabáocáo(quáhạn)', '10/07/2022', '20/06/2022', '50.0', 'Tổngcộng', 'THỦTRƯỞNGĐƠNVỊ', '(Kýtên,đóngdấu)', 'Trang1/']) {
        expect(flat).toContain(s);
      }
      expect(text).not.toContain('Nông nghiệp'.normalize('NFD'));
    });
  });
});
