import { QueryBus } from '@nestjs/cqrs';
import type { Browser, Page } from 'playwright-core';
import { HistoryQuery, type HistoryPage } from '../../src/ledgers/queries/history.query';
import { launchBrowser, screenshot } from '../support/browser';
import { firstSignIn } from '../support/first-sign-in';
import { startWebApp, type WebApp } from '../support/web-app';

/** Two supply companies of a NEA ledger enter Attachment 3 figures in the form's own grid; one corrects a figure with a reason (zh). */
describe('web: Attachment 3 figures and a correction, by two supply companies (chromium)', () => {
  let web: WebApp;
  let browser: Browser;

  const history = async (unit: string): Promise<HistoryPage['entries']> => ((await web.app.get(QueryBus).execute(new HistoryQuery('gd-2021', { unit }))) as HistoryPage).entries;
  const cell = (page: Page, row: string, column: string) => page.getByRole('textbox', { name: `${row} · ${column}`, exact: true });

  beforeAll(async () => {
    web = await startWebApp();
    browser = await launchBrowser();
    await web.openLedger('gd-2021', 'nea-2021-37', '广东省', [
      { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority', parent: null },
      { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: 'gd-energy' },
      { id: 'gz-local', name: '广州增量配电有限公司', role: 'supply-company', parent: 'gd-energy' },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('lets the first company enter the grid with live totals, marks a refused cell and records nothing, then records every figure once it is right', async () => {
    const oneTime = await web.createPerson({ login: 'chen.li', name: '陈丽', contact: '020-1234567', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }] });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.setDefaultTimeout(5000);
    await firstSignIn(page, web.base, 'chen.li', oneTime, '绿色电网-2021-广州');
    await page.getByRole('link', { name: '填报单位: 广东电网有限责任公司' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('广东电网有限责任公司');
    await expect(page.getByRole('heading', { name: '本单位任务' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'unit-workspace-zh');

    await page.getByRole('link', { name: '填报数据' }).first().click();
    await page.getByLabel('报告期').selectOption('2021-H1');
    await page.getByRole('button', { name: '切换' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('填报数据 · 2021-H1');
    // The form's own header and row labels.
    const form = page.getByRole('region', { name: '三零三省服务效益' });
    for (const text of ['统计内容', '“三零”服务效益', '“三省”服务效益', '合计', '居民用户', '160kW及以下的企业用户', '其他用户']) {
      await expect(form.getByRole('columnheader', { name: text, exact: true }).count()).resolves.toBe(1);
    }
    for (const text of ['受益户数(户)', '节省投资(万元)', '增加售电量(万千瓦时)', '增加容量(万千瓦安)']) await expect(form.getByRole('rowheader', { name: text }).isVisible()).resolves.toBe(true);

    const households = form.getByRole('row', { name: /受益户数/ });
    await cell(page, '受益户数(户)', '“三零”服务效益 居民用户').fill('1520');
    await cell(page, '受益户数(户)', '“三零”服务效益 160kW及以下的企业用户').fill('30');
    await cell(page, '受益户数(户)', '“三零”服务效益 其他用户').fill('12');
    await cell(page, '受益户数(户)', '“三省”服务效益').fill('200');
    await expect(households.locator('[data-total-of]').textContent()).resolves.toBe('1762');
    await cell(page, '节省投资(万元)', '“三零”服务效益 居民用户').fill('-5');
    await cell(page, '节省投资(万元)', '“三省”服务效益').fill('12.5');
    await screenshot(page, 'unit-figures-live-zh');
    await page.getByRole('button', { name: '提交数据' }).click();

    // Refused: the cell is marked with the reason, every typed value is still there, nothing was appended.
    const refused = cell(page, '节省投资(万元)', '“三零”服务效益 居民用户');
    await expect(refused.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('td.refused .field-error').textContent()).resolves.toContain('-5 超出范围');
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('以下单元格被拒绝，未记录任何数据');
    await expect(cell(page, '受益户数(户)', '“三零”服务效益 居民用户').inputValue()).resolves.toBe('1520');
    await expect(households.locator('[data-total-of]').textContent()).resolves.toBe('1762');
    expect(await history('gd-grid')).toEqual([]);
    await screenshot(page, 'unit-figures-refused-zh');

    await refused.fill('8');
    await page.getByRole('button', { name: '提交数据' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('已记录 6 项数据。');
    const recorded = await history('gd-grid');
    expect(recorded.map((e) => [e.type, e.data.metric, e.data.dimensions, e.data.value, e.data.period, e.actor])).toEqual(
      expect.arrayContaining([['MetricReported', 'benefit.households', { service: 'sanling-residential' }, 1520, '2021-H1', 'person:chen.li']]),
    );
    expect(recorded).toHaveLength(6);
    // Recorded figures are shown, read only, with a way to correct them.
    await expect(cell(page, '受益户数(户)', '“三零”服务效益 居民用户').getAttribute('readonly')).resolves.toBe('');
    await expect(page.getByRole('link', { name: '更正: 受益户数(户) · “三零”服务效益 居民用户' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'unit-figures-saved-zh');
    await page.close();
  });

  it('lets the second company enter its own figures beside the first, and the first correct a figure with a reason, seeing before and after', async () => {
    const oneTime = await web.createPerson({ login: 'wang.fang', name: '王芳', contact: '', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gz-local', role: 'submitter' }] });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.setDefaultTimeout(5000);
    await firstSignIn(page, web.base, 'wang.fang', oneTime, '增量配电-2021-广州');
    await page.goto(`${web.base}/ledgers/gd-2021/units/gz-local/figures?period=2021-H1`);
    await cell(page, '受益户数(户)', '“三零”服务效益 居民用户').fill('300');
    await cell(page, '增加容量(万千瓦安)', '“三省”服务效益').fill('1.25');
    await page.getByRole('button', { name: '提交数据' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('已记录 2 项数据。');
    expect(await history('gz-local')).toHaveLength(2);
    // Another company's unit is not hers to enter.
    const other = await page.goto(`${web.base}/ledgers/gd-2021/units/gd-grid/corrections/${(await history('gd-grid'))[0].eventId}`);
    expect(other?.status()).toBe(403);
    await page.close();

    const grid = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    grid.setDefaultTimeout(5000);
    const { signInAs } = await import('../support/browser');
    await signInAs(grid, web.base, 'chen.li', '绿色电网-2021-广州');
    await grid.goto(`${web.base}/ledgers/gd-2021/units/gd-grid/figures?period=2021-H1`);
    await grid.getByRole('link', { name: '更正: 受益户数(户) · “三零”服务效益 居民用户' }).click();
    await expect(grid.locator('#before').textContent()).resolves.toBe('1520');
    // A correction without a reason is refused next to the reason, and nothing is appended.
    await grid.getByLabel('更正后数值').fill('1500');
    await grid.getByLabel('更正原因').fill(' ');
    await grid.getByRole('button', { name: '提交更正' }).click();
    await expect(grid.locator('#reason-error').textContent()).resolves.toContain('不能为空白');
    expect(await history('gd-grid')).toHaveLength(6);
    await grid.getByLabel('更正原因').fill('重复统计了 20 户');
    await screenshot(grid, 'unit-correction-zh');
    await grid.getByRole('button', { name: '提交更正' }).click();
    await expect(grid.getByRole('status').first().textContent()).resolves.toContain('已更正：1520 → 1500');
    await expect(cell(grid, '受益户数(户)', '“三零”服务效益 居民用户').inputValue()).resolves.toBe('1500');
    await expect(grid.getByRole('row', { name: /受益户数/ }).locator('[data-total-of]').textContent()).resolves.toBe('1742');
    const entries = await history('gd-grid');
    expect(entries[6]).toMatchObject({ type: 'SubmissionCorrected', data: { reason: '重复统计了 20 户', facts: { value: 1500 } }, replaced: { data: { value: 1520 } } });

    // The workspace's history shows both: before and after, with the reason.
    await grid.goto(`${web.base}/ledgers/gd-2021/units/gd-grid`);
    const correction = grid.locator(`#e-${entries[6].eventId}`);
    await expect(correction.textContent()).resolves.toMatch(/更正前:.*1520[\s\S]*更正后:.*1500[\s\S]*原因:\s*重复统计了 20 户/);
    await expect(grid.locator(`#e-${entries[6].replaced!.eventId}`).textContent()).resolves.toContain('已被更正');
    await screenshot(grid, 'unit-history-zh');

    await grid.goto(`${web.base}/tasks`);
    await expect(grid.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('我的任务');
    await screenshot(grid, 'my-tasks-zh');
    await grid.goto(`${web.base}/ledgers/gd-2021/units/gd-grid/workbook`);
    await screenshot(grid, 'unit-workbook-zh');
    await grid.close();
  });

});
