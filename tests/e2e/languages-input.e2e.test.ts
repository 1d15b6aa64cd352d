import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { bootNeaLedgerWithAdmin } from '../support/nea-admin-app';
import { cli } from '../support/cli-in-process';

const NEA = parse(readFileSync(join(__dirname, '../../templates/programmes/nea-2021-37.yaml'), 'utf8')) as Record<string, unknown>;
const LANGS = ['zh-CN', 'vi', 'en'] as const;

/** The refusals of the input channels in 简体中文, Tiếng Việt and English (Accept-Language, --lang); fields stay as sent, the shape is the API's. */
describe('input refusals in the caller’s language', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-languages-input-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  let app: INestApplication;
  let token: string;
  const http = () => request(app.getHttpServer());
  const as = (lang: string) => ({ Authorization: `Bearer ${token}`, 'Accept-Language': lang });
  /** The same request in the three languages: each answer's status and body. */
  const inEach = async (send: (lang: string) => request.Test) => Promise.all(LANGS.map(async (lang) => send(lang)));

  beforeAll(async () => {
    ({ app, token } = await bootNeaLedgerWithAdmin(store));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('a programme template with an unknown language', async () => {
    const answers = await inEach((lang) => http().post('/api/programmes').set(as(lang)).send({ ...NEA, language: 'fr' }));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    const reasons = answers.map((a) => a.body.problems.find((p: { field: string }) => p.field.endsWith(' language')));
    expect(reasons.map((p) => p.reason)).toEqual([
      '未知的语言 "fr"；应为以下之一：zh-CN, vi',
      'ngôn ngữ không xác định "fr"; cần một trong: zh-CN, vi',
      'unknown language "fr"; expected one of zh-CN, vi',
    ]);
    expect(new Set(reasons.map((p) => p.field)).size).toBe(1);
  });

  it('a units file with a role the programme does not have', async () => {
    const answers = await inEach((lang) => http().post('/api/ledgers').set(as(lang)).send({ ledgerId: 'gd-2022', programme: 'nea-2021-37', units: [{ id: 'x', name: 'X', role: 'mayor' }] }));
    expect(answers.map((a) => [a.status, a.body.error, a.body.problems[0].field])).toEqual([[400, 'invalid', 'units:2 role'], [400, 'invalid', 'units:2 role'], [400, 'invalid', 'units:2 role']]);
    expect(answers.map((a) => a.body.problems[0].reason)).toEqual([
      expect.stringMatching(/^"mayor" 不是本计划的角色（.*supply-company.*）$/),
      expect.stringMatching(/^"mayor" không phải vai trò của chương trình \(.*supply-company.*\)$/),
      expect.stringMatching(/^"mayor" is not a role of the programme \(.*supply-company.*\)$/),
    ]);
  });

  it('an Idempotency-Key used again for another body', async () => {
    const record = (note: string) => ({ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'in-progress', on: '2021-06-30', note });
    await http().post('/api/ledgers/gd-2021/submissions').set(as('en')).set('Idempotency-Key', 'once').send(record('first')).expect(201);
    const answers = await inEach((lang) => http().post('/api/ledgers/gd-2021/submissions').set(as(lang)).set('Idempotency-Key', 'once').send(record(`again in ${lang}`)));
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [422, { error: 'unprocessable', problems: [{ field: 'Idempotency-Key', reason: '已用于另一个请求体不同的请求；新请求请使用新的键' }] }],
      [422, { error: 'unprocessable', problems: [{ field: 'Idempotency-Key', reason: 'đã được dùng cho một yêu cầu có nội dung khác; hãy dùng khóa mới cho yêu cầu mới' }] }],
      [422, { error: 'unprocessable', problems: [{ field: 'Idempotency-Key', reason: 'was already used for a request with another body; use a new key for a new request' }] }],
    ]);
  });

  it('malformed JSON, refused by the body parser before any route', async () => {
    const answers = await inEach((lang) => http().post('/api/ledgers/gd-2021/submissions').set(as(lang)).set('Content-Type', 'application/json').send('{"type":'));
    expect(answers.map((a) => [a.status, a.body.error, a.body.problems.length, a.body.problems[0].field])).toEqual([[400, 'invalid', 1, 'body'], [400, 'invalid', 1, 'body'], [400, 'invalid', 1, 'body']]);
    expect(answers.map((a) => a.body.problems[0].reason)).toEqual([
      expect.stringMatching(/^不是有效的 JSON：/),
      expect.stringMatching(/^không phải JSON hợp lệ: /),
      expect.stringMatching(/^not valid JSON: /),
    ]);
  });

  it('a body over the limit, refused before it is read', async () => {
    const answers = await inEach((lang) => http().post('/api/ledgers/gd-2021/submissions').set(as(lang)).set('Content-Type', 'application/json').send(`{"note":"${'x'.repeat(2_000_000)}"}`));
    expect(answers.map((a) => [a.status, a.body.error])).toEqual([[413, 'too-large'], [413, 'too-large'], [413, 'too-large']]);
    expect(answers.map((a) => a.body.problems[0].reason)).toEqual([
      expect.stringMatching(/^请求体有 \d+ 字节，超过 \d+ 字节的上限（LEDGER_MAX_BODY_BYTES）$/),
      expect.stringMatching(/^nội dung yêu cầu \d+ byte, vượt quá giới hạn \d+ byte \(LEDGER_MAX_BODY_BYTES\)$/),
      expect.stringMatching(/^the request body of \d+ bytes exceeds the limit of \d+ bytes \(LEDGER_MAX_BODY_BYTES\)$/),
    ]);
  });

  it('an unknown route: 404 in the API’s shape', async () => {
    const answers = await inEach((lang) => http().get('/api/no-such-thing').set(as(lang)));
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [404, { error: 'not-found', problems: [{ reason: '没有 GET /api/no-such-thing 这一接口' }] }],
      [404, { error: 'not-found', problems: [{ reason: 'không có đường dẫn GET /api/no-such-thing' }] }],
      [404, { error: 'not-found', problems: [{ reason: 'Cannot GET /api/no-such-thing' }] }],
    ]);
  });

  it('a workbook sent as something other than a workbook', async () => {
    const answers = await inEach((lang) => http().post('/api/ledgers/gd-2021/workbooks/gd-grid').set(as(lang)).set('Content-Type', 'text/plain').send('not a workbook'));
    expect(answers.map((a) => [a.status, a.body.problems[0].field])).toEqual([[400, 'Content-Type'], [400, 'Content-Type'], [400, 'Content-Type']]);
    expect(answers.map((a) => a.body.problems[0].reason)).toEqual([
      expect.stringMatching(/^必须是 application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet（以 \.xlsx 文件作为请求体）或 multipart\/form-data（文件上传，字段 "file"），而不是 "text\/plain"$/),
      expect.stringMatching(/^phải là application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet \(tệp \.xlsx làm nội dung yêu cầu\) hoặc multipart\/form-data \(tải tệp lên, trường "file"\), không phải "text\/plain"$/),
      expect.stringMatching(/^must be application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet \(the \.xlsx file as the raw body\) or multipart\/form-data \(a file upload, field "file"\), not "text\/plain"$/),
    ]);
  });

  it('on the CLI: a proof of an event the log does not hold, with --lang and without', async () => {
    const id = '00000000-0000-4000-8000-000000000bad';
    const answers = await Promise.all(['zh', 'vi', undefined].map((lang) => cli(store, 'prove', id, ...(lang ? ['--lang', lang] : []))));
    expect(answers.map((a) => [a.code, a.err])).toEqual([
      [1, [`error: eventId: 日志中没有事件 ${id}`]],
      [1, [`error: eventId: nhật ký không có sự kiện ${id}`]],
      [1, [`error: eventId: no event ${id} in the log`]],
    ]);
  });

  it('on the CLI: verify’s finding in the language asked, and in CONTRACT.md’s English when none is', async () => {
    const [zh, vi, none] = await Promise.all(['zh', 'vi', undefined].map((lang) => cli(store, 'verify', ...(lang ? ['--lang', lang] : []))));
    expect([zh.code, vi.code, none.code]).toEqual([0, 0, 0]);
    expect(zh.out).toEqual([expect.stringMatching(/^完整：\d+ 个事件，\d+ 个流，至位置 \d+；日志摘要 sha256:[0-9a-f]{64}；树大小 \d+，根 \S+（[\d.]+ 秒）$/)]);
    expect(vi.out).toEqual([expect.stringMatching(/^nguyên vẹn: \d+ sự kiện trong \d+ luồng đến vị trí \d+; mã băm nhật ký sha256:[0-9a-f]{64}; kích thước cây \d+, gốc \S+ \([\d.]+ giây\)$/)]);
    expect(none.out).toEqual([expect.stringMatching(/^intact: \d+ events in \d+ streams up to position \d+; log digest sha256:[0-9a-f]{64}; tree size \d+ root \S+ \([\d.]+ s\)$/)]);
  });
});
