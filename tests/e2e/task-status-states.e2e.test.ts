/**
 * The task-status report against hand-computed fixtures for each of the five programmes, on a real store: each (task, unit) in the
 * state PRODUCT.md names at the end of the period (or now, if the period has not ended), with the
 * latest progress, note and evidence; every unit's state columns add up to its total; a half-year and
 * the year give different content, each named in the title.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/event-sourcing/clock';
import { systemContext } from '../../src/event-sourcing/request-context';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { SubmitRecordCommand } from '../../src/ledgers/submit/submit-record.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { GenerateReportQuery, type GeneratedReport } from '../../src/reports/generate/generate-report.query';

interface Fixture {
  programme: string;
  ledger: string;
  units: string;
  opened: string;
  submitted: string;
  progress: { unit: string; task: string; status: string; on: string; note?: string; evidence?: string[] }[];
  asOf: string;
  /** Per period: the title line, and [task, unit name] → [state, latest progress, note and evidence] as worked out by hand. */
  expected: Record<string, { title: string; rows: Record<string, [string, string, string]> }>;
}

const FIXTURES: Fixture[] = [
  {
    programme: 'nea-2021-37',
    ledger: 'gd-2021',
    units: 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,\n',
    opened: '2020-06-01T02:00:00Z',
    submitted: '2021-05-20T02:00:00Z',
    progress: [
      { unit: 'gd-energy', task: '2', status: 'completed', on: '2020-12-20' },
      { unit: 'gd-grid', task: '4', status: 'completed', on: '2021-02-10' },
      { unit: 'gd-energy', task: '4', status: 'blocked', on: '2020-11-01', note: '等待省政府审批' },
      { unit: 'gd-grid', task: '5', status: 'in-progress', on: '2021-03-01' },
      { unit: 'gd-grid', task: '13', status: 'blocked', on: '2021-05-10', note: '配套资金未到位', evidence: ['粤电〔2021〕5号'] },
      { unit: 'gd-grid', task: '52', status: 'completed', on: '2021-04-20' },
    ],
    asOf: '2022-01-20T02:00:00Z',
    expected: {
      '2021-H1': {
        title: '（报告期：2021年上半年　状态截至2021年6月30日，依据截至2022年1月20日记录的数据）',
        rows: {
          '2 广东省能源局': ['按期完成', '已完成', ''],
          '4 广东电网有限责任公司': ['逾期完成', '已完成', ''],
          '4 广东省能源局': ['已逾期', '受阻', '等待省政府审批'],
          '5 广东电网有限责任公司': ['进行中', '进行中', ''],
          '5 广东省能源局': ['未启动', '', ''],
          '13 广东电网有限责任公司': ['本期已报送', '受阻', '配套资金未到位（佐证材料：粤电〔2021〕5号）'],
          '52 广东电网有限责任公司': ['按期完成', '已完成', ''],
        },
      },
      '2021': {
        title: '（报告期：2021年　状态截至2021年12月31日，依据截至2022年1月20日记录的数据）',
        rows: {
          '4 广东省能源局': ['已逾期', '受阻', '等待省政府审批'],
          '5 广东电网有限责任公司': ['已逾期', '进行中', ''],
          '5 广东省能源局': ['已逾期', '', ''],
          '13 广东电网有限责任公司': ['本期未报送', '', ''],
        },
      },
    },
  },
  {
    programme: 'angiang-ocop-2022',
    ledger: 'ag-2022',
    units: 'id,name,role,parent\nag-snn,Sở Nông nghiệp và Phát triển nông thôn,agriculture-rural-dept,\nag-stc,Sở Tài chính,finance-dept,\n',
    opened: '2022-01-05T02:00:00Z',
    submitted: '2022-05-10T02:00:00Z',
    progress: [
      { unit: 'ag-snn', task: '1.1', status: 'in-progress', on: '2022-05-05', note: 'Đã ban hành hướng dẫn' },
      { unit: 'ag-snn', task: '1.2', status: 'blocked', on: '2022-04-20', note: 'Chờ bố trí kinh phí' },
      { unit: 'ag-stc', task: '2.2', status: 'completed', on: '2022-03-15', evidence: ['Quyết định 123/QĐ-STC'] },
    ],
    asOf: '2022-05-10T03:00:00Z',
    // An Giang's tasks carry no date of their own: each is due at the end of 2022 (the assumption its deadline
    // states), so they are one-off tasks, not "reported this quarter" ones.
    expected: {
      '2022-Q2': {
        title: '(Kỳ báo cáo: Quý II năm 2022 - tình trạng đến ngày 10/05/2022, theo số liệu ghi nhận đến ngày 10/05/2022)',
        rows: {
          '1.1 Sở Nông nghiệp và Phát triển nông thôn': ['Đang thực hiện', 'Đang thực hiện', 'Đã ban hành hướng dẫn'],
          '1.2 Sở Nông nghiệp và Phát triển nông thôn': ['Vướng mắc', 'Vướng mắc', 'Chờ bố trí kinh phí'],
          '1.3 Sở Nông nghiệp và Phát triển nông thôn': ['Chưa triển khai', '', ''],
          '2.2 Sở Tài chính': ['Hoàn thành đúng hạn', 'Đã hoàn thành', ' (minh chứng: Quyết định 123/QĐ-STC)'],
        },
      },
      '2022-Q1': {
        title: '(Kỳ báo cáo: Quý I năm 2022 - tình trạng đến ngày 31/03/2022, theo số liệu ghi nhận đến ngày 10/05/2022)',
        rows: {
          '1.1 Sở Nông nghiệp và Phát triển nông thôn': ['Chưa triển khai', '', ''],
          '2.2 Sở Tài chính': ['Hoàn thành đúng hạn', 'Đã hoàn thành', ' (minh chứng: Quyết định 123/QĐ-STC)'],
        },
      },
    },
  },
  {
    programme: 'cnipa-2021-2022',
    ledger: 'cnipa-2022',
    units: 'id,name,role,parent\nip-samr,国家市场监督管理总局,market-regulation-administration,\nip-publicity,中央宣传部,publicity-department,\n',
    opened: '2022-01-05T02:00:00Z',
    submitted: '2022-07-10T02:00:00Z',
    progress: [
      { unit: 'ip-samr', task: '1', status: 'completed', on: '2022-06-30', evidence: ['国市监知发〔2022〕1号'] },
      { unit: 'ip-publicity', task: '2', status: 'blocked', on: '2022-05-01', note: '等待经费安排' },
      { unit: 'ip-publicity', task: '12', status: 'in-progress', on: '2021-12-28', note: '已制定工作方案' },
    ],
    asOf: '2023-01-20T02:00:00Z',
    // Every task is due at the end of 2022 (the template's stated assumption: 原文未规定完成时间); the year report
    // for 2021 shows the state on 31 December 2021, the one for 2022 on 31 December 2022, when the deadline has passed.
    expected: {
      '2021': {
        title: '（报告期：2021年　状态截至2021年12月31日，依据截至2023年1月20日记录的数据）',
        rows: {
          '1 国家市场监督管理总局': ['未启动', '', ''],
          '2 中央宣传部': ['未启动', '', ''],
          '12 中央宣传部': ['进行中', '进行中', '已制定工作方案'],
        },
      },
      '2022': {
        title: '（报告期：2022年　状态截至2022年12月31日，依据截至2023年1月20日记录的数据）',
        rows: {
          '1 国家市场监督管理总局': ['按期完成', '已完成', '（佐证材料：国市监知发〔2022〕1号）'],
          '2 中央宣传部': ['已逾期', '受阻', '等待经费安排'],
          '12 中央宣传部': ['已逾期', '进行中', '已制定工作方案'],
          '9 国家市场监督管理总局': ['已逾期', '', ''],
        },
      },
    },
  },
  {
    programme: 'camau-ocop-2022',
    ledger: 'camau-2022',
    units: 'id,name,role,parent\ncm-snn,Sở Nông nghiệp và Phát triển nông thôn,so-nong-nghiep-ptnt,\n',
    opened: '2022-03-05T02:00:00Z',
    submitted: '2022-06-10T02:00:00Z',
    progress: [
      { unit: 'cm-snn', task: 'I.1', status: 'completed', on: '2022-04-05', note: 'Đã ban hành Kế hoạch' },
      { unit: 'cm-snn', task: 'I.2', status: 'in-progress', on: '2022-03-20', note: 'Đang xây dựng kế hoạch' },
      { unit: 'cm-snn', task: 'I.4', status: 'blocked', on: '2022-04-25', note: 'Chờ hướng dẫn của Trung ương' },
    ],
    asOf: '2022-06-10T03:00:00Z',
    // I.1 “Tháng 3/2022”: due 31/3, done 5/4 — overdue at the end of March, completed late by the end of April.
    // I.4 “Tháng 5/2022 (hoặc sau khi …)”: not due before May, blocked since 25/4.
    expected: {
      '2022-03': {
        title: '(Kỳ báo cáo: Tháng 03 năm 2022 - tình trạng đến ngày 31/03/2022, theo số liệu ghi nhận đến ngày 10/06/2022)',
        rows: {
          'I.1 Sở Nông nghiệp và Phát triển nông thôn': ['Quá hạn', '', ''],
          'I.2 Sở Nông nghiệp và Phát triển nông thôn': ['Đang thực hiện', 'Đang thực hiện', 'Đang xây dựng kế hoạch'],
          'I.4 Sở Nông nghiệp và Phát triển nông thôn': ['Chưa triển khai', '', ''],
        },
      },
      '2022-04': {
        title: '(Kỳ báo cáo: Tháng 04 năm 2022 - tình trạng đến ngày 30/04/2022, theo số liệu ghi nhận đến ngày 10/06/2022)',
        rows: {
          'I.1 Sở Nông nghiệp và Phát triển nông thôn': ['Hoàn thành trễ hạn', 'Đã hoàn thành', 'Đã ban hành Kế hoạch'],
          'I.2 Sở Nông nghiệp và Phát triển nông thôn': ['Đang thực hiện', 'Đang thực hiện', 'Đang xây dựng kế hoạch'],
          'I.4 Sở Nông nghiệp và Phát triển nông thôn': ['Vướng mắc', 'Vướng mắc', 'Chờ hướng dẫn của Trung ương'],
        },
      },
    },
  },
  {
    programme: 'dongthap-ocop-2026-2030',
    ledger: 'dongthap-2026',
    units: 'id,name,role,parent\ndt-snnmt,Sở Nông nghiệp và Môi trường,agriculture-environment-dept,\ndt-skhcn,Sở Khoa học và Công nghệ,science-technology-dept,\n',
    opened: '2026-01-05T02:00:00Z',
    submitted: '2026-10-01T02:00:00Z',
    progress: [
      { unit: 'dt-snnmt', task: '1.2', status: 'completed', on: '2026-07-10', note: 'Đã ban hành' },
      { unit: 'dt-snnmt', task: '1.3', status: 'in-progress', on: '2026-06-01' },
      { unit: 'dt-snnmt', task: '2.1', status: 'in-progress', on: '2026-09-01', note: 'Đã tổ chức tập huấn' },
    ],
    asOf: '2027-01-10T02:00:00Z',
    // 1.2 and 1.3 “Trước ngày 15/7/2026”; 2.1 “Hàng năm” and 4.1 “Thường xuyên” are reported (or not) each year.
    expected: {
      '2026': {
        title: '(Kỳ báo cáo: Năm 2026 - tình trạng đến ngày 31/12/2026, theo số liệu ghi nhận đến ngày 10/01/2027)',
        rows: {
          '1.2 Sở Nông nghiệp và Môi trường': ['Hoàn thành đúng hạn', 'Đã hoàn thành', 'Đã ban hành'],
          '1.3 Sở Nông nghiệp và Môi trường': ['Quá hạn', 'Đang thực hiện', ''],
          '2.1 Sở Nông nghiệp và Môi trường': ['Đã báo cáo kỳ này', 'Đang thực hiện', 'Đã tổ chức tập huấn'],
          '4.1 Sở Khoa học và Công nghệ': ['Chưa báo cáo kỳ này', '', ''],
        },
      },
    },
  },
];

