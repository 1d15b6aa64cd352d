import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/event-sourcing/clock';
import { ReportScheduler } from '../../src/reports/schedule/report-scheduler';
import { launchBrowser, screenshot } from '../support/browser';
import { GD_UNITS, signInNewPerson, unitClient } from '../support/oversight-story';
import { startWebApp, type WebApp } from '../support/web-app';

/** The auditor's story, from sign-in: the board as it stood before a correction, the correction in the history, a downloaded report verified against the log. */
describe('web: the auditor’s board as of a past moment, history and verification (chromium)', () => {
  const clock = new FixedClock(new Date('2021-07-01T09:00:00+08:00'));
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebApp({ clock });
    browser = await launchBrowser();
    await web.openLedger('gd-2021', 'nea-2021-37', '广东省', GD_UNITS);
    const grid = await unitClient(web, 'gd-2021', 'gd-grid');
    clock.set('2021-07-01T09:10:00+08:00');
    const reported = await grid({ type: 'progress', task: '3', status: 'completed', on: '2021-06-30', note: '已完成' });
    await grid({ type: 'metric', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 1520 });
    clock.set('2021-07-01T09:30:00+08:00');
    await grid({ type: 'correction', corrects: reported.eventId, reason: '误报：尚未完成', status: 'in-progress' });
    clock.set('2021-07-16T09:00:00+08:00');
    await web.app.get(ReportScheduler).runDue();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const cell = (page: Page, task: string) => page.locator(`table.board tr:has(th a:text-is("广东电网有限责任公司")) td[title^="${task}: "]`);

  it('sees task 3 done (late) before the correction and overdue after it, the correction with its before and after, and verifies the log and a downloaded report', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
    page.setDefaultTimeout(5000);
    await signInNewPerson(web, page, { login: 'li.shen', name: '李审', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'auditor' }] });
    await page.goto(`${web.base}/ledgers/gd-2021/board`);
    await expect(cell(page, '3').getAttribute('data-status')).resolves.toBe('overdue');
    // The "as of" control: the moment between the report and its correction.
    await page.goto(`${web.base}/ledgers/gd-2021/board?asOf=${encodeURIComponent('2021-07-01T09:20:00+08:00')}`);
    await expect(page.locator('form.asof [role=status]').textContent()).resolves.toContain('正在查看');
    await expect(cell(page, '3').getAttribute('data-status')).resolves.toBe('completed-late');
    await screenshot(page, 'board-as-of-zh');

    await page.goto(`${web.base}/ledgers/gd-2021/history?task=3`);
    const correction = page.locator('table.history tr:has-text("误报：尚未完成")');
    await expect(correction.locator('td').nth(5).textContent()).resolves.toContain('status: completed');
    await expect(correction.locator('td').nth(6).textContent()).resolves.toContain('status: in-progress');
    await expect(page.locator('table.history tr.superseded').count()).resolves.toBe(1);
    await screenshot(page, 'history-zh');

    await page.goto(`${web.base}/ledgers/gd-2021/reports`);
    const recorded = page.locator('table[aria-labelledby=calendar] tr:has(td:text-is("2021-H1")) td').nth(3);
    const [download] = await Promise.all([page.waitForEvent('download'), recorded.getByRole('link', { name: 'PDF' }).click()]);
    const file = (await download.path())!;

    await page.getByRole('link', { name: '审计核验' }).click();
    await page.getByRole('button', { name: '开始核验' }).click();
    await expect(page.locator('#verify-result').textContent()).resolves.toMatch(/日志完整。[\s\S]*sha256:[0-9a-f]{64}/);
    await page.getByLabel('报表文件', { exact: true }).setInputFiles({ name: 'gd-2021.nea-attachment-3.2021-H1.pdf', mimeType: 'application/pdf', buffer: readFileSync(file) });
    await page.getByRole('button', { name: '核对' }).click();
    await expect(page.locator('#report-result').textContent()).resolves.toContain('与日志一致');
    await expect(page.locator('#report-result').textContent()).resolves.toContain('nea-attachment-3');
    await screenshot(page, 'audit-zh');

    // One byte changed: the file no longer matches anything the log recorded.
    const altered = readFileSync(file);
    altered[altered.length - 10] ^= 0x01;
    writeFileSync(`${file}.altered`, altered);
    await page.getByLabel('报表文件', { exact: true }).setInputFiles(`${file}.altered`);
    await page.getByRole('button', { name: '核对' }).click();
    await expect(page.locator('#report-result').textContent()).resolves.toContain('与日志不符');
    await page.close();
  });

  it('draws the history and the audit page in Vietnamese and English', async () => {
    for (const [lang, login] of [['vi', 'nguyen.kiem'], ['en', 'ann.audit']] as const) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      page.setDefaultTimeout(5000);
      await signInNewPerson(web, page, { login, name: login, language: lang, grants: [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'auditor' }] });
      await page.goto(`${web.base}/ledgers/gd-2021/history`);
      await screenshot(page, `history-${lang}`);
      await page.goto(`${web.base}/audit/verify`);
      await expect(page.locator('#verify-result').textContent()).resolves.toContain(lang === 'vi' ? 'Nhật ký nguyên vẹn.' : 'The log is intact.');
      await screenshot(page, `audit-${lang}`);
      await page.close();
    }
  });
});
