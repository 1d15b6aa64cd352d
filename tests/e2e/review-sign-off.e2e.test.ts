import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { CreatePersonCommand } from '../../src/access/people/create-person.command';
import { adminPrincipal } from '../../src/access/principal';
import { FixedClock } from '../../src/event-sourcing/clock';
import { systemContext } from '../../src/event-sourcing/request-context';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { BulkSubmitCommand } from '../../src/ledgers/submit/bulk-submit.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { pdfText, requirePoppler, squeeze } from '../integration/reports/helpers';
import { bootTestApp } from '../support/boot-test-app';

const UNITS = [
  'id,name,role,parent',
  'gd-energy,广东省能源局,energy-authority,',
  'gd-grid,广东电网有限责任公司,supply-company,',
  'gz-grid,广州供电局,supply-company,gd-grid',
  'sz-grid,深圳供电局,supply-company,gd-grid',
].join('\n');
const REVIEW = '/api/ledgers/gd-2021/reviews/nea-attachment-3';
const STEP = (unit: string, step: string) => `${REVIEW}/2021-H1/units/${unit}/${step}`;
const SIGN_OFF = `${REVIEW}/2021-H1/sign-off`;

describe('review and sign-off of a report’s period over HTTP', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-review-'));
  const clock = new FixedClock(new Date('2021-07-10T02:00:00Z'));
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  /** Signed-in people (session cookie + CSRF token) and API tokens, by name. */
  const callers: Record<string, (method: 'get' | 'post', path: string) => request.Test> = {};

  const passwords: Record<string, string> = {};
  // The cookie is sent by hand: its expiry follows the test's 2021 clock, so a cookie jar would drop it.
  const cookieOf = (response: request.Response) => String(response.headers['set-cookie']).split(';')[0];
  const asPerson = (login: string, signedIn: request.Response) => {
    callers[login] = (method, path) => request(server)[method](path).set({ Cookie: cookieOf(signedIn), 'X-CSRF-Token': signedIn.body.csrfToken });
  };

  async function person(login: string, name: string, contact: string, unit: string, role: string): Promise<void> {
    const created = await app.get(CommandBus).execute(new CreatePersonCommand({ login, name, contact, language: 'zh', grants: [{ ledger: 'gd-2021', unit, role: role as never }] }, adminPrincipal('system:test')));
    const signedIn = await request(server).post('/api/session').send({ login, password: created.oneTimePassword }).expect(201);
    passwords[login] = `Chosen-pass-2021-${name}`;
    const changed = await request(server)
      .post('/api/session/password')
      .set({ Cookie: cookieOf(signedIn), 'X-CSRF-Token': signedIn.body.csrfToken })
      .send({ currentPassword: created.oneTimePassword, password: passwords[login] })
      .expect(201);
    asPerson(login, changed);
  }

  /** After the clock moved on by days, the sessions have expired: sign everyone in again. */
  async function signInAgain(): Promise<void> {
    for (const [login, password] of Object.entries(passwords)) asPerson(login, await request(server).post('/api/session').send({ login, password }).expect(201));
  }

  async function token(as: string, unit: string, role: string): Promise<void> {
    const issued = await app.get(CommandBus).execute(new IssueTokenCommand({ unit, role, ledger: 'gd-2021', label: as }, adminPrincipal('system:test')));
    callers[as] = (method, path) => request(server)[method](path).set('Authorization', `Bearer ${issued.token}`);
  }

  const figure = (unit: string, value: number, service = 'sanling-residential') => ({
    type: 'metric',
    ledger: 'gd-2021',
    unit,
    period: '2021-H1',
    metric: 'benefit.households',
    dimensions: { service },
    value,
  });
  const submit = (as: string, body: object) => callers[as]('post', '/api/ledgers/gd-2021/submissions').send(body);
  const status = async (as = 'auditor') => (await callers[as]('get', `${REVIEW}?period=2021-H1`).expect(200)).body;
  const standing = async () => Object.fromEntries((await status()).units.map((u: { unitId: string; state: string }) => [u.unitId, u.state]));
  const file = async (format: 'xlsx' | 'pdf', asOf?: number) => {
    const response = await callers.auditor('get', `/api/ledgers/gd-2021/reports/nea-attachment-3?period=2021-H1&format=${format}${asOf === undefined ? '' : `&asOf=${asOf}`}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return response.body as Buffer;
  };
  async function signatureCells(xlsx: Buffer): Promise<unknown[]> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    // The row of the signature line, wherever the layout puts it (under the 附件3 label and the title).
    let row = 0;
    sheet.eachRow((r, n) => void (row ||= String(r.getCell(1).value ?? '').startsWith('填报人及联系方式') ? n : 0));
    return ['A', 'C', 'E'].map((column) => sheet.getCell(`${column}${row}`).value);
  }

  beforeAll(async () => {
    requirePoppler();
    ({ app } = await bootTestApp({ directory, clock }));
    server = app.getHttpServer();
    const commands = app.get(CommandBus);
    const programme = join(__dirname, '../../templates/programmes/nea-2021-37.yaml');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(programme, 'utf8'), programme, systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', UNITS, 'units.csv', systemContext('test')));
    await app.get(ProjectionRunner).catchUp();
    await person('chen', '陈晓明', '020-85120001', 'gd-grid', 'submitter');
    await person('huang', '黄志强', '020-85120002', 'gd-grid', 'reviewer');
    await person('zhou', '周丽', '020-85120003', 'gz-grid', 'reviewer');
    await person('li', '李明', '020-85124567', 'gd-energy', 'regulator');
    await token('gz', 'gz-grid', 'submitter');
    await token('auditor', 'gd-energy', 'auditor');
    await token('regulator-script', 'gd-energy', 'regulator');
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('walks complete → return → correct → complete → approve → sign-off, and the signed files carry who filled, who reviewed and the date', async () => {
    const first = await submit('chen', figure('gd-grid', 1520)).expect(201);
    await submit('gz', figure('gz-grid', 830)).expect(201);
    expect(await standing()).toEqual({ 'gd-energy': 'not-started', 'gd-grid': 'in-progress', 'gz-grid': 'in-progress', 'sz-grid': 'not-started' });

    const completed = await callers.chen('post', STEP('gd-grid', 'complete')).expect(201);
    expect(completed.body).toMatchObject({ unitId: 'gd-grid', step: 'complete', period: '2021-H1', position: expect.any(Number) });
    await callers.chen('post', STEP('gd-grid', 'complete')).expect(409);

    // Figures marked complete stand still: a new figure or a correction is refused until a reviewer returns them.
    const held = await submit('chen', figure('gd-grid', 90, 'sansheng')).expect(409);
    // The clerk reads Chinese: the hold is given in the caller's language.
    expect(held.body.problems).toEqual([{ field: 'period', reason: expect.stringMatching(/^单位 "gd-grid" 2021-H1 期的数据已标记完成，正处于 nea-attachment-3 的审核中（陈晓明，.*）：须先退回才能修改$/) }]);
    await submit('chen', { type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: first.body.eventId, reason: '更正', value: 1530 }).expect(409);
    const bulk = new BulkSubmitCommand(JSON.stringify(figure('gd-grid', 90, 'sansheng')), 'held.ndjson', systemContext('test'));
    await expect(app.get(CommandBus).execute(bulk)).rejects.toMatchObject({ problems: [{ field: 'held.ndjson:1 period', reason: expect.stringContaining('they must be returned first') }] });
    await submit('gz', figure('gz-grid', 40, 'sansheng')).expect(201);

    expect((await callers.huang('post', STEP('gd-grid', 'return')).send({}).expect(400)).body.problems).toEqual([{ field: 'reason', reason: '必填：请写明单位需要更正的内容' }]);
    await callers.huang('post', STEP('gd-grid', 'return')).send({ reason: '受益户数与营销系统不符' }).expect(201);
    const returned = (await status()).units.find((u: { unitId: string }) => u.unitId === 'gd-grid');
    expect(returned).toEqual({ unitId: 'gd-grid', name: '广东电网有限责任公司', state: 'returned', by: { actor: 'person:huang', name: '黄志强' }, at: '2021-07-10T02:00:00.000Z', reason: '受益户数与营销系统不符' });

    // Returned: the unit corrects its figure, marks it complete again, and the reviewer approves.
    await submit('chen', { type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: first.body.eventId, reason: '与营销系统核对', value: 1530 }).expect(201);
    await callers.huang('post', STEP('gd-grid', 'approve')).expect(409);
    await callers.chen('post', STEP('gd-grid', 'complete')).expect(201);
    await callers.huang('post', STEP('gd-grid', 'approve')).expect(201);
    await callers.gz('post', STEP('gz-grid', 'complete')).expect(201);

    const refused = await callers.li('post', SIGN_OFF).expect(409);
    expect(refused.body.problems[0].reason).toBe('尚有单位等待审核，台账 "gd-2021" 2021-H1 期的 nea-attachment-3 不能签发：gz-grid');
    await callers.zhou('post', STEP('gz-grid', 'approve')).expect(201);
    expect(await standing()).toEqual({ 'gd-energy': 'not-started', 'gd-grid': 'approved', 'gz-grid': 'approved', 'sz-grid': 'not-started' });

    // Before the sign-off the line is blank.
    const before = await file('xlsx');
    expect((await signatureCells(before)).slice(0, 2)).toEqual(['填报人及联系方式：', '审核人：']);

    clock.set('2021-07-12T03:00:00Z');
    await signInAgain();
    const signed = await callers.li('post', SIGN_OFF).expect(201);
    expect(signed.body).toMatchObject({
      ledgerId: 'gd-2021',
      reportId: 'nea-attachment-3',
      period: '2021-H1',
      reporter: { actor: 'person:li', name: '李明', contact: '020-85124567' },
      reviewers: [{ unitId: 'gd-grid', actor: 'person:huang', name: '黄志强' }, { unitId: 'gz-grid', actor: 'person:zhou', name: '周丽' }],
      reportDate: '2021-07-12',
      notReported: ['gd-energy', 'sz-grid'],
      files: [{ format: 'xlsx', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, { format: 'pdf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
    expect(signed.body.eventPosition).toBeGreaterThan(signed.body.position);

    // The signed-off files redraw to the recorded bytes, and carry 填报人及联系方式, 审核人 and 填报日期.
    const xlsx = await file('xlsx', signed.body.position);
    const pdf = await file('pdf', signed.body.position);
    expect(createHash('sha256').update(xlsx).digest('hex')).toBe(signed.body.files[0].sha256);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(signed.body.files[1].sha256);
    expect(await signatureCells(xlsx)).toEqual(['填报人及联系方式：李明 020-85124567', '审核人：黄志强、周丽', '填报日期：2021年7月12日']);
    const text = squeeze(pdfText(pdf));
    for (const expected of ['填报人及联系方式：李明020-85124567', '审核人：黄志强、周丽', '填报日期：2021年7月12日']) expect(text).toContain(expected);
    // Drawn now (after the sign-off) the line is there; drawn as of a moment before it, blank.
    expect((await signatureCells(await file('xlsx'))).slice(0, 2)).toEqual(['填报人及联系方式：李明 020-85124567', '审核人：黄志强、周丽']);
    expect((await signatureCells(await file('xlsx', completed.body.position))).slice(0, 2)).toEqual(['填报人及联系方式：', '审核人：']);
    expect(squeeze(pdfText(await file('pdf', completed.body.position)))).not.toContain('李明');

    const after = await status();
    expect(after.units.map((u: { state: string }) => u.state)).toEqual(['not-started', 'submitted', 'submitted', 'not-started']);
    expect(after.signOff).toMatchObject({ reporter: { name: '李明' }, reportDate: '2021-07-12', notReported: ['gd-energy', 'sz-grid'], asOfPosition: signed.body.position });

    // Nothing changes after the sign-off, and the period is locked: a figure is refused, a correction is late.
    expect((await callers.huang('post', STEP('gd-grid', 'return')).send({ reason: '再核' }).expect(409)).body.problems[0].reason).toContain('已由 李明 于 2021-07-12 签发');
    await callers.li('post', SIGN_OFF).expect(409);
    clock.advance(60_000);
    expect((await submit('gz', figure('gz-grid', 5, 'sanling-other')).expect(409)).body.problems[0].reason).toContain('report nea-attachment-3 for 2021-H1 was signed off');

    // The history shows every step with who and when.
    const history = (await callers.auditor('get', '/api/ledgers/gd-2021/history').expect(200)).body.entries as { type: string; actor: string; recordedAt: string; unit: string | null }[];
    const steps = history.filter((e) => /^Figures|^ReportSignedOff/.test(e.type)).map((e) => [e.type, e.actor, e.unit]);
    expect(steps).toEqual([
      ['FiguresMarkedComplete', 'person:chen', 'gd-grid'],
      ['FiguresReturned', 'person:huang', 'gd-grid'],
      ['FiguresMarkedComplete', 'person:chen', 'gd-grid'],
      ['FiguresApproved', 'person:huang', 'gd-grid'],
      ['FiguresMarkedComplete', expect.stringMatching(/^token:/), 'gz-grid'],
      ['FiguresApproved', 'person:zhou', 'gz-grid'],
      ['ReportSignedOff', 'person:li', null],
    ]);
    expect(history.find((e) => e.type === 'ReportSignedOff')?.recordedAt).toBe('2021-07-12T03:00:00.000Z');
  });

  it('answers 403 to the wrong unit or role, 404 to an unknown report or unit, 400 to a bad period', async () => {
    await signInAgain();
    const forbidden: [string, 'get' | 'post', string][] = [
      ['chen', 'post', STEP('gz-grid', 'complete')], // a submitter of another unit
      ['huang', 'post', STEP('gz-grid', 'approve')], // a reviewer of another unit
      ['huang', 'post', STEP('gd-grid', 'complete')], // a reviewer never submits
      ['chen', 'post', STEP('gd-grid', 'approve')], // a submitter never reviews
      ['gz', 'post', STEP('gz-grid', 'return')],
      ['auditor', 'post', STEP('gz-grid', 'complete')],
      ['chen', 'post', SIGN_OFF],
      ['huang', 'post', SIGN_OFF],
      ['regulator-script', 'post', SIGN_OFF], // the 填报人 is a person: a token cannot sign off
      ['chen', 'get', `${REVIEW}?period=2021-H1`], // a submitter reads its own unit only
      ['chen', 'get', `${REVIEW}?period=2021-H1&unit=gz-grid`],
    ];
    for (const [as, method, path] of forbidden) {
      const response = await callers[as](method, path).send({ reason: 'x' });
      expect({ as, path, status: response.status }).toEqual({ as, path, status: 403 });
    }
    expect((await callers.chen('get', `${REVIEW}?period=2021-H1&unit=gd-grid`).expect(200)).body.units).toHaveLength(1);
    await request(server).post(STEP('gd-grid', 'complete')).expect(401);
    await callers.li('post', '/api/ledgers/gd-2021/reviews/no-such-report/2021-H1/sign-off').expect(404);
    await callers.auditor('get', '/api/ledgers/gd-2021/reviews/nea-attachment-3?period=2021-H3').expect(400);
    await callers.auditor('get', '/api/ledgers/gd-2021/reviews/nea-attachment-3').expect(400);
    await callers.gz('post', `${REVIEW}/2021-Q3/units/gz-grid/complete`).expect(400);
  });
});
