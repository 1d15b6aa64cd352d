import type { Page } from 'playwright-core';
import { signInAs } from './browser';

/** A person's first sign-in: the one-time password, then their own password on the page they are sent to (any of the three languages). */
export async function firstSignIn(page: Page, base: string, login: string, oneTime: string, password: string): Promise<void> {
  await signInAs(page, base, login, oneTime);
  if (new URL(page.url()).pathname !== '/account/password') throw new Error(`after a one-time password, ${login} landed on ${page.url()}`);
  await page.getByLabel(/^(当前密码|Mật khẩu hiện tại|Current password)$/).fill(oneTime);
  await page.getByLabel(/^(新密码|Mật khẩu mới|New password)/).fill(password);
  await page.getByLabel(/^(再次输入新密码|Nhập lại mật khẩu mới|Repeat the new password)$/).fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: /保存新密码|Lưu mật khẩu mới|Save the new password/ }).click()]);
}
