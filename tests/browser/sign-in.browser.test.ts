import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot, signInAs } from '../support/browser';
import { startWebApp, type WebApp } from '../support/web-app';

/** Signing in, the one-time password, the language, signing out: in a real browser, as a person does it. */
describe('web: sign-in, first password, language, sign-out (chromium)', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebApp();
    browser = await launchBrowser();
    await web.openLedger('gd-2021', 'nea-2021-37', '广东省', [
      { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority', parent: null },
      { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: 'gd-energy' },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('sends a stranger to the sign-in page, refuses a wrong password without saying whether the login exists, and lets the person in with the one-time password only to change it', async () => {
    const oneTime = await web.createPerson({ login: 'chen.li', name: '陈丽', contact: '020-1234567', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }] });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.setDefaultTimeout(5000);
    await page.goto(`${web.base}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await screenshot(page, 'sign-in-zh');

    await signInAs(page, web.base, 'chen.li', 'not-the-password');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('登录名或密码错误');
    await signInAs(page, web.base, 'nobody.here', 'not-the-password');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('登录名或密码错误');

    await signInAs(page, web.base, 'chen.li', oneTime);
    expect(new URL(page.url()).pathname).toBe('/account/password');
    // With a one-time password every other page leads back here.
    await page.goto(`${web.base}/`);
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await page.getByLabel('当前密码').fill(oneTime);
    // The server's refusal is shown next to the field it concerns (the browser itself checks the length).
    await page.getByLabel('新密码（至少 10 个字符）').fill('chen.li-2021-gz');
    await page.getByLabel('再次输入新密码').fill('chen.li-2021-gz');
    await page.getByRole('button', { name: '保存新密码' }).click();
    await expect(page.locator('#password-error').textContent()).resolves.toContain('不能包含登录名');
    await expect(page.getByLabel('新密码（至少 10 个字符）').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('当前密码').fill(oneTime);
    await page.getByLabel('新密码（至少 10 个字符）').fill('绿色电网-2021-广州');
    await page.getByLabel('再次输入新密码').fill('绿色电网-2021-广州');
    await page.getByRole('button', { name: '保存新密码' }).click();
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByRole('heading', { level: 2, name: '广东省' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'home-zh');

    // The person chooses Vietnamese: the interface follows at once.
    await page.goto(`${web.base}/account`);
    await page.getByLabel('界面语言').selectOption('vi');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã lưu.');
    await page.goto(`${web.base}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sổ của tôi');
    await screenshot(page, 'home-vi');

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.goto(`${web.base}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });

  it('serves its own font, regular and bold, to anyone (the sign-in page needs it), and nothing else by that path', async () => {
    for (const weight of ['400', '700']) {
      const response = await fetch(`${web.base}/assets/fonts/noto-sans-sc-${weight}.ttf`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('font/ttf');
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    }
    expect((await fetch(`${web.base}/assets/fonts/noto-sans-sc-300.ttf`)).status).toBe(404);
  });

  it('works with the keyboard alone, and at phone width', async () => {
    const oneTime = await web.createPerson({ login: 'le.van.an', name: 'Lê Văn An', contact: '', language: 'en', grants: [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'regulator' }] });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${web.base}/sign-in?lang=en`);
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab');
    // Tab order reaches the login field, then the password, then the button.
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== 'login'; i++) await page.keyboard.press('Tab');
    await page.keyboard.type('le.van.an');
    await page.keyboard.press('Tab');
    await page.keyboard.type(oneTime);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/account\/password$/);
    await screenshot(page, 'password-en-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await page.close();
  });
});