describe.each(FIXTURES)('task-status report of $programme against a hand-computed fixture', (fixture) => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-task-states-'));
  const clock = new FixedClock(new Date(fixture.opened));
  let app: INestApplicationContext;
  const sheets: Record<string, ExcelJS.Workbook> = {};

  beforeAll(async () => {
    const config = { ...loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: false }, {}), clock };
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
    const commands = app.get(CommandBus);
    const file = join(__dirname, `../../templates/programmes/${fixture.programme}.yaml`);
    await commands.execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, systemContext('test')));
    await commands.execute(new OpenLedgerCommand(fixture.ledger, fixture.programme, fixture.ledger, fixture.units, 'units.csv', systemContext('test')));
    clock.set(fixture.submitted);
    for (const { unit, ...record } of fixture.progress) {
      await commands.execute(new SubmitRecordCommand({ type: 'progress', ledger: fixture.ledger, unit, ...record }, systemContext('test')));
    }
    clock.set(fixture.asOf);
    for (const period of Object.keys(fixture.expected)) {
      const report: GeneratedReport = await app.get(QueryBus).execute(new GenerateReportQuery(fixture.ledger, 'task-status', period, 'xlsx'));
      sheets[period] = new ExcelJS.Workbook();
      await sheets[period].xlsx.load(report.bytes as unknown as ArrayBuffer);
    }
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it.each(Object.keys(fixture.expected))('%s: the title names the period and each (task, unit) is in its hand-computed state', (period) => {
    const ws = sheets[period].worksheets[0];
    const texts = ws.getSheetValues().flat().map(String);
    expect(texts).toContain(fixture.expected[period].title);
    const rows = new Map<string, [string, string, string]>();
    ws.eachRow((row) => {
      const cell = (c: number) => (row.getCell(c).text ?? '').trim();
      rows.set(`${cell(1)} ${cell(3)}`, [cell(4), cell(5), cell(6)]);
    });
    for (const [key, state] of Object.entries(fixture.expected[period].rows)) expect([key, rows.get(key)]).toEqual([key, state.map((s) => s.trim())]);
  });

  it.each(Object.keys(fixture.expected))('%s: every unit’s state columns add up to its task count, and the totals to the rows', (period) => {
    const [tasks, units] = sheets[period].worksheets;
    const header = tasks.getColumn(1).values.findIndex((v) => typeof v === 'string' && /任务编号|Số TT/.test(v));
    const rowCount = tasks.rowCount - header;
    const counts: number[][] = [];
    units.eachRow((row) => {
      const values = (row.values as unknown[]).slice(2);
      if (values.length === 10 && values.every((v) => typeof v === 'number')) counts.push(values as number[]);
    });
    expect(counts.length).toBeGreaterThan(1);
    for (const [total, ...states] of counts) expect(states.reduce((a, b) => a + b, 0)).toBe(total);
    const [grand, ...rest] = counts[counts.length - 1];
    expect(counts.slice(0, -1).reduce((a, [t]) => a + t, 0)).toBe(grand);
    expect(rest.reduce((a, b) => a + b, 0)).toBe(grand);
    expect(grand).toBeLessThanOrEqual(rowCount);
  });
});
