import { CommandBus } from '@nestjs/cqrs';
import type { Page } from 'playwright-core';
import { IssueTokenCommand, type IssueTokenResult } from '../../src/access/issue-token/issue-token.command';
import { adminPrincipal, type Grant } from '../../src/access/principal';
import type { Language } from '../../src/access/people/person.decider';
import { signInAs } from './browser';
import type { WebApp } from './web-app';

/** Every story person's own password, once the one-time one is changed. */
const PASSWORD = '绿色电网-监管-2021-Ab';

/** The NEA ledger of the oversight stories: a provincial energy authority and two supply companies. */
export const GD_UNITS = [
  { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority', parent: null },
  { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: 'gd-energy' },
  { id: 'gz-power', name: '广州供电局', role: 'supply-company', parent: 'gd-energy' },
];

/** A person created with a one-time password, signed in and past the password change: the page is on `/`. */
export async function signInNewPerson(web: WebApp, page: Page, person: { login: string; name: string; language: Language; grants: Grant[] }): Promise<void> {
  const oneTime = await web.createPerson({ ...person, contact: '' });
  await signInAs(page, web.base, person.login, oneTime);
  await page.locator('#currentPassword').fill(oneTime);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#repeat').fill(PASSWORD);
  await Promise.all([page.waitForURL(`${web.base}/?changed=password`), page.locator('form[action="/account/password"] button[type=submit]').click()]);
}

/** Signs in again (a session ended while the clock moved). */
export const signInAgain = (web: WebApp, page: Page, login: string) => signInAs(page, web.base, login, PASSWORD);

/** A machine's API token for a unit with a role on the ledger. */
export async function tokenFor(web: WebApp, ledger: string, unit: string, role: Grant['role']): Promise<string> {
  const issued: IssueTokenResult = await web.app.get(CommandBus).execute(new IssueTokenCommand({ unit, role, ledger, label: unit }, adminPrincipal('system:test')));
  return issued.token;
}

/** One API call with a token; refused calls throw with the answer. */
export async function callApi(web: WebApp, token: string, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${web.base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status !== 201) throw new Error(`${path} refused (${response.status}): ${JSON.stringify(answer)}`);
  return answer;
}

/** A unit's API client, as a supply company's system would send its records: POST /api/ledgers/{ledger}/submissions. */
export async function unitClient(web: WebApp, ledger: string, unit: string): Promise<(record: Record<string, unknown>) => Promise<{ eventId: string }>> {
  const token = await tokenFor(web, ledger, unit, 'submitter');
  return async (record) => (await callApi(web, token, `/api/ledgers/${ledger}/submissions`, { ledger, unit, ...record })) as { eventId: string };
}
