import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { CreatePersonCommand } from '../../src/access/people/create-person.command';
import { adminPrincipal } from '../../src/access/principal';
import type { Role } from '../../src/access/roles';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { registerShippedProgrammes } from '../../src/programmes/shipped-programmes';
import type { ProgrammeTemplate } from '../../src/programmes/template';
import { bootTestApp } from '../support/boot-test-app';
import { cli } from '../support/cli-in-process';

const OCOP_TEMPLATE = join(__dirname, '..', '..', 'templates/programmes/camau-ocop-2022.yaml');

/** Refusals of access, passwords, reviews and OCOP in 简体中文, Tiếng Việt and English: Accept-Language over HTTP, --lang on the CLI, the person's setting on the web. */
describe('access, review and OCOP refusals in the caller’s language', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-languages-access-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const tokens: Record<string, string> = {};
  const head = () => app.get<EventStore>(EVENT_STORE).headPosition();

  const issue = async (unit: string, role: Role, ledger: string) =>
    (await app.get(CommandBus).execute(new IssueTokenCommand({ unit, role, ledger, label: null }, adminPrincipal('system:test')))).token as string;

  /** A person in their language, signed in with the one-time password still to change: a cookie and CSRF token. */
  async function signedIn(login: string, language: 'zh' | 'vi' | 'en', grants: { ledger: string; unit: string; role: Role }[]) {
    const created = await app.get(CommandBus).execute(new CreatePersonCommand({ login, name: login, contact: '', language, grants }, adminPrincipal('system:test')));
    const session = await http().post('/api/session').send({ login, password: created.oneTimePassword }).expect(201);
    return { cookie: String(session.headers['set-cookie']).split(';')[0], csrf: session.body.csrfToken as string, oneTime: created.oneTimePassword as string };
  }

  beforeAll(async () => {
    ({ app } = await bootTestApp({ store, liveProjections: false }));
    const commands = app.get(CommandBus);
    await registerShippedProgrammes(commands, app.get(EVENT_STORE), systemContext('test'));
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', 'id,name,role,parent\ngd-grid,广东电网有限责任公司,supply-company,\ngz-grid,广州供电局,supply-company,gd-grid\n', 'units.csv', systemContext('test')));
    await commands.execute(new RegisterProgrammeCommand(readFileSync(OCOP_TEMPLATE, 'utf8'), 'camau-ocop-2022.yaml', systemContext('test')));
    const roles = (parse(readFileSync(OCOP_TEMPLATE, 'utf8')) as ProgrammeTemplate).roles;
    const units = ['id,name,role,parent', ...roles.map((r) => `cm-${r.id},"${r.name}",${r.id},`)].join('\n');
    await commands.execute(new OpenLedgerCommand('camau-2022', 'camau-ocop-2022', 'Tỉnh Cà Mau', units, 'units.csv', systemContext('test')));
    tokens.submitter = await issue('gd-grid', 'submitter', 'gd-2021');
    tokens.reviewer = await issue('gd-grid', 'reviewer', 'gd-2021');
    tokens.council = await issue('cm-hoi-dong-cap-huyen', 'submitter', 'camau-2022');
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const as = (who: string, lang: string) => ({ Authorization: `Bearer ${tokens[who]}`, 'Accept-Language': lang });

  it('a role the caller does not hold, and a unit it may not submit for, over HTTP', async () => {
    const role = [];
    for (const lang of ['zh-CN', 'vi', 'en']) role.push((await http().get('/api/people').set(as('submitter', lang)).expect(403)).body.problems);
    expect(role.map((problems) => problems[0].reason)).toEqual([
      expect.stringMatching(/^此请求需要以下角色：admin（管理方案、台账、单位、人员和令牌.*）；token:\w+ 持有：台账 "gd-2021" 上的 submitter$/),
      expect.stringMatching(/^yêu cầu này dành cho admin \(quản lý chương trình, sổ, đơn vị.*\); token:\w+ đang có: submitter trên sổ "gd-2021"$/),
      expect.stringMatching(/^this request is for admin \(manages programmes, ledgers, units, people and tokens.*\); token:\w+ holds submitter on ledger "gd-2021"$/),
    ]);
    const record = { type: 'metric', ledger: 'gd-2021', unit: 'gz-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 5 };
    const before = await head();
    const unit = await http().post('/api/ledgers/gd-2021/submissions').set(as('submitter', 'vi')).send(record).expect(403);
    expect(unit.body.problems).toEqual([
      {
        field: 'unit',
        reason: expect.stringMatching(/^token:\w+ không được phép báo cáo cho đơn vị "gz-grid" của sổ "gd-2021": đang có submitter của đơn vị "gd-grid" trên sổ "gd-2021" \(chỉ báo cáo tiến độ/),
      },
    ]);
    expect(await head()).toBe(before);
  });

  it('a password change refused, in the person’s own language whatever the browser asks', async () => {
    const reasons = [];
    for (const language of ['zh', 'vi', 'en'] as const) {
      const person = await signedIn(`pw.${language}`, language, [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }]);
      const refused = await http()
        .post('/api/session/password')
        .set({ Cookie: person.cookie, 'X-CSRF-Token': person.csrf, 'Accept-Language': 'en' })
        .send({ currentPassword: person.oneTime, password: 'short' })
        .expect(400);
      reasons.push(refused.body.problems);
    }
    expect(reasons).toEqual([
      [{ field: 'password', reason: '至少需要 10 个字符' }],
      [{ field: 'password', reason: 'phải có ít nhất 10 ký tự' }],
      [{ field: 'password', reason: 'must be at least 10 characters' }],
    ]);
  });

  it('an OCOP rating of a product never registered, over HTTP and on the CLI', async () => {
    const rated = {
      type: 'ocop-rated',
      ledger: 'camau-2022',
      unit: 'cm-hoi-dong-cap-huyen',
      product: 'khong-co',
      stars: 3,
      level: 'district',
      round: 'Đợt 1/2022',
      on: '2022-05-01',
      council: 'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện',
    };
    const before = await head();
    const reasons = [];
    for (const lang of ['zh', 'vi', 'en']) reasons.push((await http().post('/api/ledgers/camau-2022/submissions').set(as('council', lang)).send(rated).expect(404)).body.problems);
    expect(reasons).toEqual([
      [{ field: 'product', reason: '台账 "camau-2022" 中没有登记产品 "khong-co"；请先登记（ocop-registered）' }],
      [{ field: 'product', reason: 'sổ "camau-2022" chưa đăng ký sản phẩm "khong-co"; hãy đăng ký trước (ocop-registered)' }],
      [{ field: 'product', reason: 'no product "khong-co" registered in ledger "camau-2022"; register it first (ocop-registered)' }],
    ]);
    const file = join(directory, 'rated.ndjson');
    writeFileSync(file, `${JSON.stringify(rated)}\n`);
    const submitted = await Promise.all(['zh', 'vi', 'en'].map((lang) => cli(store, 'submit', file, '--lang', lang)));
    expect(submitted.map((r) => [r.code, r.err])).toEqual([
      [1, [`error: ${file}:1 product: 台账 "camau-2022" 中没有登记产品 "khong-co"；请先登记（ocop-registered）`]],
      [1, [`error: ${file}:1 product: sổ "camau-2022" chưa đăng ký sản phẩm "khong-co"; hãy đăng ký trước (ocop-registered)`]],
      [1, [`error: ${file}:1 product: no product "khong-co" registered in ledger "camau-2022"; register it first (ocop-registered)`]],
    ]);
    expect(await head()).toBe(before);
  });

  it('a review step on figures never marked complete, and a review of a report the programme does not owe', async () => {
    const approve = '/api/ledgers/gd-2021/reviews/nea-attachment-3/2021-H1/units/gd-grid/approve';
    const reasons = [];
    for (const lang of ['zh', 'vi', 'en']) reasons.push((await http().post(approve).set(as('reviewer', lang)).send({}).expect(409)).body.problems);
    expect(reasons).toEqual([
      [{ field: 'unitId', reason: '单位 "gd-grid" 在台账 "gd-2021" 2021-H1 期的 nea-attachment-3 中的数据 尚未标记完成：只有已标记完成的数据才能审核通过' }],
      [{ field: 'unitId', reason: 'số liệu của đơn vị "gd-grid" cho nea-attachment-3 kỳ 2021-H1 của sổ "gd-2021" chưa được đánh dấu hoàn thành: chỉ số liệu đã đánh dấu hoàn thành mới được duyệt' }],
      [{ field: 'unitId', reason: 'unit "gd-grid"\'s figures for nea-attachment-3 for 2021-H1 of ledger "gd-2021" are not marked complete: only figures marked complete can be approved' }],
    ]);
    const owed = await http().post('/api/ledgers/gd-2021/reviews/no-such-report/2021-H1/units/gd-grid/approve').set(as('reviewer', 'zh')).send({}).expect(404);
    expect(owed.body.problems).toEqual([{ field: 'reportId', reason: expect.stringMatching(/^计划 nea-2021-37 不需要报表 "no-such-report"（其报表：.*nea-attachment-3.*）$/) }]);
  });

  it('on the web, a unit the person may not read, in the person’s language', async () => {
    const pages = [];
    for (const language of ['zh', 'vi', 'en'] as const) {
      const person = await signedIn(`web.${language}`, language, [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }]);
      const changed = await http()
        .post('/api/session/password')
        .set({ Cookie: person.cookie, 'X-CSRF-Token': person.csrf })
        .send({ currentPassword: person.oneTime, password: `Guangzhou-2021-${language}-grid` })
        .expect(201);
      const cookie = String(changed.headers['set-cookie']).split(';')[0];
      pages.push((await http().get('/ledgers/gd-2021/units/gz-grid').set({ Cookie: cookie, 'Accept-Language': 'en' }).expect(403)).text);
    }
    expect(pages[0]).toMatch(/unit: person:web\.zh 无权查阅台账 &quot;gd-2021&quot; 的单位 &quot;gz-grid&quot;：其持有的授权为 台账 &quot;gd-2021&quot; 上单位 &quot;gd-grid&quot; 的 submitter（只能为本单位填报/);
    expect(pages[1]).toMatch(/unit: person:web\.vi không được phép xem đơn vị &quot;gz-grid&quot; của sổ &quot;gd-2021&quot;: đang có submitter của đơn vị &quot;gd-grid&quot;/);
    expect(pages[2]).toMatch(/unit: person:web\.en may not read unit &quot;gz-grid&quot; of ledger &quot;gd-2021&quot;: it holds submitter of unit &quot;gd-grid&quot;/);
  });
});
