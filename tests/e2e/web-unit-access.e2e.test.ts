import { QueryBus } from '@nestjs/cqrs';
import request from 'supertest';
import { HistoryQuery, type HistoryPage } from '../../src/ledgers/queries/history.query';
import { startWebApp, type WebApp } from '../support/web-app';

/** The unit pages check the grants on every read and write, and refuse a cookie POST without the CSRF token, the upload included. */
describe('web: the unit pages’ grants and CSRF (real app, embedded store)', () => {
  let web: WebApp;

  /** A signed-in person's cookie and CSRF token, their one-time password changed through the API. */
  async function session(login: string, grants: { ledger: string; unit: string; role: 'submitter' | 'reviewer' | 'regulator' }[]): Promise<{ cookie: string; csrf: string }> {
    const oneTime = await web.createPerson({ login, name: login, contact: '', language: 'en', grants });
    const first = await request(web.base).post('/api/session').send({ login, password: oneTime }).expect(201);
    const cookie = String(first.headers['set-cookie'][0]).split(';')[0];
    const changed = await request(web.base).post('/api/session/password').set('Cookie', cookie).set('X-CSRF-Token', first.body.csrfToken).send({ currentPassword: oneTime, password: 'Guangzhou-2021-grid' }).expect(201);
    return { cookie: String(changed.headers['set-cookie'][0]).split(';')[0], csrf: changed.body.csrfToken };
  }
  const history = async () => ((await web.app.get(QueryBus).execute(new HistoryQuery('gd-2021', { unit: 'gd-grid' }))) as HistoryPage).entries;
  const households = 'fig|benefit.households|service=sanling-residential';

  beforeAll(async () => {
    web = await startWebApp();
    await web.openLedger('gd-2021', 'nea-2021-37', '广东省', [
      { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority', parent: null },
      { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: 'gd-energy' },
      { id: 'gz-local', name: '广州增量配电有限公司', role: 'supply-company', parent: 'gd-energy' },
    ]);
  });
  afterAll(async () => web?.close());

  it('lets a reviewer and a regulator read a unit’s pages without a way to submit, and refuses their posts; nothing is appended', async () => {
    for (const [login, role, unit] of [['shen.he', 'reviewer', 'gd-grid'], ['jian.guan', 'regulator', 'gd-energy']] as const) {
      const { cookie, csrf } = await session(login, [{ ledger: 'gd-2021', unit, role }]);
      const page = await request(web.base).get('/ledgers/gd-2021/units/gd-grid/figures?period=2021-H1').set('Cookie', cookie).expect(200);
      expect(page.text).toContain('受益户数(户)');
      expect(page.text).not.toContain('type="submit">Submit figures');
      expect(page.text).toMatch(/name="fig\|benefit\.households\|service=sanling-residential"[^>]*readonly/);
      const posted = await request(web.base).post('/ledgers/gd-2021/units/gd-grid/figures').set('Cookie', cookie).type('form').send({ _csrf: csrf, period: '2021-H1', [households]: '5' });
      expect(posted.status).toBe(403);
      expect(posted.text).toContain('You may not do this');
      await request(web.base).get('/ledgers/gd-2021/units/gd-grid/workbook').set('Cookie', cookie).expect(403);
    }
    // A reviewer of one unit does not read another's.
    const { cookie } = await session('shen.he2', [{ ledger: 'gd-2021', unit: 'gz-local', role: 'reviewer' }]);
    await request(web.base).get('/ledgers/gd-2021/units/gd-grid').set('Cookie', cookie).expect(403);
    expect(await history()).toEqual([]);
  });

  it('refuses a form post or a workbook upload without the session’s CSRF token, and a submitter’s post for another unit', async () => {
    const { cookie, csrf } = await session('chen.li', [{ ledger: 'gd-2021', unit: 'gz-local', role: 'submitter' }]);
    await request(web.base).post('/ledgers/gd-2021/units/gz-local/figures').set('Cookie', cookie).type('form').send({ period: '2021-H1', [households]: '5' }).expect(403);
    await request(web.base).post('/ledgers/gd-2021/units/gz-local/workbook').set('Cookie', cookie).attach('file', Buffer.from('not a workbook'), 'w.xlsx').expect(403);
    await request(web.base).post('/ledgers/gd-2021/units/gd-grid/figures').set('Cookie', cookie).type('form').send({ _csrf: csrf, period: '2021-H1', [households]: '5' }).expect(403);
    // With the token, the upload is read and refused for what it is, next to the file.
    const upload = await request(web.base).post('/ledgers/gd-2021/units/gz-local/workbook').set('Cookie', cookie).field('_csrf', csrf).attach('file', Buffer.from('not a workbook'), 'w.xlsx');
    expect(upload.status).toBe(400);
    expect(upload.text).toContain('The workbook was refused and nothing was recorded');
    const empty = await request(web.base).post('/ledgers/gd-2021/units/gz-local/workbook').set('Cookie', cookie).field('_csrf', csrf);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Choose the .xlsx file to upload');
    const posted = await request(web.base).post('/ledgers/gd-2021/units/gz-local/figures').set('Cookie', cookie).type('form').send({ _csrf: csrf, period: '2021-H1', [households]: '5' }).expect(303);
    expect(posted.headers.location).toBe('/ledgers/gd-2021/units/gz-local/figures?period=2021-H1&saved=1');
    expect(((await web.app.get(QueryBus).execute(new HistoryQuery('gd-2021', { unit: 'gz-local' }))) as HistoryPage).entries).toHaveLength(1);
    // A submitter marks its own figures complete but does not approve them: that is a reviewer's.
    await request(web.base).post('/ledgers/gd-2021/units/gz-local/review/complete').set('Cookie', cookie).type('form').send({ _csrf: csrf, reportId: 'nea-attachment-3', period: '2021-H1' }).expect(303);
    const approve = await request(web.base).post('/ledgers/gd-2021/units/gz-local/review/approve').set('Cookie', cookie).type('form').send({ _csrf: csrf, reportId: 'nea-attachment-3', period: '2021-H1' });
    expect(approve.status).toBe(403);
    await request(web.base).post('/ledgers/gd-2021/units/gz-local/review/complete').type('form').set('Cookie', cookie).send({ reportId: 'nea-attachment-3', period: '2021-H1' }).expect(403);
    expect(await history()).toEqual([]);
  });
});
