import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AccessModule } from '../../src/access/access.module';
import { assertMayActFor } from '../../src/access/grants';
import { INVALID_TOKEN } from '../../src/access/token-authenticator';
import { configureBodyLimits } from '../../src/http/body-limits';
import { CallerContext, Principal } from '../../src/access/principal.decorator';
import { ROLES } from '../../src/access/roles';
import { Public, Roles } from '../../src/access/auth.guard';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/event-sourcing/clock';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import type { RequestContext } from '../../src/event-sourcing/request-context';
import { EventStoreModule } from '../../src/event-store/event-store.module';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { DomainErrorFilter } from '../../src/http/domain-error.filter';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { ReadModelsModule } from '../../src/read-models/read-models.module';
import { cli } from '../support/cli-in-process';

/** A tiny ledger-shaped API to probe the guard, the roles and assertMayActFor. */
@Controller('probe')
class ProbeController {
  @Post(':ledgerId/:unitId')
  @Roles('submitter', 'admin')
  submit(@Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Principal() principal: Principal, @CallerContext() context: RequestContext, @Body() body: unknown) {
    assertMayActFor(principal, { action: 'submit', ledgerId, unitId });
    return { context, received: body };
  }

  @Get(':ledgerId/:unitId')
  @Roles(...ROLES)
  read(@Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Principal() principal: Principal) {
    assertMayActFor(principal, { action: 'read', ledgerId, unitId });
    return { principal };
  }

  @Get('public')
  @Public()
  open() {
    return { open: true };
  }
}

const BURST = 8;
const MAX_BODY = 4096;

