import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { cli } from '../support/cli-in-process';
import { bootNeaLedgerWithAdmin } from '../support/nea-admin-app';

/** The same refusals in 简体中文, Tiếng Việt and English: chosen by Accept-Language over HTTP and by --lang on the CLI; fields stay as sent. */
describe('errors in the caller’s language', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-languages-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  let app: INestApplication;
  let token: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app, token } = await bootNeaLedgerWithAdmin(store));
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
    expect(reasons.map((p) => p.reason)).toEqual(['"viele" 不是数字：请写成 1234.5 或 1,234.5 这样的数字', '"viele" không phải là số: hãy viết như 1234.5 hoặc 1,234.5', '"viele" is not a number: write digits like 1234.5 or 1,234.5']);
  });

  it('a query parameter given twice, and a JSON key given twice', async () => {
    expect((await http().get('/api/ledgers/gd-2021/status?unit=a&unit=b').set(as('zh')).expect(400)).body.problems).toEqual([{ field: 'unit', reason: '出现了多次：每个查询参数只能给一次' }]);
    const duplicate = await http().post('/api/ledgers/gd-2021/submissions').set(as('vi')).set('Content-Type', 'application/json').send('{"type":"metric","type":"progress"}').expect(400);
    expect(duplicate.body.problems).toEqual([{ field: 'type', reason: 'xuất hiện nhiều lần trong cùng một đối tượng: mỗi khóa chỉ được xuất hiện một lần' }]);
  });

  it('an "as of" moment that is none, and a page number that is none', async () => {
    const asOf = [];
    for (const lang of ['zh', 'vi', 'en']) asOf.push((await http().get('/api/ledgers/gd-2021/status?asOf=yesterday').set(as(lang)).expect(400)).body.problems);
    expect(asOf).toEqual([
      [{ field: 'asOf', reason: '"yesterday" 既不是 ISO-8601 时间（2021-07-15T00:00:00+08:00），也不是树大小（size:1234）或日志位置' }],
      [{ field: 'asOf', reason: '"yesterday" không phải thời điểm ISO-8601 (2021-07-15T00:00:00+08:00), kích thước cây (size:1234) hay vị trí trong nhật ký' }],
      [{ field: 'asOf', reason: '"yesterday" is neither an ISO-8601 time (2021-07-15T00:00:00+08:00) nor a tree size (size:1234) nor a log position' }],
    ]);
    const offset = (await http().get('/api/ledgers/gd-2021/status?offset=-1').set(as('vi')).expect(400)).body.problems;
    expect(offset).toEqual([{ field: 'offset', reason: expect.stringMatching(/^phải là số nguyên từ 0 đến \d+$/) }]);
  });

  it('on the CLI, with --lang (or the locale of LANG)', async () => {
    const zh = await cli(store, 'status', 'gd-2021', '--unit', 'nobody', '--lang', 'zh');
    expect(zh).toMatchObject({ code: 1, err: ['error: unit: 台账 "gd-2021" 中没有单位 "nobody"'] });
    const vi = await cli(store, 'status', 'no-such-ledger', '--lang', 'vi');
    expect(vi).toMatchObject({ code: 1, err: ['error: ledger: không có sổ "no-such-ledger"'] });
  });

  it('a figure out of its range, a malformed period and an unknown report, over HTTP', async () => {
    const record = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: -5 };
    const ask = async (lang: string) => ({
      value: (await http().post('/api/ledgers/gd-2021/submissions').set(as(lang)).send(record).expect(400)).body.problems,
      period: (await http().get('/api/ledgers/gd-2021/reports/task-status?period=2021-Q5&format=pdf').set(as(lang)).expect(400)).body.problems,
      report: (await http().get('/api/ledgers/gd-2021/reports/no-such-report?period=2021&format=pdf').set(as(lang)).expect(404)).body.problems,
    });
    expect(await ask('zh-CN')).toEqual({
      value: [{ field: 'value', reason: '-5 超出范围；允许：0 ≤ 数值 ≤ 1000000000 户，整数' }],
      period: [{ field: 'period', reason: '"2021-Q5" 中的季度 Q5 超出范围：应为 Q1…Q4' }],
      report: [{ field: 'reportId', reason: expect.stringMatching(/^计划 nea-2021-37 不需要报表 "no-such-report"（其报表：.*task-status.*）$/) }],
    });
    expect(await ask('vi')).toEqual({
      value: [{ field: 'value', reason: '-5 nằm ngoài khoảng cho phép; cho phép: 0 ≤ giá trị ≤ 1000000000 户, số nguyên' }],
      period: [{ field: 'period', reason: 'quý Q5 trong "2021-Q5" nằm ngoài khoảng: cần Q1…Q4' }],
      report: [{ field: 'reportId', reason: expect.stringMatching(/^chương trình nea-2021-37 không yêu cầu báo cáo "no-such-report"/) }],
    });
    expect(await ask('en')).toEqual({
      value: [{ field: 'value', reason: '-5 is out of range; allowed: 0 ≤ value ≤ 1000000000 户, a whole number' }],
      period: [{ field: 'period', reason: 'quarter Q5 out of range in "2021-Q5": expected Q1…Q4' }],
      report: [{ field: 'reportId', reason: expect.stringMatching(/^programme nea-2021-37 owes no report "no-such-report"/) }],
    });
  });

  it('the same refusals, and usage errors, on the CLI', async () => {
    const file = join(directory, 'out-of-range.ndjson');
    writeFileSync(file, `${JSON.stringify({ type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: -5 })}\n`);
    const submitted = await Promise.all(['zh', 'vi', 'en'].map((lang) => cli(store, 'submit', file, '--lang', lang)));
    expect(submitted.map((r) => [r.code, r.err])).toEqual([
      [1, [`error: ${file}:1 value: -5 超出范围；允许：0 ≤ 数值 ≤ 1000000000 户，整数`]],
      [1, [`error: ${file}:1 value: -5 nằm ngoài khoảng cho phép; cho phép: 0 ≤ giá trị ≤ 1000000000 户, số nguyên`]],
      [1, [`error: ${file}:1 value: -5 is out of range; allowed: 0 ≤ value ≤ 1000000000 户, a whole number`]],
    ]);
    const out = join(directory, 'r.pdf');
    const period = await cli(store, 'report', 'gd-2021', 'task-status', '--period', '2021-13', '--format', 'pdf', '--out', out, '--lang', 'vi');
    expect(period).toMatchObject({ code: 1, err: ['error: period: tháng 13 trong "2021-13" nằm ngoài khoảng: cần 01…12'] });
    const missing = await cli(store, 'report', 'gd-2021', 'task-status', '--format', 'pdf', '--out', out, '--lang', 'zh');
    expect(missing).toMatchObject({ code: 2, err: ['用法错误：report：必须给出 --period', '运行 `npm run ledger -- --help` 查看命令及其选项'] });
    const unknown = await cli(store, 'reprot', '--lang', 'vi');
    expect(unknown).toMatchObject({ code: 2, err: ['lỗi cách dùng: lệnh không xác định "reprot"', 'chạy `npm run ledger -- --help` để xem các lệnh và tùy chọn'] });
  });
});
