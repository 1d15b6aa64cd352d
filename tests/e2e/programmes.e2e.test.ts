import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { registerShippedProgrammes, shippedProgrammeFiles } from '../../src/programmes/shipped-programmes';
import { cli } from '../support/cli-in-process';
import { collect } from '../support/streams';
import { bootTestApp } from '../support/boot-test-app';

describe('programmes as events, through the CLI', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-programmes-'));
  const path = join(directory, 'ledger.db');
  const store = `sqlite:${path}`;
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const head = async () => {
    const log = new SqliteEventStore(path);
    const position = await log.headPosition();
    await log.close();
    return position;
  };

  it('rejects a malformed template naming the line, the path and the reason, appending nothing', async () => {
    const bad = join(directory, 'bad.yaml');
    writeFileSync(bad, 'id: bad\ntitle: x\nlanguage: fr\ntimeZone: Mars/Olympus\n');
    const result = await cli(store, 'programme', 'import', bad);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`error: ${bad}:3:1 language: unknown language "fr"; expected one of zh-CN, vi`);
    expect(result.err.some((line) => /:4:\d+ timeZone: /.test(line))).toBe(true);
    expect(result.err.some((line) => / tasks: missing required field/.test(line))).toBe(true);
    expect(await head()).toBe(0);
  });

  it('registers the five source programmes, then an unchanged import appends nothing', async () => {
    for (const file of shippedProgrammeFiles()) expect((await cli(store, 'programme', 'import', file)).code).toBe(0);
    const before = await head();
    expect(before).toBe(5);
    const again = await cli(store, 'programme', 'import', join(__dirname, '../../templates/programmes/nea-2021-37.yaml'));
    expect(again.stdout).toBe('nea-2021-37: unchanged (version 1); nothing appended');
    expect(await head()).toBe(before);

    const list = await cli(store, 'programme', 'list', '--json');
    const programmes = JSON.parse(list.stdout) as { id: string; tasks: number; indicators: number }[];
    expect(programmes.map((p) => [p.id, p.tasks])).toEqual([
      ['angiang-ocop-2022', expect.any(Number)],
      ['camau-ocop-2022', expect.any(Number)],
      ['cnipa-2021-2022', 115],
      ['dongthap-ocop-2026-2030', 35],
      ['nea-2021-37', 57],
    ]);
  });

  it('shows a programme as one JSON object with its numbered tasks, indicators, metrics, roles, reports and calendar', async () => {
    const shown = JSON.parse((await cli(store, 'programme', 'show', 'nea-2021-37', '--json')).stdout);
    expect(shown).toMatchObject({ id: 'nea-2021-37', title: '全面提升“获得电力”服务水平工作任务台账', version: 1 });
    expect(shown.tasks).toHaveLength(57);
    expect(shown.tasks[0]).toMatchObject({ number: '1', deadline: { text: '2022年底前' } });
    expect(shown.indicators).toHaveLength(38);
    expect(shown.roles.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['supply-company', 'energy-authority']));
    expect(shown.metrics.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining(['benefit.households', 'benefit.investmentSaved', 'benefit.salesAdded', 'benefit.capacityAdded']),
    );
    expect(shown.reports).toEqual(expect.arrayContaining(['nea-attachment-2', 'nea-attachment-3', 'task-status']));
    expect(shown.calendar.map((c: { period: string }) => c.period)).toEqual(['half-year', 'year']);
    const cnipa = JSON.parse((await cli(store, 'programme', 'show', 'cnipa-2021-2022', '--json')).stdout);
    for (const key of ['id', 'title', 'tasks', 'indicators', 'metrics', 'roles', 'reports', 'calendar']) expect(cnipa).toHaveProperty(key);
    expect(cnipa.indicators).toEqual([]);
    const missing = await cli(store, 'programme', 'show', 'no-such-programme');
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual(['error: programmeId: no programme "no-such-programme"']);
  });

  it('records a changed template as an amendment with its difference; the earlier version stays readable as of its moment', async () => {
    const original = readFileSync(join(__dirname, '../../templates/programmes/nea-2021-37.yaml'), 'utf8');
    const changed = join(directory, 'nea-2021-37.yaml');
    writeFileSync(changed, original.replace('将低压、20kV', '将低压（修订）、20kV'));
    const result = await cli(store, 'programme', 'import', changed);
    expect(result.stdout).toMatch(/^nea-2021-37: amended \(tasksChanged\), version 2 at log position 6$/);

    const log = new SqliteEventStore(path);
    const [registered, amended] = await collect(log.readStream('programme-nea-2021-37'));
    await log.close();
    expect(amended.type).toBe('ProgrammeAmended');
    expect(amended.data.changes).toMatchObject({ tasksChanged: ['2'], tasksAdded: [], tasksRemoved: [] });
    expect(amended.metadata).toMatchObject({ role: 'admin', actor: expect.stringMatching(/^cli:/) });

    const now = JSON.parse((await cli(store, 'programme', 'show', 'nea-2021-37', '--json')).stdout);
    expect(now.version).toBe(2);
    expect(now.tasks[1].text).toMatch(/修订/);
    const before = JSON.parse((await cli(store, 'programme', 'show', 'nea-2021-37', '--json', '--as-of', '5')).stdout);
    expect(before.version).toBe(1);
    expect(before.tasks[1].text).not.toMatch(/修订/);
    expect(amended.recordedAt > registered.recordedAt).toBe(true);
    const byTime = JSON.parse((await cli(store, 'programme', 'show', 'nea-2021-37', '--json', '--as-of', registered.recordedAt)).stdout);
    expect(byTime.version).toBe(1);
    expect((await cli(store, 'programme', 'show', 'nea-2021-37', '--as-of', 'yesterday')).err).toEqual([
      'error: --as-of: "yesterday" is neither an ISO-8601 time (2021-07-15T00:00:00+08:00) nor a tree size (size:1234) nor a log position',
    ]);
  });
});

describe('start-up registration of the shipped programmes', () => {
  it('registers every shipped template on an empty store, and nothing on the next start', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-startup-'));
    const { app } = await bootTestApp({ directory, liveProjections: false });
    const store = app.get<EventStore>(EVENT_STORE);
    const first = await registerShippedProgrammes(app.get(CommandBus), store, systemContext('startup'));
    expect(first.map((r) => r.outcome)).toEqual(['registered', 'registered', 'registered', 'registered', 'registered']);
    expect(await registerShippedProgrammes(app.get(CommandBus), store, systemContext('startup'))).toEqual([]);
    expect(await store.headPosition()).toBe(5);
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  });
});
