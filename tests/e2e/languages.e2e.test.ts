import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { adminPrincipal } from '../../src/access/principal';
import { loadConfig } from '../../src/config';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { registerShippedProgrammes } from '../../src/programmes/shipped-programmes';
import { createServer } from '../../src/server';
import { cli } from '../support/cli-in-process';

/** The same refusals in 简体中文, Tiếng Việt and English: chosen by Accept-Language over HTTP and by --lang on the CLI; fields stay as sent. */
describe('errors in the caller’s language', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-languages-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  let app: INestApplication;
  let token: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createServer(loadConfig({ store, liveProjections: false }, {}), false);
    await app.init();
    const commands = app.get(CommandBus);
    await registerShippedProgrammes(commands, app.get(EVENT_STORE), systemContext('test'));
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', 'id,name,role,parent\ngd-grid,广东电网有限责任公司,supply-company,\n', 'units.csv', systemContext('test')));
    token = (await commands.execute(new IssueTokenCommand({ unit: 'it-team', role: 'admin', ledger: null, label: null }, adminPrincipal('system:test')))).token;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const as = (lang: string) => ({ Authorization: `Bearer ${token}`, 'Accept-Language': lang });

  it('an unknown unit', async () => {
    const reasons = [];
    for (const lang of ['zh-CN', 'vi', 'en-US']) reasons.push((await http().get('/api/ledgers/gd-2021/status?unit=nobody').set(as(lang)).expect(404)).body.problems[0]);
    expect(reasons).toEqual([
      { field: 'unit', reason: '台账 "gd-2021" 中没有单位 "nobody"' },
      { field: 'unit', reason: 'sổ "gd-2021" không có đơn vị "nobody"' },
      { field: 'unit', reason: 'no unit "nobody" in ledger "gd-2021"' },
    ]);
  });

  it('a figure that is not a number', async () => {
    const record = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 'viele' };
    const reasons = [];
    for (const lang of ['zh', 'vi-VN', 'en']) reasons.push((await http().post('/api/ledgers/gd-2021/submissions').set(as(lang)).send(record).expect(400)).body.problems.find((p: { field: string }) => p.field === 'value'));
    expect(reasons.map((p) => p.reason)).toEqual(['"viele" 不是数字：请写成 1234.5 or 1,234.5 这样的数字', '"viele" không phải là số: hãy viết như 1234.5 or 1,234.5', '"viele" is not a number: write digits like 1234.5 or 1,234.5']);
  });

  it('a query parameter given twice, and a JSON key given twice', async () => {
    expect((await http().get('/api/ledgers/gd-2021/status?unit=a&unit=b').set(as('zh')).expect(400)).body.problems).toEqual([{ field: 'unit', reason: '出现了多次：每个查询参数只能给一次' }]);
    const duplicate = await http().post('/api/ledgers/gd-2021/submissions').set(as('vi')).set('Content-Type', 'application/json').send('{"type":"metric","type":"progress"}').expect(400);
    expect(duplicate.body.problems).toEqual([{ field: 'type', reason: 'xuất hiện nhiều lần trong cùng một đối tượng: mỗi khóa chỉ được xuất hiện một lần' }]);
  });

  it('on the CLI, with --lang (or the locale of LANG)', async () => {
    const zh = await cli(store, 'status', 'gd-2021', '--unit', 'nobody', '--lang', 'zh');
    expect(zh).toMatchObject({ code: 1, err: ['error: unit: 台账 "gd-2021" 中没有单位 "nobody"'] });
    const vi = await cli(store, 'status', 'no-such-ledger', '--lang', 'vi');
    expect(vi).toMatchObject({ code: 1, err: ['error: ledger: không có sổ "no-such-ledger"'] });
  });
});
