import { CommandBus } from '@nestjs/cqrs';
import type { Browser, Page } from 'playwright-core';
import { systemContext } from '../../src/event-sourcing/request-context';
import { SubmitRecordCommand } from '../../src/ledgers/submit/submit-record.command';
import { launchBrowser, screenshot } from '../support/browser';
import { firstSignIn } from '../support/first-sign-in';
import { startWebApp, type WebApp } from '../support/web-app';

/** The reporting units' main pages in English and Vietnamese (the Chinese ones are the NEA story's), for people to look at. */
describe('web: the unit pages in English and Vietnamese (chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  const cell = (page: Page, row: string, column: string) => page.getByRole('textbox', { name: `${row} · ${column}`, exact: true });

  beforeAll(async () => {
    web = await startWebApp();
    browser = await launchBrowser();
    await web.openLedger('gd-2021', 'nea-2021-37', '广东省', [
      { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority', parent: null },
      { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: 'gd-energy' },
    ]);
    const record = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 1520 };
    await web.app.get(CommandBus).execute(new SubmitRecordCommand(record, systemContext('test')));
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('shows the same pages to people who read English or Vietnamese, programme texts as the source writes them', async () => {
    for (const [login, lang, locale, heading] of [
      ['li.ming', 'en', 'en-GB', 'Enter figures · 2021-H1'],
      ['tran.van.binh', 'vi', 'vi-VN', 'Nhập số liệu · 2021-H1'],
    ] as const) {
      const oneTime = await web.createPerson({ login, name: login, contact: '', language: lang, grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }] });
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale });
      page.setDefaultTimeout(5000);
      await firstSignIn(page, web.base, login, oneTime, `Guangzhou-grid-2021-${lang}`);
      await page.goto(`${web.base}/tasks`);
      await screenshot(page, `my-tasks-${lang}`);
      await page.goto(`${web.base}/ledgers/gd-2021/units/gd-grid`);
      await screenshot(page, `unit-workspace-${lang}`);
      await page.goto(`${web.base}/ledgers/gd-2021/units/gd-grid/figures?period=2021-H1`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(heading);
      // The form's labels stay as the programme prints them; the figures recorded are there, read only.
      await expect(cell(page, '受益户数(户)', '“三零”服务效益 居民用户').inputValue()).resolves.toBe('1520');
      await screenshot(page, `unit-figures-${lang}`);
      await page.goto(`${web.base}/ledgers/gd-2021/units/gd-grid/workbook`);
      await screenshot(page, `unit-workbook-${lang}`);
      await page.close();
    }
  });
});
