import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { IssueTokenCommand, type IssueTokenFields } from '../../src/access/issue-token/issue-token.command';
import { CreatePersonCommand } from '../../src/access/people/create-person.command';
import { adminPrincipal, type Grant } from '../../src/access/principal';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/access/sessions/session-authenticator';
import { INVALID_TOKEN } from '../../src/access/token-authenticator';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { bootTestApp } from '../support/boot-test-app';

/**
 * Every operation of the OpenAPI description called by every kind of caller, against the table
 * below. The callers act on ledger gd-2021 (an NEA ledger); `otherLedger` is an admin of gx-2021 only;
 * `person` is a person signed in with a session cookie, admin of gd-2021, calling with the CSRF token
 * (and, for every state-changing method, once more without it: always 403).
 */
const CALLERS = ['none', 'otherLedger', 'submitter', 'reviewer', 'regulator', 'auditor', 'ledgerAdmin', 'admin', 'person'] as const;
type Caller = (typeof CALLERS)[number];

const SIGNED_IN: readonly Caller[] = CALLERS.filter((caller) => caller !== 'none');
const LEDGER_ADMINS: readonly Caller[] = ['ledgerAdmin', 'admin', 'person'];
/** Lists that each admin sees filtered to what it administers. */
const ANY_ADMIN: readonly Caller[] = ['otherLedger', ...LEDGER_ADMINS];
const UNIT_READERS: readonly Caller[] = ['submitter', 'reviewer', 'regulator', 'auditor', ...LEDGER_ADMINS];
const LEDGER_READERS: readonly Caller[] = ['regulator', 'auditor', ...LEDGER_ADMINS];
const UNIT_SUBMITTERS: readonly Caller[] = ['submitter', ...LEDGER_ADMINS];

interface Route {
  /** The callers that get past the guard and the use case's grant check: any answer but 401 or 403, never 5xx. Every other caller gets 403 (401 without a caller). */
  may?: readonly Caller[];
  /** A @Public route: this status for every caller, with or without credentials. */
  public?: number;
  /** …and exactly this body, when what it may tell the public is limited. */
  publicBody?: unknown;
  query?: Record<string, string>;
  /** Path parameters other than the defaults of urlOf (a new parameter name needs a default there). */
  params?: Record<string, string>;
  body?: unknown;
  /** A body that must differ per caller (sign-in failures lock a login out). */
  bodyFor?: (caller: Caller) => unknown;
}

