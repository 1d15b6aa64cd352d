import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { CreatePersonCommand } from '../../src/access/people/create-person.command';
import { adminPrincipal } from '../../src/access/principal';
import { FixedClock } from '../../src/event-sourcing/clock';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { registerShippedProgrammes } from '../../src/programmes/shipped-programmes';
import { bootTestApp } from '../support/boot-test-app';

const ROOT = adminPrincipal('system:test');

/** People over HTTP: sign-in, the one-time password, CSRF, lockout, expiry, sign-out, and who is recorded as acting. */
describe('sessions and people over HTTP', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-sessions-'));
  const clock = new FixedClock(new Date('2021-07-01T08:00:00Z'));
  let app: INestApplication;
  let commands: CommandBus;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app } = await bootTestApp({ directory, liveProjections: false, clock }));
    commands = app.get(CommandBus);
    await registerShippedProgrammes(commands, app.get(EVENT_STORE), systemContext('test'));
    const units = 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,gd-energy\n';
    await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', units, 'units.csv', systemContext('test')));
    await commands.execute(new OpenLedgerCommand('gx-2021', 'nea-2021-37', '广西', 'id,name,role,parent\ngx-grid,广西电网,supply-company,\n', 'units.csv', systemContext('test')));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  let counter = 0;
  async function person(role: 'submitter' | 'regulator' | 'admin' = 'submitter', ledger: string | null = 'gd-2021', unit = 'gd-grid') {
    const login = `p${++counter}.${role}`;
    const { oneTimePassword } = await commands.execute(new CreatePersonCommand({ login, name: `测试${counter}`, contact: '020-1', language: 'zh', grants: [{ ledger, unit, role }] }, ROOT));
    return { login, oneTimePassword };
  }

  /** Signs in and changes the one-time password; returns the session cookie and CSRF token. */
  async function signedIn(role: 'submitter' | 'regulator' | 'admin' = 'submitter', ledger: string | null = 'gd-2021', unit = 'gd-grid') {
    const { login, oneTimePassword } = await person(role, ledger, unit);
    const first = await http().post('/api/session').send({ login, password: oneTimePassword }).expect(201);
    const changed = await http()
      .post('/api/session/password')
      .set('Cookie', cookieOf(first))
      .set('X-CSRF-Token', first.body.csrfToken)
      .send({ currentPassword: oneTimePassword, password: 'a-long-and-new-secret' })
      .expect(201);
    return { login, cookie: cookieOf(changed), csrf: changed.body.csrfToken as string };
  }

  const cookieOf = (response: request.Response) => (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('cl_session='))!.split(';')[0];

  it('signs in with a httpOnly, SameSite=Strict cookie and answers who is calling; never a password hash', async () => {
    const { login, oneTimePassword } = await person();
    const response = await http().post('/api/session').send({ login, password: oneTimePassword }).expect(201);
    const cookie = (response.headers['set-cookie'] as unknown as string[])[0];
    expect(cookie).toMatch(/^cl_session=[A-Za-z0-9_-]{43}; Path=\/; Expires=.*; HttpOnly; SameSite=Strict$/);
    expect(response.body).toMatchObject({ login, name: expect.any(String), language: 'zh', mustChangePassword: true, grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }] });
    expect(JSON.stringify(response.body)).not.toMatch(/scrypt|passwordHash/);
    const me = await http().get('/api/session').set('Cookie', cookieOf(response)).expect(200);
    expect(me.body).toMatchObject({ kind: 'person', login, csrfToken: response.body.csrfToken });
  });

  it('answers a wrong password and an unknown login the same way', async () => {
    const { login } = await person();
    const wrong = await http().post('/api/session').send({ login, password: 'wrong-password' }).expect(401);
    const unknown = await http().post('/api/session').send({ login: 'nobody.at.all', password: 'wrong-password' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ error: 'unauthenticated', problems: [{ reason: 'wrong login or password' }] });
  });

  it('holds a one-time password to its change: every other route is 403 until then, and the change needs the CSRF token', async () => {
    const { login, oneTimePassword } = await person();
    const first = await http().post('/api/session').send({ login, password: oneTimePassword }).expect(201);
    const refused = await http().get('/api/programmes').set('Cookie', cookieOf(first)).expect(403);
    expect(refused.body.problems[0].field).toBe('password');
    const noCsrf = await http().post('/api/session/password').set('Cookie', cookieOf(first)).send({ currentPassword: oneTimePassword, password: 'a-long-and-new-secret' }).expect(403);
    expect(noCsrf.body.problems[0].field).toBe('X-CSRF-Token');
    const badCurrent = await http().post('/api/session/password').set('Cookie', cookieOf(first)).set('X-CSRF-Token', first.body.csrfToken).send({ currentPassword: 'nope', password: 'a-long-and-new-secret' }).expect(400);
    expect(badCurrent.body.problems[0].field).toBe('currentPassword');
    const changed = await http().post('/api/session/password').set('Cookie', cookieOf(first)).set('X-CSRF-Token', first.body.csrfToken).send({ currentPassword: oneTimePassword, password: 'a-long-and-new-secret' }).expect(201);
    // The old session ended with the old password; the new cookie works.
    await http().get('/api/programmes').set('Cookie', cookieOf(first)).expect(401);
    await http().get('/api/programmes').set('Cookie', cookieOf(changed)).expect(200);
    await http().post('/api/session').send({ login, password: oneTimePassword }).expect(401);
    await http().post('/api/session').send({ login, password: 'a-long-and-new-secret' }).expect(201);
  });

  it('refuses a state-changing cookie request without the CSRF token, and records the person as the actor when it carries one', async () => {
    const { login, cookie, csrf } = await signedIn();
    const record = { type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '1', status: 'in-progress', on: '2021-06-30', note: '已启动' };
    const head = await app.get<EventStore>(EVENT_STORE).headPosition();
    await http().post('/api/ledgers/gd-2021/submissions').set('Cookie', cookie).send(record).expect(403);
    await http().post('/api/ledgers/gd-2021/submissions').set('Cookie', cookie).set('X-CSRF-Token', 'x'.repeat(32)).send(record).expect(403);
    expect(await app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head);
    const created = await http().post('/api/ledgers/gd-2021/submissions').set('Cookie', cookie).set('X-CSRF-Token', csrf).send(record).expect(201);
    const events = [];
    for await (const event of app.get<EventStore>(EVENT_STORE).readAll({ after: created.body.position - 1, maxCount: 1 })) events.push(event);
    expect(events[0].metadata).toMatchObject({ actor: `person:${login}`, role: 'submitter', unit: 'gd-grid' });
  });

  it('locks a login after five failures for a while, whether or not it exists, with Retry-After; the right password waits too', async () => {
    const { login, oneTimePassword } = await person();
    for (const name of [login, 'ghost.login']) {
      for (let i = 0; i < 5; i++) await http().post('/api/session').send({ login: name, password: `wrong-${i}` }).expect(401);
      const locked = await http().post('/api/session').send({ login: name, password: 'wrong-again' }).expect(429);
      expect(locked.headers['retry-after']).toBe('900');
      expect(locked.body.problems[0].field).toBe('login');
    }
    await http().post('/api/session').send({ login, password: oneTimePassword }).expect(429);
    clock.advance(15 * 60_000);
    await http().post('/api/session').send({ login, password: oneTimePassword }).expect(201);
  });

  it('ends a session after 30 idle minutes, and after 12 hours whatever happens', async () => {
    const { cookie } = await signedIn('regulator', null, 'nea');
    clock.advance(29 * 60_000);
    await http().get('/api/programmes').set('Cookie', cookie).expect(200);
    clock.advance(30 * 60_000);
    await http().get('/api/programmes').set('Cookie', cookie).expect(401);

    const busy = await signedIn('regulator', null, 'nea');
    for (let i = 0; i < 26; i++) {
      clock.advance(28 * 60_000);
      await http().get('/api/programmes').set('Cookie', busy.cookie).expect(i < 25 ? 200 : 401);
    }
  });

  it('signs out (the cookie stops working at once), and disabling an account ends its sessions', async () => {
    const { cookie, csrf } = await signedIn();
    await http().delete('/api/session').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(204);
    await http().get('/api/session').set('Cookie', cookie).expect(401);

    const other = await signedIn();
    const admin = await signedIn('admin', 'gd-2021', 'gd-energy');
    await http().post(`/api/people/${other.login}/disable`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).send({ reason: '调离' }).expect(201);
    await http().get('/api/session').set('Cookie', other.cookie).expect(401);
  });

  it('an admin of one ledger manages only that ledger’s people and tokens; it cannot mint a grant on every ledger', async () => {
    const admin = await signedIn('admin', 'gd-2021', 'gd-energy');
    const as = (r: request.Test) => r.set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf);
    const created = await as(http().post('/api/people')).send({ login: 'wang.fang', name: '王芳', contact: '', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }] }).expect(201);
    expect(created.body.oneTimePassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    await as(http().post('/api/people')).send({ login: 'zhou.gx', name: '周', contact: '', language: 'zh', grants: [{ ledger: 'gx-2021', unit: 'gx-grid', role: 'submitter' }] }).expect(403);
    await as(http().post('/api/people')).send({ login: 'root.two', name: '根', contact: '', language: 'zh', grants: [{ ledger: null, unit: 'it', role: 'admin' }] }).expect(403);
    await as(http().post('/api/tokens')).send({ unit: 'it', role: 'admin' }).expect(403);
    await as(http().post('/api/tokens')).send({ unit: 'gd-grid', role: 'submitter', ledger: 'gd-2021' }).expect(201);
    // The same with a bound admin token (the escalation that was possible before).
    const bound = await commands.execute(new IssueTokenCommand({ unit: 'gd-energy', role: 'admin', ledger: 'gd-2021', label: null }, ROOT));
    await http().post('/api/tokens').set('Authorization', `Bearer ${bound.token}`).send({ unit: 'it', role: 'admin' }).expect(403);
    await http().post('/api/programmes').set('Authorization', `Bearer ${bound.token}`).send({}).expect(403);
    await http().post('/api/ledgers/gx-2021/units').set('Authorization', `Bearer ${bound.token}`).send({ units: [{ id: 'x', name: 'X', role: 'supply-company' }] }).expect(403);
    const listed = await as(http().get('/api/people')).expect(200);
    expect(listed.body.map((p: { login: string }) => p.login)).toContain('wang.fang');
    expect(listed.body.every((p: { grants: { ledger: string | null }[] }) => p.grants.every((g) => g.ledger === 'gd-2021'))).toBe(true);
    const reset = await as(http().post('/api/people/wang.fang/password-reset')).expect(201);
    expect(reset.body.oneTimePassword).not.toBe(created.body.oneTimePassword);
  });

  it('answers in the caller’s language: the person’s setting, else Accept-Language; the field stays as sent', async () => {
    const zh = await http().post('/api/session').set('Accept-Language', 'zh-CN,zh;q=0.9').send({ login: 'nobody.zh', password: 'wrong-password' }).expect(401);
    expect(zh.body.problems).toEqual([{ reason: '登录名或密码错误' }]);
    const vi = await http().get('/api/programmes').set('Accept-Language', 'vi-VN').expect(401);
    expect(vi.body.problems).toEqual([{ field: 'Authorization', reason: expect.stringMatching(/^không có người gọi/) }]);
    const en = await http().get('/api/programmes').set('Authorization', 'Bearer clt_nonsense').expect(401);
    expect(en.body.problems).toEqual([{ field: 'Authorization', reason: 'the bearer token is not valid: it is unknown, revoked or expired, or its secret is wrong' }]);
    const { cookie } = await signedIn();
    // A Chinese clerk's own setting wins over the browser's header.
    const refused = await http().post('/api/ledgers/gd-2021/submissions').set('Cookie', cookie).set('Accept-Language', 'en').send({}).expect(403);
    expect(refused.body.problems).toEqual([{ field: 'X-CSRF-Token', reason: expect.stringMatching(/^使用会话 Cookie 的修改请求必须携带/) }]);
  });
});
