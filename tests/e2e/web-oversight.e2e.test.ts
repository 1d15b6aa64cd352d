import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixedClock } from '../../src/event-sourcing/clock';
import { startWebApp, type WebApp } from '../support/web-app';

/** The oversight pages refuse whoever may not use them, and a form without the session's CSRF token, before doing anything. */
describe('web oversight pages: roles, grants and CSRF (HTTP)', () => {
  let web: WebApp;

  beforeAll(async () => {
    // Before the NEA calendar's first due day: the scheduler has no report to draw (or back-fill) while the test runs.
    web = await startWebApp({ clock: new FixedClock(new Date('2020-03-01T09:00:00+08:00')) });
    await web.openLedger('gd-2021', 'nea-2021-37', '广东省', [
      { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority', parent: null },
      { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: 'gd-energy' },
    ]);
    await web.openLedger('hn-2021', 'nea-2021-37', '海南省', [{ id: 'hn-energy', name: '海南省能源局', role: 'energy-authority', parent: null }]);
  });
  afterAll(() => web?.close());

  /** A person's session: the cookie, and the CSRF token its forms carry. */
  async function session(login: string, grants: { ledger: string | null; unit: string; role: 'submitter' | 'regulator' | 'auditor' | 'admin' }[]) {
    const oneTime = await web.createPerson({ login, name: login, contact: '', language: 'en', grants });
    const signIn = async (password: string) => {
      const response = await fetch(`${web.base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }) });
      return { cookie: response.headers.get('set-cookie')!.split(';')[0], csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
    };
    const first = await signIn(oneTime);
    const changed = await fetch(`${web.base}/api/session/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: first.cookie, 'X-CSRF-Token': first.csrf },
      body: JSON.stringify({ currentPassword: oneTime, password: 'a-long-new-passphrase-9' }),
    });
    expect(changed.status).toBeLessThan(300);
    return signIn('a-long-new-passphrase-9');
  }

  it('lets a regulator read its own ledger’s board and not another’s; a submitter reads no board', async () => {
    const regulator = await session('reg.one', [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'regulator' }]);
    expect((await fetch(`${web.base}/ledgers/gd-2021/board`, { headers: { Cookie: regulator.cookie } })).status).toBe(200);
    expect((await fetch(`${web.base}/ledgers/hn-2021/board`, { headers: { Cookie: regulator.cookie } })).status).toBe(403);
    expect((await fetch(`${web.base}/admin`, { headers: { Cookie: regulator.cookie } })).status).toBe(403);
    const submitter = await session('sub.one', [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }]);
    expect((await fetch(`${web.base}/ledgers/gd-2021/board`, { headers: { Cookie: submitter.cookie } })).status).toBe(403);
    expect((await fetch(`${web.base}/audit`, { headers: { Cookie: submitter.cookie } })).status).toBe(403);
  });

  it('refuses an upload form without the CSRF token, and an admin of one ledger may not import a programme', async () => {
    const admin = await session('adm.gd', [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'admin' }]);
    const form = (csrf: string | null) => {
      const body = new FormData();
      if (csrf) body.set('_csrf', csrf);
      body.set('file', new Blob(['id,name,role,parent\ngd-sz,深圳供电局,supply-company,gd-energy\n'], { type: 'text/csv' }), 'units.csv');
      return body;
    };
    expect((await fetch(`${web.base}/admin/ledgers/gd-2021/units`, { method: 'POST', headers: { Cookie: admin.cookie }, body: form(null) })).status).toBe(403);
    const added = await fetch(`${web.base}/admin/ledgers/gd-2021/units`, { method: 'POST', headers: { Cookie: admin.cookie }, body: form(admin.csrf) });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain('1 units added.');
    // Units of another ledger: refused before anything is read.
    expect((await fetch(`${web.base}/admin/ledgers/hn-2021/units`, { method: 'POST', headers: { Cookie: admin.cookie }, body: form(admin.csrf) })).status).toBe(403);
    const programme = new FormData();
    programme.set('_csrf', admin.csrf);
    programme.set('file', new Blob(['id: x\n'], { type: 'application/yaml' }), 'x.yaml');
    const refused = await fetch(`${web.base}/admin/programmes`, { method: 'POST', headers: { Cookie: admin.cookie }, body: programme });
    expect(refused.status).toBe(403);
  });

  it('lets an admin of every ledger import a programme file: an unchanged one records nothing, a broken one is refused naming its line', async () => {
    const admin = await session('adm.all', [{ ledger: null, unit: 'it-team', role: 'admin' }]);
    const upload = async (name: string, text: string) => {
      const body = new FormData();
      body.set('_csrf', admin.csrf);
      body.set('file', new Blob([text], { type: 'application/yaml' }), name);
      const response = await fetch(`${web.base}/admin/programmes`, { method: 'POST', headers: { Cookie: admin.cookie }, body });
      return { status: response.status, page: await response.text() };
    };
    const same = await upload('nea-2021-37.yaml', readFileSync(join(__dirname, '../../templates/programmes/nea-2021-37.yaml'), 'utf8'));
    expect(same.status).toBe(200);
    expect(same.page).toContain('Programme nea-2021-37 is unchanged (version 1); nothing was recorded.');
    const broken = await upload('broken.yaml', 'id: [unclosed\n');
    expect(broken.status).toBe(400);
    // Each problem names the file's line (and path inside it); nothing recorded.
    expect(broken.page).toMatch(/<li>broken\.yaml:2:1[^<]*YAML[^<]*<\/li>[\s\S]*Nothing was recorded\./);
  });
});
