import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Browser } from 'playwright-core';
import { FixedClock } from '../../src/event-sourcing/clock';
import { systemContext } from '../../src/event-sourcing/request-context';
import { DEMO_LEDGERS } from '../../src/demo/demo-ledgers';
import { unitsCsv } from '../../src/ledgers/open-ledger/units-csv';
import { BulkSubmitCommand } from '../../src/ledgers/submit/bulk-submit.command';
import { GetProgrammeQuery } from '../../src/programmes/queries/programme-queries';
import type { ProgrammeTemplate } from '../../src/programmes/template';
import { launchBrowser, screenshot, signInAs } from '../support/browser';
import { signInNewPerson } from '../support/oversight-story';
import { startWebApp, type WebApp } from '../support/web-app';

/** The administrator's story, from sign-in: open Cà Mau's OCOP ledger from its units.csv, see its OCOP views, create a person (the one-time password shown once), issue and revoke a token. */
describe('web: the administrator’s pages and the OCOP views (chromium)', () => {
  const clock = new FixedClock(new Date('2022-12-01T09:00:00+07:00'));
  let web: WebApp;
  let browser: Browser;
  let unitsFile: string;

  beforeAll(async () => {
    web = await startWebApp({ clock });
    browser = await launchBrowser();
    const camau = DEMO_LEDGERS.find((l) => l.ledgerId === 'camau-2022')!;
    const template: ProgrammeTemplate = await web.app.get(QueryBus).execute(new GetProgrammeQuery('camau-ocop-2022'));
    unitsFile = unitsCsv(camau.units(template));
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('opens a ledger from units.csv, shows its OCOP views, creates a person whose one-time password is shown once, and issues and revokes a token', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    page.setDefaultTimeout(5000);
    await signInNewPerson(web, page, { login: 'pham.quan.tri', name: 'Phạm Quản Trị', language: 'vi', grants: [{ ledger: null, unit: 'it-team', role: 'admin' }] });
    await page.getByRole('link', { name: 'Quản trị' }).click();
    await page.getByLabel('Mã sổ').fill('camau-2022');
    await page.getByRole('combobox', { name: 'Chương trình' }).selectOption('camau-ocop-2022');
    await page.getByLabel('Tên sổ').fill('Tỉnh Cà Mau');
    await page.getByLabel('Danh sách đơn vị units.csv').setInputFiles({ name: 'units.csv', mimeType: 'text/csv', buffer: Buffer.from(unitsFile) });
    await page.getByRole('button', { name: 'Mở sổ', exact: true }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/Đã mở sổ camau-2022 với \d+ đơn vị\./);
    // Opening it again is refused next to the ledger id.
    await page.getByLabel('Mã sổ').fill('camau-2022');
    await page.getByRole('combobox', { name: 'Chương trình' }).selectOption('camau-ocop-2022');
    await page.getByLabel('Danh sách đơn vị units.csv').setInputFiles({ name: 'units.csv', mimeType: 'text/csv', buffer: Buffer.from(unitsFile) });
    await page.getByRole('button', { name: 'Mở sổ', exact: true }).click();
    await expect(page.locator('#ledgerId-error').textContent()).resolves.toContain('camau-2022');
    await screenshot(page, 'admin-vi');

    // The province's OCOP season, as the districts record it.
    const season = DEMO_LEDGERS.find((l) => l.ledgerId === 'camau-2022')!.ocopSeason!();
    await web.app.get(CommandBus).execute(new BulkSubmitCommand(season.map((r) => JSON.stringify(r)).join('\n'), 'ocop.ndjson', systemContext('test')));
    await page.goto(`${web.base}/ledgers/camau-2022/ocop?period=2022`);
    await expect(page.locator('table[aria-labelledby=ocop-targets]').textContent()).resolves.toContain('Huyện Cái Nước');
    await expect(page.locator('table[aria-labelledby=ocop-counts] tbody tr').count()).resolves.toBeGreaterThan(3);
    await screenshot(page, 'ocop-vi');

    await page.goto(`${web.base}/admin/people?ledger=camau-2022`);
    await page.getByLabel('Tên đăng nhập').fill('le.thi.hoa');
    await page.getByLabel('Họ và tên').fill('Lê Thị Hoa');
    await page.getByLabel('Vai trò').selectOption('submitter');
    await page.getByLabel('Đơn vị (mã)').fill('cm-district-2');
    await page.getByLabel('Sổ', { exact: true }).selectOption('*');
    await page.getByRole('button', { name: 'Tạo và cấp mật khẩu một lần' }).click();
    const oneTime = (await page.locator('#one-time-password').textContent())!.trim();
    expect(oneTime.length).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'people-vi');
    // Shown once: the list again, or the person's page, never shows it.
    await page.goto(`${web.base}/admin/people`);
    await expect(page.locator('#one-time-password').count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(oneTime);
    await page.getByRole('link', { name: 'le.thi.hoa' }).click();
    await expect(page.content()).resolves.not.toContain(oneTime);
    // And it is the real one: the clerk signs in with it and is asked to choose her own.
    const clerk = await browser.newPage({ locale: 'vi-VN' });
    await signInAs(clerk, web.base, 'le.thi.hoa', oneTime);
    expect(new URL(clerk.url()).pathname).toBe('/account/password');
    await clerk.close();

    await page.goto(`${web.base}/admin/tokens`);
    await page.getByLabel('Đơn vị (mã)').fill('cm-district-3');
    await page.getByLabel('Sổ', { exact: true }).selectOption('*');
    await page.getByRole('button', { name: 'Cấp', exact: true }).click();
    await expect(page.locator('#token-secret').textContent()).resolves.toMatch(/^clt_/);
    const tokenId = (await page.locator('table[aria-labelledby=tokens] tbody tr code').first().textContent())!;
    await page.getByLabel(`Lý do thu hồi ${tokenId}`).fill('Thử nghiệm xong');
    await page.getByRole('button', { name: 'Thu hồi' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(`Đã thu hồi mã ${tokenId}.`);
    await screenshot(page, 'tokens-vi');
    await page.close();
  });

  it('draws the administration and the OCOP views in Chinese and English', async () => {
    for (const [lang, login] of [['zh', 'zhao.guanli'], ['en', 'sam.admin']] as const) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      page.setDefaultTimeout(5000);
      await signInNewPerson(web, page, { login, name: login, language: lang, grants: [{ ledger: null, unit: 'it-team', role: 'admin' }] });
      for (const [path, name] of [['/admin', 'admin'], ['/admin/programmes', 'programmes'], ['/admin/people', 'people'], ['/admin/ledgers/camau-2022', 'admin-ledger'], ['/ledgers/camau-2022/ocop?period=2022', 'ocop']]) {
        const response = await page.goto(`${web.base}${path}`);
        expect(response?.status()).toBe(200);
        await screenshot(page, `${name}-${lang}`);
      }
      await page.close();
    }
  });
});