describe('access: tokens, guard, roles, limits', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-access-'));
  const path = join(directory, 'ledger.db');
  const store = `sqlite:${path}`;
  const clock = new FixedClock(new Date('2021-07-01T08:00:00Z'));
  let app: NestExpressApplication;
  const printed: string[] = [];

  beforeAll(async () => {
    const config = loadConfig({ store, liveProjections: true }, {});
    @Module({
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot(config),
        ReadModelsModule,
        AccessModule.forRoot({ rateLimit: { perSecond: 1, burst: BURST }, clock, env: {} }),
      ],
      controllers: [ProbeController],
      providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
    })
    class ProbeAppModule {}
    app = await NestFactory.create<NestExpressApplication>(ProbeAppModule, { logger: false, bodyParser: true });
    configureBodyLimits(app, MAX_BODY);
    await app.init();

    // Tokens are issued for units of open ledgers.
    expect((await cli(store, 'programme', 'import', join(__dirname, '../../templates/programmes/nea-2021-37.yaml'))).code).toBe(0);
    const units = (rows: string[]) => {
      const file = join(directory, `units-${rows.length}-${rows[0].split(',')[0]}.csv`);
      writeFileSync(file, ['id,name,role,parent', ...rows].join('\n'));
      return file;
    };
    const gd = units(['gd-grid,广东电网,supply-company,', 'nea,国家能源局,energy-authority,', 'inspection,南方监管局,nea-regional-office,', 'it-team,信息中心,energy-authority,']);
    const gx = units(['gx-grid,广西电网,supply-company,']);
    expect((await cli(store, 'ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', gd)).code).toBe(0);
    expect((await cli(store, 'ledger', 'open', 'gx-2021', '--programme', 'nea-2021-37', '--units', gx)).code).toBe(0);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** `token create` through the CLI, as an operator would while the server runs. */
  async function createToken(...args: string[]): Promise<{ token: string; tokenId: string }> {
    const result = await cli(store, 'token', 'create', ...args);
    expect(result).toMatchObject({ code: 0, err: [] });
    expect(result.out).toHaveLength(1);
    const token = result.out[0];
    printed.push(token);
    return { token, tokenId: token.slice(4, 16) };
  }

  const http = () => request(app.getHttpServer());
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('token create prints one line, the token, and records TokenIssued with the secret’s hash only', async () => {
    const { token, tokenId } = await createToken('--unit', 'gd-grid', '--role', 'submitter', '--label', 'Guangdong grid uploads');
    expect(token).toMatch(/^clt_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    const secret = token.slice(17);

    const log = app.get<EventStore>(EVENT_STORE);
    const events = [];
    for await (const event of log.readStream(`token-${tokenId}`)) events.push(event);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'TokenIssued',
      data: { tokenId, tokenHash: createHash('sha256').update(secret).digest('hex'), unit: 'gd-grid', ledger: null, role: 'submitter', label: 'Guangdong grid uploads' },
      metadata: { role: 'admin', actor: expect.stringMatching(/^cli:/) },
    });
  });

  it('token create refuses an unknown role or a missing or empty unit as a usage error, in one line, appending nothing', async () => {
    const head = await app.get<EventStore>(EVENT_STORE).headPosition();
    const badRole = await cli(store, 'token', 'create', '--unit', 'gd-grid', '--role', 'owner');
    expect(badRole.code).toBe(2);
    expect(badRole.out).toEqual([]);
    expect(badRole.err[0]).toBe('usage error: token create: --role: "owner" is not a role; expected one of submitter, reviewer, regulator, auditor, admin');
    const noUnit = await cli(store, 'token', 'create', '--role', 'auditor');
    expect(noUnit.code).toBe(2);
    expect(noUnit.err[0]).toBe('usage error: token create: --unit <unitId> is required');
    const emptyUnit = await cli(store, 'token', 'create', '--unit', ' ', '--role', 'auditor');
    expect(emptyUnit.code).toBe(2);
    expect(emptyUnit.err[0]).toBe('usage error: token create: --unit: must not be empty');
    expect(await app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head);
  });

  it('token create refuses a unit that no ledger has, or that the bound ledger does not have (exit 1), appending nothing', async () => {
    const head = await app.get<EventStore>(EVENT_STORE).headPosition();
    expect(await cli(store, 'token', 'create', '--unit', 'nowhere', '--role', 'submitter')).toMatchObject({
      code: 1,
      out: [],
      err: ['error: unit: no ledger has unit "nowhere"'],
    });
    expect(await cli(store, 'token', 'create', '--unit', 'gx-grid', '--role', 'submitter', '--ledger', 'gd-2021')).toMatchObject({
      code: 1,
      out: [],
      err: ['error: unit: no unit "gx-grid" in ledger "gd-2021"'],
    });
    expect(await app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head);
  });

  it('401 without a header, with a malformed, unknown or wrong-secret token, each naming the reason', async () => {
    const { token } = await createToken('--unit', 'gd-grid', '--role', 'submitter');
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /^no caller: sign in/],
      [{ Authorization: `Basic ${token}` }, /^the Authorization header is not "Bearer <token>"$/],
      [bearer('clt_nonsense'), new RegExp(`^${INVALID_TOKEN}$`)],
      [bearer(`clt_${'a'.repeat(12)}_${token.slice(17)}`), new RegExp(`^${INVALID_TOKEN}$`)],
      [bearer(`${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`), new RegExp(`^${INVALID_TOKEN}$`)],
    ];
    for (const [headers, reason] of cases) {
      const response = await http().post('/probe/gd-2021/gd-grid').set(headers).send({ value: 1 }).expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.body).toEqual({ error: 'unauthenticated', problems: [{ field: 'Authorization', reason: expect.stringMatching(reason) }] });
    }
    await http().get('/probe/public').expect(200, { open: true });
  });

  it('201 for a submitter’s own unit, recording the token as actor and the X-Correlation-Id; a token created while serving works at once', async () => {
    const { token, tokenId } = await createToken('--unit', 'gd-grid', '--role', 'submitter');
    const response = await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).set('X-Correlation-Id', 'upload-42').send({ value: 1520 }).expect(201);
    expect(response.body).toEqual({
      context: { actor: `token:${tokenId}`, role: 'submitter', unit: 'gd-grid', correlationId: 'upload-42' },
      received: { value: 1520 },
    });
    const fresh = await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send({}).expect(201);
    expect(fresh.body.context.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const badCorrelation = await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).set('X-Correlation-Id', 'a b').send({}).expect(400);
    expect(badCorrelation.body.problems[0].field).toBe('X-Correlation-Id');
  });

  it('403 for another unit, a role the route does not allow, an auditor, and a token bound to another ledger, each naming the reason', async () => {
    const submitter = await createToken('--unit', 'gd-grid', '--role', 'submitter');
    const auditor = await createToken('--unit', 'inspection', '--role', 'auditor');
    const regulator = await createToken('--unit', 'nea', '--role', 'regulator');
    const bound = await createToken('--unit', 'gd-grid', '--role', 'submitter', '--ledger', 'gd-2021');
    const admin = await createToken('--unit', 'it-team', '--role', 'admin');

    const forbidden = async (token: string, url: string, reason: RegExp, method: 'post' | 'get' = 'post') => {
      const response = await http()[method](url).set(bearer(token)).send({}).expect(403);
      expect(response.body).toEqual({ error: 'forbidden', problems: [{ ...(response.body.problems[0].field ? { field: expect.stringMatching(/^(unit|ledger)$/) } : {}), reason: expect.stringMatching(reason) }] });
    };
    await forbidden(submitter.token, '/probe/gd-2021/gx-grid', new RegExp(`^token:${submitter.tokenId} may not submit for unit "gx-grid" of ledger "gd-2021": it holds submitter of unit "gd-grid" on every ledger`));
    await forbidden(auditor.token, '/probe/gd-2021/inspection', new RegExp(`^this request is for submitter .* or admin .*; token:${auditor.tokenId} holds auditor on every ledger$`));
    await forbidden(regulator.token, '/probe/gd-2021/nea', /^this request is for submitter .* or admin .*; token:\w+ holds regulator on every ledger$/);
    await forbidden(bound.token, '/probe/gx-2021/gd-grid', new RegExp(`^this request is for .* on ledger "gx-2021"; token:${bound.tokenId} holds submitter on ledger "gd-2021"$`));
    await forbidden(submitter.token, '/probe/gd-2021/gx-grid', /may not read unit "gx-grid" of ledger "gd-2021"/, 'get');

    await http().post('/probe/gd-2021/gd-grid').set(bearer(bound.token)).send({}).expect(201);
    await http().post('/probe/gx-2021/gx-grid').set(bearer(admin.token)).send({}).expect(201);
    const read = await http().get('/probe/gd-2021/gd-grid').set(bearer(auditor.token)).expect(200);
    expect(read.body.principal).toEqual({ kind: 'token', id: auditor.tokenId, actor: `token:${auditor.tokenId}`, name: null, language: null, grants: [{ unit: 'inspection', ledger: null, role: 'auditor' }] });
    await http().get('/probe/gd-2021/gd-grid').set(bearer(regulator.token)).expect(200);
  });

  it('401 for a token revoked by another process on the very next request', async () => {
    const { token, tokenId } = await createToken('--unit', 'gd-grid', '--role', 'submitter');
    await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send({}).expect(201);
    const revoked = await cli(store, 'token', 'revoke', tokenId, '--reason', 'laptop lost');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^token ${tokenId} revoked at log position \\d+$`));
    expect((await cli(store, 'token', 'revoke', tokenId, '--reason', 'again')).stdout).toBe(`token ${tokenId} was already revoked; nothing appended`);

    const response = await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send({}).expect(401);
    expect(response.body.problems).toEqual([{ field: 'Authorization', reason: INVALID_TOKEN }]);

    const unknown = await cli(store, 'token', 'revoke', 'aaaaaaaaaaaa', '--reason', 'x');
    expect(unknown).toMatchObject({ code: 1, err: ['error: tokenId: no token "aaaaaaaaaaaa"'] });
    expect((await cli(store, 'token', 'revoke', tokenId)).code).toBe(2);
  });

  it('429 with Retry-After and the limit named once a token has used its burst; one more request a second after', async () => {
    const { token, tokenId } = await createToken('--unit', 'gd-grid', '--role', 'submitter');
    for (let i = 0; i < BURST; i++) await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send({}).expect(201);
    const refused = await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send({}).expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual({
      error: 'rate-limited',
      problems: [{ reason: `token:${tokenId} exceeded its limit of 1 requests per second (bursts of ${BURST}); retry after 1 s` }],
      limit: { perSecond: 1, burst: BURST },
    });
    // Other tokens have their own buckets.
    const other = await createToken('--unit', 'gd-grid', '--role', 'submitter');
    await http().post('/probe/gd-2021/gd-grid').set(bearer(other.token)).send({}).expect(201);
    clock.advance(1000);
    await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send({}).expect(201);
    await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send({}).expect(429);
  });

  it('413 in the API’s JSON shape for a body over the limit, declared or chunked; 400 for malformed JSON', async () => {
    const { token } = await createToken('--unit', 'gd-grid', '--role', 'submitter');
    const big = { note: 'x'.repeat(MAX_BODY) };
    const declared = await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send(big).expect(413);
    expect(declared.body).toEqual({
      error: 'too-large',
      problems: [{ reason: `the request body of ${JSON.stringify(big).length} bytes exceeds the limit of ${MAX_BODY} bytes (LEDGER_MAX_BODY_BYTES)` }],
    });

    // A chunked body has no Content-Length: the JSON parser counts it as it reads.
    const server = app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const { port } = server.address() as AddressInfo;
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { port, method: 'POST', path: '/probe/gd-2021/gd-grid', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', ...bearer(token) } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"note":"');
      req.write('y'.repeat(MAX_BODY));
      req.end('"}');
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toEqual({ error: 'too-large', problems: [{ reason: `the request body exceeds the limit of ${MAX_BODY} bytes (LEDGER_MAX_BODY_BYTES)` }] });

    const malformed = await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).set('Content-Type', 'application/json').send('{"value":').expect(400);
    expect(malformed.body).toEqual({ error: 'invalid', problems: [{ field: 'body', reason: expect.stringMatching(/^not valid JSON: /) }] });
    await http().post('/probe/gd-2021/gd-grid').set(bearer(token)).send({ note: 'x'.repeat(MAX_BODY - 100) }).expect(201);
  });

  it('GET /api/tokens lists the tokens for admins only, without hashes; `token list` the same', async () => {
    const admin = await createToken('--unit', 'it-team', '--role', 'admin', '--label', 'ops console');
    const submitter = await createToken('--unit', 'gd-grid', '--role', 'submitter', '--ledger', 'gd-2021');
    await app.get(ProjectionRunner).whenCaughtUp(await app.get<EventStore>(EVENT_STORE).headPosition());

    const refused = await http().get('/api/tokens').set(bearer(submitter.token)).expect(403);
    expect(refused.body.problems[0].reason).toMatch(/^this request is for admin .*; token:\w+ holds submitter on ledger "gd-2021"$/);
    const listed = await http().get('/api/tokens').set(bearer(admin.token)).expect(200);
    expect(listed.body).toHaveLength(printed.length);
    expect(listed.body).toContainEqual({
      tokenId: submitter.tokenId,
      unit: 'gd-grid',
      ledger: 'gd-2021',
      role: 'submitter',
      label: null,
      expiresAt: expect.any(String),
      issuedBy: expect.stringMatching(/^cli:/),
      issuedAt: expect.any(String),
      issuedPosition: expect.any(Number),
      revoked: null,
    });
    expect(listed.body.filter((t: { revoked: unknown }) => t.revoked !== null)).toEqual([
      expect.objectContaining({ revoked: expect.objectContaining({ reason: 'laptop lost' }) }),
    ]);
    expect(JSON.stringify(listed.body)).not.toMatch(/hash|[0-9a-f]{64}/i);
    const onlyGd = await http().get('/api/tokens?ledger=gd-2021&active=true').set(bearer(admin.token)).expect(200);
    expect(onlyGd.body.map((t: { tokenId: string }) => t.tokenId).sort()).toEqual(
      listed.body.filter((t: { ledger: string; revoked: unknown }) => t.ledger === 'gd-2021' && !t.revoked).map((t: { tokenId: string }) => t.tokenId).sort(),
    );

    const list = await cli(store, 'token', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual(listed.body);
    const text = await cli(store, 'token', 'list', '--unit', 'it-team');
    expect(text.out.some((line) => line.startsWith(admin.tokenId) && line.includes('ops console'))).toBe(true);
  });

  it('never stores a printed token or its secret: not in any event row, nor anywhere in the database files', async () => {
    expect(printed.length).toBeGreaterThan(10);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT id, stream, type, data, metadata FROM events').all() as Record<string, string>[];
    db.close();
    expect(rows.filter((r) => r.type === 'TokenIssued')).toHaveLength(printed.length);
    const everything = rows.map((r) => Object.values(r).join('\n')).join('\n');
    const files = [path, `${path}-wal`, join(directory, 'ledger.read-models.db'), join(directory, 'ledger.read-models.db-wal')].filter(existsSync);
    const bytes = files.map((file) => readFileSync(file).toString('latin1')).join('\n');
    for (const token of printed) {
      const secret = token.slice(17);
      expect(everything).not.toContain(secret);
      expect(bytes).not.toContain(secret);
      expect(everything).toContain(createHash('sha256').update(secret).digest('hex'));
    }
  });
});
