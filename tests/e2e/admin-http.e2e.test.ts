import { adminPrincipal } from '../../src/access/principal';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { bootTestApp } from '../support/boot-test-app';

const NEA = parse(readFileSync(join(__dirname, '../../templates/programmes/nea-2021-37.yaml'), 'utf8')) as Record<string, unknown>;
const UNITS = [
  { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority' },
  { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: null },
];

describe('admin over HTTP: programmes, ledgers, units, tokens', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-admin-'));
  let app: INestApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ({ app } = await bootTestApp({ directory, liveProjections: false }));
    // The first admin token comes from the operator (the CLI's `token create`); here through the bus.
    admin = (await app.get(CommandBus).execute(new IssueTokenCommand({ unit: 'it-team', role: 'admin', ledger: null, label: null }, adminPrincipal('system:test')))).token;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('imports a programme: registered, then unchanged; a malformed one is 400 naming the path', async () => {
    const first = await http().post('/api/programmes').set(as(admin)).send(NEA).expect(201);
    expect(first.body).toMatchObject({ programmeId: 'nea-2021-37', outcome: 'registered', version: 1 });
    expect((await http().post('/api/programmes').set(as(admin)).send(NEA).expect(201)).body).toMatchObject({ outcome: 'unchanged' });
    const bad = await http().post('/api/programmes').set(as(admin)).send({ ...NEA, language: 'fr' }).expect(400);
    expect(bad.body.problems.some((p: { field: string; reason: string }) => p.field.endsWith(' language') && /unknown language "fr"/.test(p.reason))).toBe(true);
  });

  it('opens a ledger with units given as JSON; refuses a second opening and bad units', async () => {
    const opened = await http().post('/api/ledgers').set(as(admin)).send({ ledgerId: 'gd-2021', programme: 'nea-2021-37', name: '广东省', units: UNITS }).expect(201);
    expect(opened.body).toMatchObject({ ledgerId: 'gd-2021', units: 2 });
    await http().post('/api/ledgers').set(as(admin)).send({ ledgerId: 'gd-2021', programme: 'nea-2021-37', units: UNITS }).expect(409);
    const badRole = await http().post('/api/ledgers').set(as(admin)).send({ ledgerId: 'gd-2022', programme: 'nea-2021-37', units: [{ id: 'x', name: 'X', role: 'mayor' }] }).expect(400);
    expect(badRole.body.problems[0]).toMatchObject({ field: 'units:2 role', reason: expect.stringMatching(/"mayor" is not a role of the programme/) });
    const badShape = await http().post('/api/ledgers').set(as(admin)).send({ ledgerId: 'gd-2022', programme: 'nea-2021-37', units: [{ id: 'x', name: 7, role: 'mayor' }] }).expect(400);
    expect(badShape.body.problems[0]).toMatchObject({ field: 'units[0].name', reason: 'must be a string' });
    await http().post('/api/ledgers').set(as(admin)).send({ ledgerId: 'gd-2022', programme: 'nope', units: UNITS }).expect(404);
  });

  it('adds and retires units', async () => {
    await http().post('/api/ledgers/gd-2021/units').set(as(admin)).send({ units: [{ id: 'gz-grid', name: '广州供电局', role: 'supply-company', parent: 'gd-grid' }] }).expect(201);
    await http().post('/api/ledgers/gd-2021/units/gz-grid/retire').set(as(admin)).send({ reason: '并入广东电网' }).expect(201);
    await http().post('/api/ledgers/gd-2021/units/gz-grid/retire').set(as(admin)).send({}).expect(400);
  });

  it('issues a token that submits at once, and revokes it; only an admin may', async () => {
    const issued = await http().post('/api/tokens').set(as(admin)).send({ unit: 'gd-grid', role: 'submitter', ledger: 'gd-2021' }).expect(201);
    expect(issued.body.token).toMatch(/^clt_/);
    const figure = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 3 };
    await http().post('/api/ledgers/gd-2021/submissions').set(as(issued.body.token)).send(figure).expect(201);
    await http().post('/api/tokens').set(as(issued.body.token)).send({ unit: 'gd-grid', role: 'admin' }).expect(403);
    await http().post('/api/programmes').set(as(issued.body.token)).send(NEA).expect(403);
    await http().post('/api/tokens').set(as(admin)).send({ unit: 'gd-grid', role: 'overlord' }).expect(400);
    await http().post(`/api/tokens/${issued.body.tokenId}/revoke`).set(as(admin)).send({ reason: 'left the company' }).expect(201);
    await http().post('/api/ledgers/gd-2021/submissions').set(as(issued.body.token)).send({ ...figure, dimensions: { service: 'sanling-other' } }).expect(401);
    const listed = await http().get('/api/tokens').query({ unit: 'gd-grid' }).set(as(admin)).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token.split('_').pop());
  });
});
