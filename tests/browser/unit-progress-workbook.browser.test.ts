import { QueryBus } from '@nestjs/cqrs';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { HistoryQuery, type HistoryPage } from '../../src/ledgers/queries/history.query';
import { launchBrowser, screenshot } from '../support/browser';
import { firstSignIn } from '../support/first-sign-in';
import { startWebApp, type WebApp } from '../support/web-app';

/** A commune clerk of Đồng Tháp reports a task's progress and uploads the Excel workbook (vi), from sign-in. */
describe('web: a commune of Đồng Tháp reports progress and uploads its workbook (chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  let files: string;

  const history = async (): Promise<HistoryPage['entries']> => ((await web.app.get(QueryBus).execute(new HistoryQuery('dongthap-2026', { unit: 'xa-my-an-hung' }))) as HistoryPage).entries;
  const today = (days = 0) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(Date.now() + days * 86_400_000));
  const rowOfTask = (sheet: ExcelJS.Worksheet, number: string) => {
    for (let r = 4; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === number) return r;
    throw new Error(`no task ${number} in the workbook`);
  };

  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'ledger-web-workbook-'));
    web = await startWebApp();
    browser = await launchBrowser();
    await web.openLedger('dongthap-2026', 'dongthap-ocop-2026-2030', 'Chương trình OCOP tỉnh Đồng Tháp', [
      { id: 'dt-snnmt', name: 'Sở Nông nghiệp và Môi trường', role: 'agriculture-environment-dept', parent: null },
      { id: 'xa-my-an-hung', name: 'UBND xã Mỹ An Hưng', role: 'commune-people-committee', parent: 'dt-snnmt' },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    rmSync(files, { recursive: true, force: true });
  });

  async function signedInClerk(): Promise<Page> {
    const oneTime = await web.createPerson({ login: 'nguyen.thi.lan', name: 'Nguyễn Thị Lan', contact: '0277 3851 234', language: 'vi', grants: [{ ledger: 'dongthap-2026', unit: 'xa-my-an-hung', role: 'submitter' }] });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    page.setDefaultTimeout(5000);
    await firstSignIn(page, web.base, 'nguyen.thi.lan', oneTime, 'Mỹ An Hưng-2026');
    return page;
  }

  it('reports progress on a task from "my tasks": a refused date is shown next to the field and nothing is recorded, then the report is recorded', async () => {
    const page = await signedInClerk();
    await page.getByRole('link', { name: 'Nhiệm vụ của tôi' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Nhiệm vụ của tôi');
    await screenshot(page, 'my-tasks-vi');
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: '3.1', exact: true }) });
    await row.getByRole('link', { name: 'Báo cáo tiến độ' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Báo cáo tiến độ: nhiệm vụ 3.1');
    await page.getByLabel('Tình trạng').selectOption('in-progress');
    await page.getByLabel('Tính đến ngày').fill(today(1));
    await page.getByLabel('Nội dung báo cáo').fill('Đã rà soát 12 sản phẩm tiềm năng trên địa bàn xã');
    await page.getByLabel(/^Tài liệu minh chứng/).fill('Công văn 45/UBND-KT\nDanh-muc-san-pham.xlsx');
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await expect(page.locator('#on-error').textContent()).resolves.toContain('là ngày trong tương lai');
    await expect(page.getByLabel('Tính đến ngày').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Nội dung báo cáo').inputValue()).resolves.toBe('Đã rà soát 12 sản phẩm tiềm năng trên địa bàn xã');
    expect(await history()).toEqual([]);
    await screenshot(page, 'unit-progress-refused-vi');

    await page.getByLabel('Tính đến ngày').fill(today());
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Đã ghi nhận tiến độ.');
    const [event] = await history();
    expect(event).toMatchObject({
      type: 'ProgressReported',
      actor: 'person:nguyen.thi.lan',
      data: { task: '3.1', status: 'in-progress', on: today(), note: 'Đã rà soát 12 sản phẩm tiềm năng trên địa bàn xã', evidence: ['Công văn 45/UBND-KT', 'Danh-muc-san-pham.xlsx'] },
    });
    // The workspace shows it in the unit's tasks and in what it submitted.
    await expect(page.locator(`#e-${event.eventId}`).textContent()).resolves.toContain('Nhiệm vụ 3.1: Đang thực hiện');
    await screenshot(page, 'unit-workspace-vi');
    await page.close();
  });

  it('downloads the workbook, has a refused upload listed by sheet and cell with nothing recorded, then uploads it right', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    page.setDefaultTimeout(5000);
    const { signInAs } = await import('../support/browser');
    await signInAs(page, web.base, 'nguyen.thi.lan', 'Mỹ An Hưng-2026');
    await page.goto(`${web.base}/ledgers/dongthap-2026/units/xa-my-an-hung`);
    await page.getByRole('link', { name: 'Biểu mẫu Excel' }).click();
    await expect(page.getByLabel('Kỳ báo cáo').inputValue()).resolves.toMatch(/^20\d\d$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải biểu mẫu' }).click()]);
    const downloaded = join(files, download.suggestedFilename());
    await download.saveAs(downloaded);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(downloaded);
    const tasks = workbook.getWorksheet('Nhiệm vụ')!;
    const row = rowOfTask(tasks, '3.1');
    tasks.getCell(row, 5).value = 'Đã hoàn thành';
    tasks.getCell(row, 6).value = today();
    tasks.getCell(row, 7).value = 'Đã gửi danh mục sản phẩm tiềm năng về Sở';
    const other = rowOfTask(tasks, '1.2');
    tasks.getCell(other, 5).value = 'xong rồi'; // not a status of the list
    tasks.getCell(other, 6).value = today();
    const wrong = join(files, 'wrong.xlsx');
    await workbook.xlsx.writeFile(wrong);

    const before = (await history()).length;
    // The upload shows that it is working while the server checks it.
    await expect(page.locator('form[data-busy] [role=status]').getAttribute('hidden')).resolves.toBe('');
    await page.getByLabel('Tệp Excel (.xlsx)').setInputFiles(wrong);
    await page.getByRole('button', { name: 'Tải lên', exact: true }).click();
    const refused = page.getByRole('alert');
    await expect(refused.textContent()).resolves.toContain('Biểu mẫu bị từ chối, chưa ghi nhận gì.');
    await expect(refused.getByRole('row').filter({ hasText: 'Nhiệm vụ' }).first().textContent()).resolves.toContain(`E${other}`);
    expect(await history()).toHaveLength(before);
    await screenshot(page, 'unit-workbook-refused-vi');

    tasks.getCell(other, 5).value = null;
    tasks.getCell(other, 6).value = null;
    const right = join(files, 'right.xlsx');
    await workbook.xlsx.writeFile(right);
    await page.getByLabel('Tệp Excel (.xlsx)').setInputFiles(right);
    await page.getByRole('button', { name: 'Tải lên', exact: true }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Đã đọc 1 dòng tiến độ, 0 số liệu: ghi mới 1');
    const events = await history();
    expect(events).toHaveLength(before + 1);
    expect(events[events.length - 1]).toMatchObject({ type: 'ProgressReported', data: { task: '3.1', status: 'completed', note: 'Đã gửi danh mục sản phẩm tiềm năng về Sở' } });
    await screenshot(page, 'unit-workbook-vi');

    // At phone width the pages fit the screen; tables scroll inside their frame.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/tasks', '/ledgers/dongthap-2026/units/xa-my-an-hung', '/ledgers/dongthap-2026/units/xa-my-an-hung/workbook']) {
      await page.goto(`${web.base}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    }
    await screenshot(page, 'unit-workbook-vi-phone');
    await page.close();
  });
});
