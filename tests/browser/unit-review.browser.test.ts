import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Browser, Page } from 'playwright-core';
import { systemContext } from '../../src/event-sourcing/request-context';
import { SubmitRecordCommand } from '../../src/ledgers/submit/submit-record.command';
import { ReviewStatusQuery, type ReviewStatus } from '../../src/reviews/review-status.query';
import { launchBrowser, screenshot } from '../support/browser';
import { firstSignIn } from '../support/first-sign-in';
import { startWebApp, type WebApp } from '../support/web-app';

/** A supply company marks its 2021-H1 figures complete on the figures page; its reviewer returns them with a reason, then approves them (zh). */
describe('web: marking a period complete, and the reviewer returning and approving it (chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  const standing = async () => ((await web.app.get(QueryBus).execute(new ReviewStatusQuery('gd-2021', 'nea-attachment-3', '2021-H1', 'gd-grid'))) as ReviewStatus).units[0];
  const households = (page: Page) => page.getByRole('textbox', { name: '受益户数(户) · “三零”服务效益 居民用户', exact: true });

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

  it('goes from complete to returned with a reason, complete again and approved, each person on their own page', async () => {
    const clerk = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    clerk.setDefaultTimeout(5000);
    await firstSignIn(clerk, web.base, 'chen.li', await web.createPerson({ login: 'chen.li', name: '陈丽', contact: '', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }] }), '绿色电网-2021-广州');
    await clerk.goto(`${web.base}/ledgers/gd-2021/units/gd-grid/figures?period=2021-H1`);
    const section = clerk.getByRole('row', { name: /nea-attachment-3/ });
    await expect(section.textContent()).resolves.toContain('填报中');
    await section.getByRole('button', { name: '标记本期填报完成' }).click();
    await expect(clerk.getByRole('status').first().textContent()).resolves.toContain('已标记完成，等待审核。');
    await expect(standing()).resolves.toMatchObject({ state: 'complete', by: { name: '陈丽' } });
    // Marked complete, the figures stand still: no input, no submit button.
    await expect(households(clerk).getAttribute('readonly')).resolves.toBe('');
    await expect(clerk.getByRole('textbox', { name: '受益户数(户) · “三省”服务效益', exact: true }).getAttribute('readonly')).resolves.toBe('');
    await expect(clerk.getByRole('button', { name: '提交数据' }).count()).resolves.toBe(0);
    await screenshot(clerk, 'unit-figures-complete-zh');

    const reviewer = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    reviewer.setDefaultTimeout(5000);
    await firstSignIn(reviewer, web.base, 'zhao.min', await web.createPerson({ login: 'zhao.min', name: '赵敏', contact: '', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'reviewer' }] }), '审核电网-2021-广州');
    await reviewer.getByRole('link', { name: '审核人: 广东电网有限责任公司' }).click();
    await reviewer.getByRole('link', { name: '审核', exact: true }).click();
    await reviewer.getByLabel('报告期').selectOption('2021-H1');
    await reviewer.getByRole('button', { name: '切换' }).click();
    const row = reviewer.getByRole('row', { name: /nea-attachment-3/ });
    await expect(row.textContent()).resolves.toContain('待审核');
    // Returned without a reason: refused next to the reason, nothing recorded.
    await row.getByRole('button', { name: '退回' }).click();
    await expect(reviewer.locator('#reason-nea-attachment-3-error').textContent()).resolves.toContain('必填：请写明单位需要更正的内容');
    await expect(standing()).resolves.toMatchObject({ state: 'complete' });
    await reviewer.getByLabel('退回原因').fill('居民用户受益户数与营销系统不一致，请核对');
    await reviewer.getByRole('button', { name: '退回' }).click();
    await expect(reviewer.getByRole('status').first().textContent()).resolves.toContain('已退回');
    await expect(standing()).resolves.toMatchObject({ state: 'returned', reason: '居民用户受益户数与营销系统不一致，请核对', by: { name: '赵敏' } });
    await screenshot(reviewer, 'unit-review-returned-zh');

    // Returned, the unit can correct and mark complete again.
    await clerk.reload();
    await expect(clerk.getByRole('row', { name: /nea-attachment-3/ }).textContent()).resolves.toContain('居民用户受益户数与营销系统不一致，请核对');
    await expect(clerk.getByRole('button', { name: '提交数据' }).isVisible()).resolves.toBe(true);
    await clerk.getByRole('link', { name: '更正: 受益户数(户) · “三零”服务效益 居民用户' }).click();
    await clerk.getByLabel('更正后数值').fill('1500');
    await clerk.getByLabel('更正原因').fill('按营销系统核对');
    await clerk.getByRole('button', { name: '提交更正' }).click();
    await clerk.getByRole('row', { name: /nea-attachment-3/ }).getByRole('button', { name: '标记本期填报完成' }).click();
    await expect(standing()).resolves.toMatchObject({ state: 'complete' });

    await reviewer.reload();
    await reviewer.getByRole('row', { name: /nea-attachment-3/ }).getByRole('button', { name: '审核通过' }).click();
    await expect(reviewer.getByRole('status').first().textContent()).resolves.toContain('已审核通过。');
    await expect(standing()).resolves.toMatchObject({ state: 'approved', by: { name: '赵敏' } });
    await expect(households(reviewer).count()).resolves.toBe(0);
    await reviewer.getByRole('link', { name: '查看本期数据' }).click();
    await expect(households(reviewer).inputValue()).resolves.toBe('1500');
    await reviewer.goBack();
    await screenshot(reviewer, 'unit-review-approved-zh');
    await clerk.close();
    await reviewer.close();
  });
});
