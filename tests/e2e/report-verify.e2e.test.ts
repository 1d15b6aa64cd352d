/**
 * Any delivered report is verifiable from what it carries: one downloaded over HTTP and one written
 * by the CLI, in both formats, pass `verify --report` after the log has moved on; a changed byte
 * fails; the report regenerated from its own pin has the same bytes.
 */
import type { INestApplication } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { CreatePersonCommand } from '../../src/access/people/create-person.command';
import { ManagePersonCommand } from '../../src/access/people/manage-person.command';
import { adminPrincipal, contextOf } from '../../src/access/principal';
import { FixedClock } from '../../src/event-sourcing/clock';
import { systemContext } from '../../src/event-sourcing/request-context';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { SubmitRecordCommand } from '../../src/ledgers/submit/submit-record.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { GenerateReportQuery, type GeneratedReport } from '../../src/reports/generate/generate-report.query';
import { historyFilterOf, HistoryReportQuery } from '../../src/reports/history-report.query';
import { readPin } from '../../src/reports/report-pin';
import { cli } from '../support/cli-in-process';
import { bootTestApp } from '../support/boot-test-app';

const UNITS = 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,\n';

describe('verify --report: any delivered report, regenerated from its pin', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-report-verify-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  const clock = new FixedClock(new Date('2021-06-01T02:00:00Z'));
  let app: INestApplication;
  let regulator = '';
  const submit = (record: Record<string, unknown>) =>
    app.get(CommandBus).execute(new SubmitRecordCommand({ ledger: 'gd-2021', unit: 'gd-grid', ...record }, systemContext('test')));
  const file = (name: string, bytes: Buffer) => {
    const path = join(directory, name);
    writeFileSync(path, bytes);
    return path;
  };
  /** One byte of a delivered report flipped: `verify --report` refuses the copy. */
  const expectChangedByteRefused = async (path: string) => {
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] ^= 1;
    const refused = await cli(store, 'verify', '--report', file('changed', bytes));
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/the file was changed|carries no report pin/);
  };
  const download = async (format: string, path = '/api/ledgers/gd-2021/reports/task-status', query: Record<string, string> = { period: '2021-H1' }, name = `http.${format}`) => {
    const response = await request(app.getHttpServer())
      .get(path)
      .query({ ...query, format })
      .set('Authorization', `Bearer ${regulator}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    return file(name, response.body as Buffer);
  };

  beforeAll(async () => {
    ({ app } = await bootTestApp({ store, liveProjections: false, clock, config: { reportsDir: join(directory, 'reports') } }));
    const programme = join(__dirname, '../../templates/programmes/nea-2021-37.yaml');
    await app.get(CommandBus).execute(new RegisterProgrammeCommand(readFileSync(programme, 'utf8'), programme, systemContext('test')));
    await app.get(CommandBus).execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    regulator = (await app.get(CommandBus).execute(new IssueTokenCommand({ unit: 'gd-energy', role: 'regulator', ledger: null, label: null }, adminPrincipal('system:test')))).token;
    clock.set('2021-07-05T02:00:00Z');
    await submit({ type: 'progress', task: '4', status: 'blocked', on: '2021-07-01', note: '等待审批' });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('accepts reports downloaded over HTTP and written by the CLI after the log moved on, and refuses a changed byte', async () => {
    const delivered = [await download('pdf'), await download('xlsx')];
    for (const format of ['pdf', 'xlsx']) {
      const out = join(directory, `cli.${format}`);
      expect((await cli(store, 'report', 'gd-2021', 'task-status', '--period', '2021-H1', '--format', format, '--out', out)).code).toBe(0);
      delivered.push(out);
    }
    clock.set('2021-07-06T02:00:00Z');
    await submit({ type: 'progress', task: '4', status: 'completed', on: '2021-07-06' });

    for (const path of delivered) {
      const ok = await cli(store, 'verify', '--report', path);
      expect({ path, ...ok }).toMatchObject({ code: 0, err: [] });
      expect(ok.out[0]).toMatch(/task-status 2021-H1 of gd-2021, as of \S+ \(sha256:[0-9a-f]{64}, tree size \d+ root \S+ signed\); regenerated identically$/);

      await expectChangedByteRefused(path);
    }
    // Eight verifications, each regenerating a report: minutes on a loaded two-core machine.
  }, 180_000);

  it('the report regenerated from the pin it carries has the same bytes', async () => {
    for (const format of ['pdf', 'xlsx']) {
      const bytes = readFileSync(join(directory, `http.${format}`));
      const pin = (await readPin(bytes))!;
      expect(pin).toMatchObject({ ledgerId: 'gd-2021', reportId: 'task-status', period: '2021-H1', asOf: '2021-07-05T02:00:00.000Z' });
      const again: GeneratedReport = await app
        .get(QueryBus)
        .execute(new GenerateReportQuery(pin.ledgerId, pin.reportId, pin.period, format, { kind: 'size', size: pin.tree!.size, at: pin.asOf }));
      expect(again.bytes.equals(bytes)).toBe(true);
    }
  });

  it('a history export, over HTTP or from the CLI, filtered or whole, is verifiable too and regenerates from its pin', async () => {
    const delivered = [
      await download('pdf', '/api/ledgers/gd-2021/history', { unit: 'gd-grid' }, 'history-unit.pdf'),
      await download('xlsx', '/api/ledgers/gd-2021/history', {}, 'history.xlsx'),
    ];
    const out = join(directory, 'history-task.pdf');
    expect((await cli(store, 'history', 'gd-2021', '--task', '4', '--out', out)).code).toBe(0);
    delivered.push(out);
    const pin = (await readPin(readFileSync(delivered[0])))!;
    expect(pin).toMatchObject({ ledgerId: 'gd-2021', period: 'ALL' });
    expect(historyFilterOf(pin.reportId)).toEqual({ unit: 'gd-grid' });
    const again: GeneratedReport = await app.get(QueryBus).execute(new HistoryReportQuery('gd-2021', { unit: 'gd-grid' }, 'pdf', { kind: 'size', size: pin.tree!.size, at: pin.asOf }));
    expect(again.bytes.equals(readFileSync(delivered[0]))).toBe(true);

    clock.set('2021-07-07T02:00:00Z');
    await app.get(CommandBus).execute(new IssueTokenCommand({ unit: 'gd-grid', role: 'submitter', ledger: 'gd-2021', label: 'later' }, adminPrincipal('system:test')));
    const subjects = ['history \\(unit gd-grid\\)', 'history', 'history \\(task 4\\)'];
    for (const [i, path] of delivered.entries()) {
      const ok = await cli(store, 'verify', '--report', path);
      expect({ path, ...ok }).toMatchObject({ code: 0, err: [] });
      expect(ok.out[0]).toMatch(new RegExp(`: ${subjects[i]} of gd-2021, as of \\S+ \\(sha256:[0-9a-f]{64}, tree size \\d+ root \\S+\\); regenerated identically$`));
      await expectChangedByteRefused(path);
    }
  }, 180_000);

  it('a report as of a moment names people as they were then: renamed and moved after it, it still passes verify --report', async () => {
    const admin = adminPrincipal('system:test');
    const grant = { ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' as const };
    await app.get(CommandBus).execute(new CreatePersonCommand({ login: 'chenli', name: '陈丽', contact: '020-1234', language: 'zh', grants: [grant] }, admin));
    clock.set('2021-07-08T02:00:00Z');
    const person = { kind: 'person' as const, id: 'chenli', actor: 'person:chenli', name: '陈丽', language: 'zh', grants: [grant] };
    await app.get(CommandBus).execute(new SubmitRecordCommand({ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '5', status: 'in-progress', on: '2021-07-08' }, contextOf(person, grant)));
    const drawn: GeneratedReport = await app.get(QueryBus).execute(new HistoryReportQuery('gd-2021', { task: '5' }, 'xlsx'));
    const path = file('history-renamed.xlsx', drawn.bytes);

    clock.set('2021-07-09T02:00:00Z');
    await app.get(CommandBus).execute(new ManagePersonCommand('chenli', { kind: 'change-details', name: '陈丽华', contact: '020-1234', language: 'zh' }, admin));
    await app.get(CommandBus).execute(new ManagePersonCommand('chenli', { kind: 'set-grants', grants: [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'submitter' }] }, admin));

    const ok = await cli(store, 'verify', '--report', path);
    expect(ok).toMatchObject({ code: 0, err: [] });
    const names = async (bytes: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      return workbook.worksheets[0].getSheetValues().flat().map(String).filter((v) => v.startsWith('陈丽'));
    };
    const pin = (await readPin(drawn.bytes))!;
    const again: GeneratedReport = await app.get(QueryBus).execute(new HistoryReportQuery('gd-2021', { task: '5' }, 'xlsx', { kind: 'size', size: pin.tree!.size, at: pin.asOf }));
    expect(await names(again.bytes)).toEqual(['陈丽（广东电网有限责任公司）']);
    const now: GeneratedReport = await app.get(QueryBus).execute(new HistoryReportQuery('gd-2021', { task: '5' }, 'xlsx'));
    expect(await names(now.bytes)).toEqual(['陈丽华（广东省能源局）']);
  }, 120_000);

  it('refuses a file that is not a report of the ledger', async () => {
    const refused = await cli(store, 'verify', '--report', file('other.pdf', Buffer.from('%PDF-1.7\n%%EOF\n')));
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/carries no report pin/);
  });
});
