/**
 * Amending a shipped programme is an event (ProgrammeAmended, with the difference): a ledger opened on
 * the old version keeps its history, and a report as of a moment before the amendment shows the old
 * requirements. The embedded store, the real commands and a fixed clock; the xlsx opened back.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import type { AsOf } from '../../src/audit/as-of';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/event-sourcing/clock';
import { systemContext } from '../../src/event-sourcing/request-context';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { HistoryQuery, type HistoryPage } from '../../src/ledgers/queries/history.query';
import { IndicatorsQuery, type IndicatorsReport } from '../../src/ledgers/queries/indicators.query';
import { TaskStatusQuery } from '../../src/ledgers/queries/task-status.query';
import { SubmitRecordCommand } from '../../src/ledgers/submit/submit-record.command';
import { RegisterProgrammeCommand, type RegisterProgrammeResult } from '../../src/programmes/register-programme/register-programme.command';
import { GenerateReportQuery } from '../../src/reports/generate/generate-report.query';
import { findCell, readXlsx } from './reports/helpers';

const CONTEXT = systemContext('test');
const TEMPLATE = join(__dirname, '../../templates/programmes/nea-2021-37.yaml');
const UNITS = ['id,name,role,parent', 'gd-energy,广东省能源局,energy-authority,', 'gd-grid,广东电网有限责任公司,supply-company,'].join('\n');
const utc = (date: string) => new Date(`${date}T00:00:00Z`);

describe('a programme amended after a ledger was opened on it', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-amendment-'));
  const clock = new FixedClock(new Date('2021-04-01T02:00:00Z'));
  let app: INestApplicationContext;
  let amended: RegisterProgrammeResult;
  let before: AsOf;

  beforeAll(async () => {
    const config = { ...loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: false }, {}), clock, reportsDir: join(directory, 'reports') };
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
    const commands = app.get(CommandBus);
    const original = readFileSync(TEMPLATE, 'utf8');
    await commands.execute(new RegisterProgrammeCommand(original, TEMPLATE, CONTEXT));
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', CONTEXT));
    clock.set('2021-04-20T02:00:00Z');
    const submitted = await commands.execute(new SubmitRecordCommand({ ledger: 'gd-2021', unit: 'gd-energy', type: 'progress', task: '54', status: 'in-progress', on: '2021-04-20' }, CONTEXT)) as { position: number };
    before = { kind: 'position', position: submitted.position };
    // The amendment: task 54 "2021 年 4 月底前" moved to the end of May, and the half-year report to 31 July.
    const changed = original.replace('due: { kind: fixed, month: 7, day: 15, yearOffset: 0 }', 'due: { kind: fixed, month: 7, day: 31, yearOffset: 0 }');
    const task54 = /( {2}- number: "54"[\s\S]*?deadline: )\{[^}]*\}/;
    clock.set('2021-05-01T02:00:00Z');
    amended = await commands.execute(new RegisterProgrammeCommand(changed.replace(task54, '$1{ kind: date, date: "2021-05-31", text: "2021年5月底前" }'), TEMPLATE, CONTEXT));
    clock.set('2021-08-01T02:00:00Z');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('records ProgrammeAmended with what changed', () => {
    expect(amended).toMatchObject({ outcome: 'amended', version: 2, changes: { tasksChanged: ['54'], otherChanged: ['calendar'] } });
  });

  it('task status as of before the amendment: the old deadline (2021年4月底前); after it: the new one', async () => {
    const queries = app.get(QueryBus);
    const row = async (asOf: AsOf) => {
      const report = await queries.execute(new TaskStatusQuery('gd-2021', asOf, { task: '54' }));
      return { version: report.programmeVersion, ...report.rows.find((r) => r.unit === 'gd-energy')! };
    };
    expect(await row(before)).toMatchObject({ version: 1, due: '2021-04-30', deadline: '2021年4月底前' });
    expect(await row({ kind: 'now' })).toMatchObject({ version: 2, due: '2021-05-31', deadline: '2021年5月底前', status: 'overdue' });
  });

  it('the timeliness report as of before the amendment owes the half-year report on 15 July; as of now, on 31 July', async () => {
    const queries = app.get(QueryBus);
    const due = async (asOf: AsOf) => {
      const report = await queries.execute(new GenerateReportQuery('gd-2021', 'submission-timeliness', '2021-H1', 'xlsx', asOf));
      const ws = (await readXlsx(report.bytes)).worksheets[0];
      return ws.getCell(`B${Number(findCell(ws, '报告期')!.row) + 2}`).value;
    };
    expect(await due(before)).toEqual(utc('2021-07-15'));
    expect(await due({ kind: 'now' })).toEqual(utc('2021-07-31'));
  });

  it('keeps the ledger\'s history as it was: the amendment is in the programme\'s stream, not the ledger\'s', async () => {
    const queries = app.get(QueryBus);
    const page = (asOf: AsOf): Promise<HistoryPage> => queries.execute(new HistoryQuery('gd-2021', { asOf }));
    const [then, now] = [await page(before), await page({ kind: 'now' })];
    expect(now.entries.map((e) => e.type)).toEqual(then.entries.map((e) => e.type));
    expect(now.entries.map((e) => e.type)).not.toContain('ProgrammeAmended');
  });

  it('gives each indicator\'s exceptions with its verdict: "除不可抗力外" on 6, 7, 22 and 34, nothing on the others', async () => {
    const report: IndicatorsReport = await app.get(QueryBus).execute(new IndicatorsQuery('gd-2021', '2021'));
    const withExceptions = report.rows.filter((r) => r.exceptions !== null).map((r) => [r.number, r.exceptions]);
    expect(withExceptions).toEqual([['6', '除不可抗力外'], ['7', '除不可抗力外'], ['22', '除不可抗力外'], ['34', '除不可抗力外']]);
  });
});
