import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Debian's chromium driven by playwright-core (no browser download can work here). CI installs
 * `chromium`; `.ci/run` says so. Screenshots go to `screenshots/` (git-ignored) for people to look at.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// A browser story signs people in (scrypt) and renders whole pages: on a busy 2-core machine it takes
// longer than the suite's 30 s default, so every file that drives the browser gets two minutes a test.
jest.setTimeout(120_000);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export const SCREENSHOTS = join(__dirname, '..', '..', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // The pages' CJK font (two weights of ~10 MB, fetched on a machine without one) must be drawn, not the boxes before it loads;
  // on a busy machine that takes longer than the screenshot's 5 s default.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path, fullPage: true, timeout: 30_000 });
  return path;
}

/** Signs in through the page as a person would; returns once the next page has loaded. */
export async function signInAs(page: Page, base: string, login: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(/登录名|Tên đăng nhập|Login/).fill(login);
  await page.getByLabel(/^(密码|Mật khẩu|Password)$/).fill(password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /登录|Đăng nhập|Sign in/ }).click()]);
}