const NEA = parse(readFileSync(join(__dirname, '../../templates/programmes/nea-2021-37.yaml'), 'utf8')) as Record<string, unknown>;
const FIGURE = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 3 };
const VICTIM_GRANTS: Grant[] = [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' }];
const ONE_UNIT = { unit: 'gd-grid' };
const PERSON_PASSWORD = 'correct horse battery staple';

/**
 * Who may pass each route, one line each: a route of the OpenAPI description missing here fails the
 * test, and so does a line for a route that no longer exists.
 */
const ROUTES: Record<string, Route> = {
  'GET /health': { public: 200, publicBody: { status: 'ok' } },
  'GET /api/health': { may: ['admin'] },
  'POST /api/session': { public: 401, bodyFor: (caller) => ({ login: `nobody-${caller.toLowerCase()}`, password: 'not the password' }) },
  'GET /api/session': { may: SIGNED_IN },
  'DELETE /api/session': { may: SIGNED_IN },
  'POST /api/session/password': { may: ['person'], body: { currentPassword: 'not the password', password: 'another long password' } },
  'GET /api/checkpoint': { may: ['otherLedger', 'regulator', 'auditor', ...LEDGER_ADMINS] },
  'GET /api/proofs/inclusion/{eventId}': { may: ['otherLedger', 'regulator', 'auditor', ...LEDGER_ADMINS], params: { eventId: '00000000-0000-4000-8000-000000000000' } },
  'GET /api/proofs/consistency': { may: ['otherLedger', 'regulator', 'auditor', ...LEDGER_ADMINS], query: { from: '1' } },
  'GET /api/tokens': { may: ANY_ADMIN },
  'POST /api/tokens': { may: LEDGER_ADMINS, body: { unit: 'inspection', role: 'auditor', ledger: 'gd-2021' } },
  'POST /api/tokens/{tokenId}/revoke': { may: LEDGER_ADMINS, body: { reason: 'route table' } },
  'GET /api/people': { may: ANY_ADMIN },
  'POST /api/people': { may: LEDGER_ADMINS, body: { login: 'newcomer', name: '新同事', language: 'zh', grants: VICTIM_GRANTS } },
  'POST /api/people/{login}/password-reset': { may: LEDGER_ADMINS },
  'PUT /api/people/{login}/grants': { may: LEDGER_ADMINS, body: { grants: [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'reviewer' }] } },
  'PUT /api/people/{login}/details': { may: LEDGER_ADMINS, body: { name: '王填报', contact: '020-1234567', language: 'zh' } },
  'POST /api/people/{login}/disable': { may: LEDGER_ADMINS, body: { reason: 'route table' } },
  'POST /api/people/{login}/enable': { may: LEDGER_ADMINS },
  'GET /api/programmes': { may: SIGNED_IN },
  'POST /api/programmes': { may: ['admin'], body: NEA },
  'GET /api/programmes/{programmeId}': { may: SIGNED_IN },
  'POST /api/ledgers': { may: ['admin'], body: { ledgerId: 'hn-2021', programme: 'nea-2021-37', units: [{ id: 'hn-grid', name: '海南电网', role: 'supply-company' }] } },
  'POST /api/ledgers/{ledgerId}/units': { may: LEDGER_ADMINS, body: { units: [{ id: 'gz-grid', name: '广州供电局', role: 'supply-company', parent: 'gd-grid' }] } },
  'POST /api/ledgers/{ledgerId}/units/{unitId}/retire': { may: LEDGER_ADMINS, params: { unitId: 'sz-grid' }, body: { reason: '并入广东电网' } },
  'POST /api/ledgers/{ledgerId}/submissions': { may: UNIT_SUBMITTERS, body: FIGURE },
  'GET /api/ledgers/{ledgerId}/status': { may: UNIT_READERS, query: ONE_UNIT },
  'GET /api/ledgers/{ledgerId}/history': { may: UNIT_READERS, query: ONE_UNIT },
  'GET /api/ledgers/{ledgerId}/metrics': { may: UNIT_READERS, query: ONE_UNIT },
  'GET /api/ledgers/{ledgerId}/indicators': { may: UNIT_READERS, query: { ...ONE_UNIT, period: '2021-H1' } },
  'GET /api/ledgers/{ledgerId}/deadlines': { may: UNIT_READERS, query: ONE_UNIT },
  'GET /api/ledgers/{ledgerId}/workbooks/{unitId}': { may: UNIT_SUBMITTERS, query: { period: '2021-H1' } },
  'POST /api/ledgers/{ledgerId}/workbooks/{unitId}': { may: UNIT_SUBMITTERS },
  'GET /api/ledgers/{ledgerId}/ocop/counts': { may: LEDGER_READERS },
  'GET /api/ledgers/{ledgerId}/ocop/products': { may: UNIT_READERS, query: ONE_UNIT },
  'GET /api/ledgers/{ledgerId}/ocop/goals': { may: LEDGER_READERS },
  'GET /api/ledgers/{ledgerId}/ocop/district-targets': { may: LEDGER_READERS },
  'GET /api/ledgers/{ledgerId}/reports': { may: LEDGER_READERS },
  'GET /api/ledgers/{ledgerId}/reports/{reportId}': { may: LEDGER_READERS, query: { period: '2021-H1', format: 'xlsx' } },
  'GET /api/ledgers/{ledgerId}/reviews/{reportId}': { may: UNIT_READERS, query: { ...ONE_UNIT, period: '2021-H1' } },
  'POST /api/ledgers/{ledgerId}/reviews/{reportId}/{period}/units/{unitId}/complete': { may: UNIT_SUBMITTERS },
  'POST /api/ledgers/{ledgerId}/reviews/{reportId}/{period}/units/{unitId}/approve': { may: ['reviewer', ...LEDGER_ADMINS] },
  'POST /api/ledgers/{ledgerId}/reviews/{reportId}/{period}/units/{unitId}/return': { may: ['reviewer', ...LEDGER_ADMINS], body: { reason: 'route table' } },
  // A sign-off prints its signer's name and contact (填报人): only a person signs off.
  'POST /api/ledgers/{ledgerId}/reviews/{reportId}/{period}/sign-off': { may: ['person'] },
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('the route table: every route of the OpenAPI description answers only the callers it should', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-routes-'));
  let app: INestApplication;
  let operations: string[];
  const tokens = {} as Record<Exclude<Caller, 'none' | 'person'>, string>;
  let victimToken: { token: string; tokenId: string };
  const person = { cookie: '', csrf: '' };
  const http = () => request(app.getHttpServer());
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  const issue = async (fields: Partial<IssueTokenFields> & Pick<IssueTokenFields, 'unit' | 'role'>) =>
    app.get(CommandBus).execute(new IssueTokenCommand({ ledger: 'gd-2021', label: null, ...fields }, adminPrincipal('system:test')));

  async function signIn(login: string, password: string): Promise<{ cookie: string; csrf: string }> {
    const response = await http().post('/api/session').send({ login, password }).expect(201);
    return { cookie: sessionCookie(response.headers['set-cookie'])!, csrf: response.body.csrfToken };
  }

  beforeAll(async () => {
    ({ app } = await bootTestApp({ directory, liveProjections: false }));
    tokens.admin = (await issue({ unit: 'it-team', role: 'admin', ledger: null })).token;
    await http().post('/api/programmes').set(bearer(tokens.admin)).send(NEA).expect(201);
    const gdUnits = [
      { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company' },
      { id: 'sz-grid', name: '深圳供电局', role: 'supply-company', parent: 'gd-grid' },
      { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority' },
    ];
    await http().post('/api/ledgers').set(bearer(tokens.admin)).send({ ledgerId: 'gd-2021', programme: 'nea-2021-37', name: '广东省', units: gdUnits }).expect(201);
    await http().post('/api/ledgers').set(bearer(tokens.admin)).send({ ledgerId: 'gx-2021', programme: 'nea-2021-37', name: '广西', units: [{ id: 'gx-grid', name: '广西电网', role: 'supply-company' }] }).expect(201);

    tokens.otherLedger = (await issue({ unit: 'gx-it', role: 'admin', ledger: 'gx-2021' })).token;
    tokens.submitter = (await issue({ unit: 'gd-grid', role: 'submitter' })).token;
    tokens.reviewer = (await issue({ unit: 'gd-grid', role: 'reviewer' })).token;
    tokens.regulator = (await issue({ unit: 'nea', role: 'regulator' })).token;
    tokens.auditor = (await issue({ unit: 'inspection', role: 'auditor' })).token;
    tokens.ledgerAdmin = (await issue({ unit: 'it-team', role: 'admin' })).token;
    victimToken = await issue({ unit: 'gd-grid', role: 'submitter' });

    const commands = app.get(CommandBus);
    const system = adminPrincipal('system:test');
    await commands.execute(new CreatePersonCommand({ login: 'victim', name: '受影响的人', contact: '', language: 'zh', grants: VICTIM_GRANTS }, system));
    const created = await commands.execute(new CreatePersonCommand({ login: 'li.admin', name: '李管理', contact: '', language: 'zh', grants: [{ ledger: 'gd-2021', unit: 'it-team', role: 'admin' }] }, system));
    const first = await signIn('li.admin', created.oneTimePassword);
    await http().post('/api/session/password').set('Cookie', first.cookie).set(CSRF_HEADER, first.csrf).send({ currentPassword: created.oneTimePassword, password: PERSON_PASSWORD }).expect(201);
    Object.assign(person, await signIn('li.admin', PERSON_PASSWORD));

    const description = (await http().get('/api/docs/json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(description.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function urlOf(operation: string, route: Route): string {
    const path = operation.slice(operation.indexOf(' ') + 1);
    const defaults: Record<string, string> = { ledgerId: 'gd-2021', unitId: 'gd-grid', programmeId: 'nea-2021-37', reportId: 'nea-attachment-3', login: 'victim', tokenId: victimToken.tokenId, period: '2021-H1' };
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = route.params?.[name] ?? defaults[name];
      if (value === undefined) throw new Error(`${operation}: no value for the path parameter {${name}}: add one to the test`);
      return encodeURIComponent(value);
    });
    const query = new URLSearchParams(route.query).toString();
    return query === '' ? filled : `${filled}?${query}`;
  }

  /** One call of an operation as a caller; `withoutCsrf` leaves the person's CSRF token out. */
  async function call(operation: string, route: Route, caller: Caller, withoutCsrf = false) {
    const method = operation.slice(0, operation.indexOf(' ')).toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let pending = http()[method](urlOf(operation, route));
    if (caller === 'person') {
      pending = pending.set('Cookie', person.cookie);
      if (!withoutCsrf) pending = pending.set(CSRF_HEADER, person.csrf);
    } else if (caller !== 'none') {
      pending = pending.set(bearer(tokens[caller]));
    }
    const body = route.bodyFor?.(caller) ?? route.body;
    const response = await (body === undefined ? pending : pending.send(body as object));
    // Signing out ends the person's session: sign in again for the next routes.
    if (caller === 'person' && sessionCookie(response.headers['set-cookie']) === '') Object.assign(person, await signIn('li.admin', PERSON_PASSWORD));
    return response;
  }

  it('has one line for every operation of the OpenAPI description, and none for a route that is gone', () => {
    expect(operations.length).toBeGreaterThan(30);
    const missing = operations.filter((operation) => !(operation in ROUTES));
    const gone = Object.keys(ROUTES).filter((operation) => !operations.includes(operation));
    expect({ missing, gone }).toEqual({ missing: [], gone: [] });
  });

  it('describes every /api route the application serves, so that none escapes the table by leaving the description', () => {
    type Layer = { route?: { path: string; methods: Record<string, boolean> } };
    const stack = (app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router.stack;
    const served = stack.flatMap(({ route }) => (route ? Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`) : []));
    expect(served.length).toBeGreaterThan(30);
    expect(served.filter((operation) => operation.includes(' /api/') && !operation.includes(' /api/docs') && !operations.includes(operation))).toEqual([]);
  });

  it('never lets a caller of another ledger pass a route of a ledger (the table says so, the calls below check it)', () => {
    const ledgerRoutes = Object.entries(ROUTES).filter(([operation]) => operation.includes('{ledgerId}'));
    expect(ledgerRoutes.length).toBeGreaterThan(10);
    expect(ledgerRoutes.filter(([, route]) => route.public !== undefined || route.may?.includes('otherLedger')).map(([operation]) => operation)).toEqual([]);
  });

  it('answers every caller of every operation as the table says: 401 without a caller, 403 to those it does not list, never 5xx', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      const route = ROUTES[operation];
      if (!route) continue;
      // The callers of one operation at once (the answers do not depend on their order: any non-401/403 passes).
      await Promise.all(
        CALLERS.map(async (caller) => {
          const { status, body } = await call(operation, route, caller);
          const expected = route.public !== undefined ? String(route.public) : caller === 'none' ? '401' : route.may?.includes(caller) ? 'not 401/403, below 500' : '403';
          const ok =
            route.public !== undefined ? status === route.public && (route.publicBody === undefined || JSON.stringify(body) === JSON.stringify(route.publicBody))
            : caller === 'none' ? status === 401 && body.error === 'unauthenticated'
            : route.may?.includes(caller) ? status !== 401 && status !== 403 && status < 500
            : status === 403 && body.error === 'forbidden' && body.problems?.length > 0;
          if (!ok) wrong.push(`${operation} as ${caller}: ${status} (expected ${expected}) ${JSON.stringify(body).slice(0, 200)}`);
        }),
      );
    }
    expect(wrong.sort()).toEqual([]);
    // About 320 requests (a few seconds on an idle machine): room for a loaded one.
  }, 120_000);

  it('refuses every state-changing request made with the session cookie but without the CSRF token (403 naming it)', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      const route = ROUTES[operation];
      if (!route || route.public !== undefined || !STATE_CHANGING.has(operation.slice(0, operation.indexOf(' ')))) continue;
      const { status, body } = await call(operation, route, 'person', true);
      if (status !== 403 || body.problems?.[0]?.field !== 'X-CSRF-Token') wrong.push(`${operation}: ${status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a submitter or reviewer of unit A what they ask about another unit of the same ledger', async () => {
    const wrong: string[] = [];
    const unitScoped = Object.entries(ROUTES).filter(([operation, route]) => operations.includes(operation) && route.query?.unit !== undefined);
    expect(unitScoped.length).toBeGreaterThan(5);
    for (const [operation, route] of unitScoped) {
      for (const caller of ['submitter', 'reviewer'] as const) {
        const { status } = await call(operation, { ...route, query: { ...route.query, unit: 'gd-energy' } }, caller);
        if (status !== 403) wrong.push(`${operation} as ${caller} for unit gd-energy: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps an admin of one ledger inside it: no unbound or foreign token, grant or unit, and nothing appended', async () => {
    const log = app.get<EventStore>(EVENT_STORE);
    const head = await log.headPosition();
    const otherToken = (await http().get('/api/tokens').set(bearer(tokens.otherLedger)).expect(200)).body.find((t: { ledger: string }) => t.ledger === 'gx-2021');
    const everyLedger = [{ ledger: null, unit: 'it-team', role: 'admin' }];
    const attempts: [string, string, unknown][] = [
      ['an admin token of every ledger', 'POST /api/tokens', { unit: 'it-team', role: 'admin' }],
      ['a token of another ledger', 'POST /api/tokens', { unit: 'gx-grid', role: 'submitter', ledger: 'gx-2021' }],
      ['a token of another ledger revoked', `POST /api/tokens/${otherToken.tokenId}/revoke`, { reason: 'escalation' }],
      ['a person with a grant on every ledger', 'POST /api/people', { login: 'mallory', name: 'Mallory', language: 'en', grants: everyLedger }],
      ['a person of another ledger', 'POST /api/people', { login: 'mallory', name: 'Mallory', language: 'en', grants: [{ ledger: 'gx-2021', unit: 'gx-grid', role: 'submitter' }] }],
      ['a grant on every ledger to someone', 'PUT /api/people/victim/grants', { grants: everyLedger }],
      ['a grant on every ledger to itself', 'PUT /api/people/li.admin/grants', { grants: everyLedger }],
      ['units of another ledger', 'POST /api/ledgers/gx-2021/units', { units: [{ id: 'gx-more', name: '桂林供电局', role: 'supply-company' }] }],
      ['a ledger opened', 'POST /api/ledgers', { ledgerId: 'mine-2021', programme: 'nea-2021-37', units: [{ id: 'm', name: 'M', role: 'supply-company' }] }],
    ];
    const wrong: string[] = [];
    for (const caller of ['ledgerAdmin', 'person'] as const) {
      for (const [what, operation, body] of attempts) {
        const { status } = await call(operation, { body }, caller);
        if (status !== 403) wrong.push(`${caller}: ${what}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await log.headPosition()).toBe(head);
  });

  it('lists to an admin only the tokens and people of the ledgers it administers', async () => {
    const listed = async (caller: 'otherLedger' | 'ledgerAdmin', what: string) => (await http().get(`/api/${what}`).set(bearer(tokens[caller])).expect(200)).body as { ledger?: string | null; grants?: Grant[] }[];
    const ledgersOf = (rows: { ledger?: string | null; grants?: Grant[] }[]) => [...new Set(rows.flatMap((row) => (row.grants ? row.grants.map((g) => g.ledger) : [row.ledger])))].sort();
    expect(ledgersOf(await listed('otherLedger', 'tokens'))).toEqual(['gx-2021']);
    expect(await listed('otherLedger', 'people')).toEqual([]);
    expect(ledgersOf(await listed('ledgerAdmin', 'tokens'))).toEqual(['gd-2021']);
    expect(ledgersOf(await listed('ledgerAdmin', 'people'))).toEqual(['gd-2021']);
  });

  it('lets a submitter submit only for its own unit, whatever the body says', async () => {
    const other = { ...FIGURE, unit: 'gd-energy', dimensions: { service: 'sanling-other' } };
    await http().post('/api/ledgers/gd-2021/submissions').set(bearer(tokens.submitter)).send(other).expect(403);
    await http().post('/api/ledgers/gd-2021/submissions').set(bearer(tokens.submitter)).send({ ...FIGURE, ledger: 'gx-2021', unit: 'gx-grid' }).expect(400);
    await http().post('/api/ledgers/gx-2021/submissions').set(bearer(tokens.submitter)).send({ ...FIGURE, ledger: 'gx-2021', unit: 'gx-grid' }).expect(403);
  });

  it('answers an unknown token, a revoked one and a wrong secret with the identical 401', async () => {
    const live = await issue({ unit: 'gd-grid', role: 'submitter' });
    const revoked = await issue({ unit: 'gd-grid', role: 'submitter' });
    await http().post(`/api/tokens/${revoked.tokenId}/revoke`).set(bearer(tokens.admin)).send({ reason: 'route table' }).expect(201);
    const secret = live.token.slice(live.token.lastIndexOf('_') + 1);
    const presented = {
      unknown: `clt_${'a'.repeat(12)}_${secret}`,
      revoked: revoked.token,
      wrongSecret: `${live.token.slice(0, -2)}${live.token.endsWith('AA') ? 'BB' : 'AA'}`,
    };
    await http().get('/api/programmes').set(bearer(live.token)).expect(200);
    const answers = await Promise.all(Object.values(presented).map((token) => http().get('/api/programmes').set(bearer(token))));
    const seen = answers.map((answer) => ({ status: answer.status, body: answer.body, challenge: answer.headers['www-authenticate'] }));
    expect(seen[0]).toEqual({ status: 401, body: { error: 'unauthenticated', problems: [{ field: 'Authorization', reason: INVALID_TOKEN }] }, challenge: expect.stringMatching(/^Bearer/) });
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });
});

/** The session cookie a response sets (`name=value`), '' when it clears it, undefined when it sets none. */
function sessionCookie(setCookie: string | string[] | undefined): string | undefined {
  const line = [setCookie ?? []].flat().find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
  if (line === undefined) return undefined;
  const pair = line.split(';')[0];
  return pair === `${SESSION_COOKIE}=` ? '' : pair;
}
