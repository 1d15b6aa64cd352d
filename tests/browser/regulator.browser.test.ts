import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/event-sourcing/clock';
import { ReportScheduler } from '../../src/reports/schedule/report-scheduler';
import { launchBrowser, screenshot } from '../support/browser';
import { createHash } from 'node:crypto';
import { callApi, GD_UNITS, signInAgain, signInNewPerson, tokenFor, unitClient } from '../support/oversight-story';
import { startWebApp, type WebApp } from '../support/web-app';

/** The regulator's story, from sign-in: the board changes colour when a unit reports; the half-year report is signed off and comes down as a file. */
describe('web: the regulator’s board and reports (chromium)', () => {
  const clock = new FixedClock(new Date('2021-07-01T09:00:00+08:00'));
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebApp({ clock });
    browser = await launchBrowser();
    await web.openLedger('gd-2021', 'nea-2021-37', '广东省', GD_UNITS);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const cell = (page: Page, unit: string, task: string) => page.locator(`table.board tr:has(th a:text-is("${unit}")) td[title^="${task}: "]`);

  it('shows task 3 of 广东电网 overdue, then done late once the company reports it; lists who has not reported; signs off and downloads the half-year Attachment 3', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.setDefaultTimeout(5000);
    await signInNewPerson(web, page, { login: 'wang.fang', name: '王芳', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'regulator' }] });
    await page.getByRole('link', { name: '进度看板' }).click();
    expect(new URL(page.url()).pathname).toBe('/ledgers/gd-2021/board');
    await expect(cell(page, '广东电网有限责任公司', '3').getAttribute('data-status')).resolves.toBe('overdue');
    await expect(cell(page, '广东电网有限责任公司', '3').getAttribute('class')).resolves.toContain('late');
    await expect(page.locator('#overdue').textContent()).resolves.toMatch(/逾期清单（\d+ 项）/);
    await screenshot(page, 'board-zh');

    // The company reports task 3 done, and its half-year figures, through its own system.
    clock.set('2021-07-01T09:20:00+08:00');
    const grid = await unitClient(web, 'gd-2021', 'gd-grid');
    await grid({ type: 'progress', task: '3', status: 'completed', on: '2021-07-01', note: '已完成“三零”服务推广', evidence: ['粤电〔2021〕12号'] });
    await grid({ type: 'metric', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 1520 });
    await page.reload();
    await expect(cell(page, '广东电网有限责任公司', '3').getAttribute('data-status')).resolves.toBe('completed-late');
    await expect(cell(page, '广东电网有限责任公司', '3').getAttribute('class')).resolves.toContain('done-late');
    // Filtered to one task and one status, the board keeps only what matches.
    await page.getByLabel('任务', { exact: true }).selectOption('3');
    await page.getByLabel('状态', { exact: true }).selectOption('overdue');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await expect(page.locator('table.board tbody tr').allTextContents()).resolves.toEqual([expect.stringContaining('广州供电局')]);
    // A filter the ledger does not know is named next to its control.
    await page.goto(`${web.base}/ledgers/gd-2021/board?unit=nowhere`);
    await expect(page.locator('#unit-error').textContent()).resolves.toContain('本台账没有单位“nowhere”');

    // After the half-year's due day, the scheduler generates and records the reports.
    clock.set('2021-07-16T09:00:00+08:00');
    await web.app.get(ReportScheduler).runDue();
    await signInAgain(web, page, 'wang.fang');
    await page.goto(`${web.base}/ledgers/gd-2021/board`);
    const rates = page.locator('table[aria-labelledby=rates] tr:has(td:text-is("2021-H1"))');
    // "各省级能源(电力)主管部门……于每年7月15日前向国家能源局报送本年度上半年情况": only 广东省能源局 owes the
    // half-year report, and it has not sent it (the supply companies' figures feed it, they owe none themselves).
    await expect(rates.locator('td').allTextContents()).resolves.toEqual(['2021-H1', '2021-07-15', '1', '0', '0', '0', '1', '0%', '0%']);
    await expect(page.locator('#not-reported + .table-wrap').textContent()).resolves.toContain('广东省能源局');
    await expect(page.locator('#not-reported + .table-wrap').textContent()).resolves.not.toContain('广州供电局');

    // 广东电网 marks its half-year figures complete and its reviewer approves them; the regulator signs the report off.
    const review = '/api/ledgers/gd-2021/reviews/nea-attachment-3/2021-H1/units/gd-grid';
    await callApi(web, await tokenFor(web, 'gd-2021', 'gd-grid', 'submitter'), `${review}/complete`);
    await callApi(web, await tokenFor(web, 'gd-2021', 'gd-grid', 'reviewer'), `${review}/approve`);
    await page.getByRole('link', { name: '审核与签发' }).click();
    await page.getByLabel('报表', { exact: true }).selectOption('nea-attachment-3');
    await page.getByLabel('期间').selectOption('2021-H1');
    await page.getByRole('button', { name: '查看', exact: true }).click();
    await expect(page.locator('tr[data-unit=gd-grid]').textContent()).resolves.toContain('已审核');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: '签发并报送' }).click();
    await expect(page.locator('#signed-off').textContent()).resolves.toContain('已由 王芳');
    await screenshot(page, 'review-zh');
    const [signed] = await Promise.all([page.waitForEvent('download'), page.locator('#signed-off').getByRole('link', { name: 'PDF' }).click()]);
    const signedDigest = createHash('sha256').update(readFileSync((await signed.path())!)).digest('hex');
    // The file downloaded is the one the sign-off recorded, byte for byte.
    await expect(page.locator('#signed-off').textContent()).resolves.toContain(`sha256:${signedDigest}`);

    await page.getByRole('link', { name: '报表', exact: true }).click();
    await expect(page.locator('table[aria-labelledby=calendar] tr:has(td:text-is("2021-H1"))').textContent()).resolves.toContain('已生成');
    await screenshot(page, 'reports-zh');
    await page.getByLabel('报表', { exact: true }).selectOption('nea-attachment-3');
    await page.getByLabel('期间').fill('2021-H1');
    await page.getByLabel('格式').selectOption('xlsx');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '生成并下载' }).click()]);
    expect(download.suggestedFilename()).toBe('gd-2021.nea-attachment-3.2021-H1.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const cells: unknown[] = [];
    workbook.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    expect(cells).toContain(1520);
    // The form is usable again once the file has come (its "working…" state ends).
    await expect(page.getByRole('button', { name: '生成并下载' }).isEnabled()).resolves.toBe(true);
    // A period that is not one is refused next to its field.
    await page.goto(`${web.base}/ledgers/gd-2021/reports/file?report=nea-attachment-3&period=2021-H3&format=pdf`);
    await expect(page.locator('#period-error').isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('draws the board and the reports in Vietnamese and English, and at phone width', async () => {
    for (const [lang, locale, login] of [['vi', 'vi-VN', 'tran.minh'], ['en', 'en-GB', 'jane.doe']] as const) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale });
      page.setDefaultTimeout(5000);
      await signInNewPerson(web, page, { login, name: login, language: lang, grants: [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'regulator' }] });
      await page.goto(`${web.base}/ledgers/gd-2021/board`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(lang === 'vi' ? 'Bảng theo dõi' : 'Status board');
      await screenshot(page, `board-${lang}`);
      await page.goto(`${web.base}/ledgers/gd-2021/reports`);
      await screenshot(page, `reports-${lang}`);
      await page.close();
    }
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await signInAgain(web, phone, 'wang.fang');
    await phone.goto(`${web.base}/ledgers/gd-2021/board`);
    await screenshot(phone, 'board-zh-phone');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await phone.close();
  });
});
