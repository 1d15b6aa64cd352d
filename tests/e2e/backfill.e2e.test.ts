import { adminPrincipal } from '../../src/access/principal';
/**
 * Back-filled history over HTTP and the CLI: an administrator records 2021 submissions in 2026 with
 * the date they were originally reported; a unit's own token may not; history shows both dates and
 * who back-filled; timeliness counts the declared date and says so.
 */
import type { INestApplication } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { FixedClock } from '../../src/event-sourcing/clock';
import { systemContext } from '../../src/event-sourcing/request-context';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { GenerateReportQuery, type GeneratedReport } from '../../src/reports/generate/generate-report.query';
import { cli } from '../support/cli-in-process';
import { bootTestApp } from '../support/boot-test-app';

const UNITS = 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,\n';
const FIGURE = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 77 };

describe('back-filled history with reportedOn', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-backfill-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  const clock = new FixedClock(new Date('2026-12-05T02:00:00Z'));
  let app: INestApplication;
  const tokens: Record<string, string> = {};
  const post = (as: string, body: object) => request(app.getHttpServer()).post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${as}`).send(body);

  beforeAll(async () => {
    ({ app } = await bootTestApp({ store, liveProjections: false, clock }));
    const commands = app.get(CommandBus);
    const file = join(__dirname, '../../templates/programmes/nea-2021-37.yaml');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, systemContext('test')));
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    for (const [name, unit, role] of [['admin', 'gd-energy', 'admin'], ['grid', 'gd-grid', 'submitter']]) {
      tokens[name] = (await commands.execute(new IssueTokenCommand({ unit, role, ledger: 'gd-2021', label: name }, adminPrincipal('system:test')))).token;
    }
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('a unit’s own token may not declare reportedOn; nothing is appended', async () => {
    const refused = await post(tokens.grid, { ...FIGURE, reportedOn: '2021-07-10' });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/reportedOn.*only an administrator may back-fill/);
    const bad = await post(tokens.admin, { ...FIGURE, reportedOn: '2027-01-01' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/reportedOn.*is in the future/);
  });

  it('an admin back-fills over HTTP and the CLI; history shows the declared and the recorded date and who', async () => {
    // The provincial authority's figure: "各省级能源(电力)主管部门……于每年7月15日前向国家能源局报送本年度上半年情况".
    expect((await post(tokens.admin, { ...FIGURE, unit: 'gd-energy', reportedOn: '2021-07-10' })).status).toBe(201);
    const ndjson = join(directory, 'backfill.ndjson');
    writeFileSync(ndjson, `${JSON.stringify({ type: 'progress', ledger: 'gd-2021', unit: 'gd-energy', task: '2', status: 'completed', on: '2020-12-20', reportedOn: '2020-12-22' })}\n`);
    expect((await cli(store, 'submit', ndjson)).code).toBe(0);
    const history = await cli(store, 'history', 'gd-2021');
    expect(history.out.find((l) => l.includes('MetricReported'))).toMatch(/\[back-filled: reported 2021-07-10, recorded 2026-12-05 by \S+\]/);
    expect(history.out.find((l) => l.includes('ProgressReported'))).toMatch(/\[back-filled: reported 2020-12-22, recorded \d{4}-\d{2}-\d{2} by cli:/);
  });

  it('timeliness counts the declared date, and its row says the figure was back-filled; only the authority owes, nothing before the notice', async () => {
    const report: GeneratedReport = await app.get(QueryBus).execute(new GenerateReportQuery('gd-2021', 'submission-timeliness', '2021-H1', 'xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(report.bytes as unknown as ArrayBuffer);
    const rows: string[][] = [];
    workbook.worksheets[1].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? '')))));
    const energy = rows.find((r) => r.includes('广东省能源局') && r.some((c) => c.includes('2021年7月10日')));
    expect(energy).toEqual(expect.arrayContaining(['广东省能源局', '2021-07-10', '按时报送', '补录：2021年7月10日报送，2026年12月5日录入（admin（广东省能源局））']));
    // The supply company owes no report, and the 2020 periods (before the notice of 2021-03-29) are owed by nobody.
    expect(rows.filter((r) => r.includes('广东电网有限责任公司'))).toEqual([]);
    expect(rows.filter((r) => r.some((c) => c.startsWith('2020')))).toEqual([]);
  });
});
