import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { cli } from '../support/cli-in-process';
import { programmeFile } from '../support/ledger-log';

/** The CONTRACT.md CLI flow for ledgers, on a fresh embedded store: open, submit, status, history, units. */

const ID = {
  progress: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405001',
  metric: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405002',
  correction: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405003',
  authority: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405004',
  shenzhen: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405005',
  leaving: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405006',
  dateFix: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405007',
  fresh: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405008',
  shared: '6f1c2a9e-0b7d-4c4e-9a51-1d2e3f405009',
};

interface StatusRow {
  task: string;
  unit: string;
  status: string;
  progress: string | null;
  completedOn: string | null;
}
interface HistoryEntry {
  position: number;
  eventId: string;
  type: string;
  unit: string | null;
  recordedAt: string;
  data: Record<string, unknown>;
  replaced: { eventId: string; type: string; data: Record<string, unknown> } | null;
  supersededBy: string | null;
}

const ndjson = (...records: unknown[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

describe('ledgers through the CLI (CONTRACT.md)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-ledgers-'));
  const path = join(directory, 'ledger.db');
  const store = `sqlite:${path}`;
  const file = (name: string, text: string) => {
    const at = join(directory, name);
    writeFileSync(at, text);
    return at;
  };
  const run = (...args: string[]) => cli(store, ...args);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const head = async () => {
    const log = new SqliteEventStore(path);
    try {
      return await log.headPosition();
    } finally {
      await log.close();
    }
  };
  const status = async (...extra: string[]) => {
    const result = await run('status', 'gd-2021', '--json', ...extra);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as { ledgerId: string; programmeId: string; asOf: string; rows: StatusRow[] };
  };
  const task4 = async (...extra: string[]) =>
    Object.fromEntries((await status(...extra)).rows.filter((r) => r.task === '4').map((r) => [r.unit, { status: r.status, progress: r.progress, completedOn: r.completedOn }]));
  const history = async (...extra: string[]) => {
    const result = await run('history', 'gd-2021', '--json', ...extra);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as HistoryEntry[];
  };
  const positionOf = async (eventId: string) => (await history()).find((e) => e.eventId === eventId)!.position;

  const progress = { type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'completed', on: '2021-06-30', note: '居民用户办电时间压减至5个工作日', evidence: ['粤电营销〔2021〕12号'], id: ID.progress };
  const metric = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 1520, id: ID.metric };
  const correction = { type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: ID.metric, reason: '复核后更正', value: 1500, id: ID.correction };
  const authority = { type: 'progress', ledger: 'gd-2021', unit: 'gd-nea', task: '4', status: 'in-progress', on: '2021-06-01', id: ID.authority };
  const shenzhen = { type: 'metric', ledger: 'gd-2021', unit: 'gd-sz', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 40, id: ID.shenzhen };
  const leaving = { type: 'progress', ledger: 'gd-2021', unit: 'gd-old', task: '3', status: 'in-progress', on: '2021-03-01', id: ID.leaving };
  // Saved with Windows line ends, as a spreadsheet export would be.
  const contractFile = () => file('submissions.ndjson', ndjson(progress, metric, correction, authority, shenzhen, leaving).replace(/\n/g, '\r\n'));

  it('registers the NEA programme from its template', async () => {
    const result = await run('programme', 'import', programmeFile('nea-2021-37'));
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(await head()).toBe(1);
  });

  it('refuses a units.csv with bad lines, naming each line and column, and opens nothing', async () => {
    const csv = file('units-bad.csv', 'id,name,role,parent\ngd-grid,广东电网有限责任公司,supply-company,\ngd-sz,深圳供电局,mayor,gd-grid\ngd.x,Dotted,supply-company,\ngd-y,Orphan,supply-company,gd-nowhere\n');
    const result = await run('ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', csv);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(new RegExp(`^error: ${csv}:3 role: "mayor" is not a role of the programme`)),
      expect.stringMatching(new RegExp(`^error: ${csv}:4 id: "gd\\.x" must be`)),
      `error: ${csv}:5 parent: "gd-nowhere" is not a unit of this file`,
    ]);
    expect(await head()).toBe(1);
    expect((await run('status', 'gd-2021')).err).toEqual(['error: ledger: no ledger "gd-2021"']);
  });

  it('refuses a ledger of an unknown programme, and usage errors exit 2', async () => {
    const csv = file('units-one.csv', 'id,name,role,parent\ngd-grid,Grid,supply-company,\n');
    const unknown = await run('ledger', 'open', 'gd-2021', '--programme', 'nea-2099', '--units', csv);
    expect(unknown.code).toBe(1);
    expect(unknown.err[0]).toMatch(/^error: programme: no programme "nea-2099"/);
    expect((await run('ledger', 'open', 'gd-2021', '--units', csv)).code).toBe(2);
    expect((await run('ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', join(directory, 'missing.csv'))).code).toBe(2);
    expect((await run('ledger', 'open', 'gd 2021', '--programme', 'nea-2021-37', '--units', csv)).code).toBe(1);
    expect(await head()).toBe(1);
  });

  it('opens the ledger with its units', async () => {
    const csv = file(
      'units.csv',
      '\uFEFFid,name,role,parent\r\ngd-grid,广东电网有限责任公司,supply-company,\r\ngd-sz,"深圳供电局有限公司, 南方电网",supply-company,gd-grid\r\ngd-nea,广东省能源局,energy-authority,\r\ngd-old,旧供电所,supply-company,gd-grid\r\n',
    );
    const result = await run('ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', csv, '--name', '广东省 2021');
    expect(result.err).toEqual([]);
    expect(result.stdout).toBe('opened ledger gd-2021 of nea-2021-37 with 4 units at log position 2');
    const again = await run('ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', csv);
    expect(again.code).toBe(1);
    expect(again.err).toEqual(['error: ledgerId: ledger "gd-2021" is already open']);
    expect(await head()).toBe(2);
  });

  it('shows every (task, unit) as not completed before anything is submitted', async () => {
    const rows = await task4();
    expect(rows).toEqual({
      'gd-grid': { status: 'overdue', progress: null, completedOn: null },
      'gd-nea': { status: 'overdue', progress: null, completedOn: null },
      'gd-old': { status: 'overdue', progress: null, completedOn: null },
      'gd-sz': { status: 'overdue', progress: null, completedOn: null },
    });
  });

  it('appends the contract’s example records (progress, metric, correction) from one file', async () => {
    const result = await run('submit', contractFile());
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('appended 6 events from 6 lines to 4 unit streams; log position 8');
    expect(await head()).toBe(8);
  });

  it('gives task 4 as completed for the unit that completed it and as not completed for the others', async () => {
    const report = await status();
    expect(report).toMatchObject({ ledgerId: 'gd-2021', programmeId: 'nea-2021-37' });
    expect(await task4()).toEqual({
      'gd-grid': { status: 'completed-late', progress: 'completed', completedOn: '2021-06-30' },
      'gd-nea': { status: 'overdue', progress: 'in-progress', completedOn: null },
      'gd-old': { status: 'overdue', progress: null, completedOn: null },
      'gd-sz': { status: 'overdue', progress: null, completedOn: null },
    });
    // Only tasks of a unit's role are listed for it: task 2 is the energy authority's alone.
    expect(report.rows.filter((r) => r.task === '2').map((r) => r.unit)).toEqual(['gd-nea']);
  });

  it('gives task 4 as not completed as of a log position, or a time, before the completion', async () => {
    const completion = (await history()).find((e) => e.eventId === ID.progress)!;
    expect((await task4('--as-of', String(completion.position - 1)))['gd-grid']).toEqual({ status: 'overdue', progress: null, completedOn: null });
    expect((await task4('--as-of', String(completion.position)))['gd-grid']).toMatchObject({ status: 'completed-late', completedOn: '2021-06-30' });
    const justBefore = new Date(Date.parse(completion.recordedAt) - 1).toISOString();
    expect((await task4('--as-of', justBefore))['gd-grid']).toEqual({ status: 'overdue', progress: null, completedOn: null });
    expect((await task4('--as-of', completion.recordedAt))['gd-grid']).toMatchObject({ status: 'completed-late' });
    const bad = await run('status', 'gd-2021', '--as-of', 'last tuesday');
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toMatch(/^error: --as-of: "last tuesday" is neither an ISO-8601 time/);
  });

  it('lists the ledger’s history in order, the correction with the facts it replaced and the original marked superseded', async () => {
    const entries = await history();
    expect(entries.map((e) => e.position)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(entries.map((e) => [e.type, e.unit])).toEqual([
      ['LedgerOpened', null],
      ['ProgressReported', 'gd-grid'],
      ['MetricReported', 'gd-grid'],
      ['SubmissionCorrected', 'gd-grid'],
      ['ProgressReported', 'gd-nea'],
      ['MetricReported', 'gd-sz'],
      ['ProgressReported', 'gd-old'],
    ]);
    const original = entries.find((e) => e.eventId === ID.metric)!;
    const fix = entries.find((e) => e.eventId === ID.correction)!;
    expect(original).toMatchObject({ data: { value: 1520 }, supersededBy: ID.correction, replaced: null });
    expect(fix).toMatchObject({
      data: { corrects: ID.metric, correctedType: 'MetricReported', reason: '复核后更正', facts: { value: 1500, period: '2021-H1', dimensions: { service: 'sanling-residential' } } },
      replaced: { eventId: ID.metric, type: 'MetricReported', data: { value: 1520 } },
      supersededBy: null,
    });
    expect(entries.find((e) => e.eventId === ID.progress)).toMatchObject({ data: { note: '居民用户办电时间压减至5个工作日', evidence: ['粤电营销〔2021〕12号'] }, supersededBy: null });
    // As of a position before the correction, the original was not yet superseded.
    const before = await history('--as-of', String(fix.position - 1));
    expect(before.find((e) => e.eventId === ID.metric)!.supersededBy).toBeNull();
    expect(before.map((e) => e.eventId)).not.toContain(ID.correction);

    const text = await run('history', 'gd-2021');
    expect(text.code).toBe(0);
    expect(text.out.find((line) => line.includes('SubmissionCorrected'))).toMatch(new RegExp(`corrects ${ID.metric}: .*1520.* → .*1500.*; reason: 复核后更正`));
    expect(text.out.filter((line) => /\[superseded by /.test(line))).toHaveLength(1);
  });

  it('lists one unit’s history with --unit', async () => {
    expect((await history('--unit', 'gd-grid')).map((e) => e.eventId)).toEqual([ID.progress, ID.metric, ID.correction]);
    expect((await history('--unit', 'gd-sz')).map((e) => e.eventId)).toEqual([ID.shenzhen]);
    const nobody = await run('history', 'gd-2021', '--unit', 'gd-nobody');
    expect({ code: nobody.code, err: nobody.err }).toEqual({ code: 1, err: ['error: unit: no unit "gd-nobody" in ledger "gd-2021"'] });
    const status = await run('status', 'gd-2021', '--unit', 'nobody');
    expect({ code: status.code, err: status.err }).toEqual({ code: 1, err: ['error: unit: no unit "nobody" in ledger "gd-2021"'] });
    const missing = await run('history', 'no-ledger');
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual(['error: ledger: no ledger "no-ledger"']);
  });

  it('appends nothing new when a file whose lines carry ids is submitted again', async () => {
    const before = await head();
    const again = await run('submit', contractFile());
    expect(again.err).toEqual([]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^appended 0 events from 6 lines .*\(6 already appended, skipped\)/);
    expect(await head()).toBe(before);
  });

  it('rejects a whole file when any line is bad, naming every bad line with its field, and appends nothing', async () => {
    const before = await head();
    const bad = file(
      'mixed.ndjson',
      ndjson(
        { type: 'progress', ledger: 'gd-2021', unit: 'gd-sz', task: '5', status: 'in-progress', on: '2021-06-01' }, // 1 good
        { type: 'progress', ledger: 'gd-2021', unit: 'gd-sz', task: '99', status: 'completed', on: '2021-06-01' }, // 2 unknown task
        { type: 'metric', ledger: 'gd-2021', unit: 'gd-sz', period: '2021', metric: 'benefit.households', dimensions: { service: 'sanling-other' }, value: 12 }, // 3 good
        '{"type":"metric", "ledger":', // 4 not JSON
        { type: 'metric', ledger: 'gd-2021', unit: 'gd-nobody', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 1 }, // 5 unknown unit
        { type: 'metric', ledger: 'gd-2021', unit: 'gd-sz', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 1.5 }, // 6 fraction
        '', // 7 blank: skipped
        { type: 'progress', ledger: 'gd-2021', unit: 'gd-sz', task: '5', status: 'done', on: '2021-06-01', colour: 'red' }, // 8 two bad fields
        { type: 'correction', ledger: 'gd-2021', unit: 'gd-sz', corrects: ID.metric, reason: 'not mine', value: 1 }, // 9 another unit's event
        { type: 'metric', ledger: 'gd-2099', unit: 'gd-sz', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 1 }, // 10 unknown ledger
      ),
    );
    const result = await run('submit', bad);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual([
      `error: ${bad}:2 task: no task "99" in programme nea-2021-37`,
      expect.stringMatching(new RegExp(`^error: ${bad}:4 \\(line\\): not valid JSON`)),
      `error: ${bad}:5 unit: no unit "gd-nobody" in ledger "gd-2021"`,
      `error: ${bad}:6 value: 1.5 has more decimals than 户 takes; allowed: 0 ≤ value ≤ 1000000000 户, a whole number`,
      `error: ${bad}:8 colour: is not a field of this record type`,
      expect.stringMatching(new RegExp(`^error: ${bad}:8 status: must be one of not-started, in-progress, completed, blocked`)),
      expect.stringMatching(new RegExp(`^error: ${bad}:9 corrects: no event ${ID.metric} among unit "gd-sz"'s submissions`)),
      `error: ${bad}:10 ledger: no ledger "gd-2099"`,
    ]);
    expect(await head()).toBe(before);
  });

  it('names a line whose type is a name every object has (toString) like any other bad line, with the other bad lines', async () => {
    const before = await head();
    const bad = file(
      'proto.ndjson',
      ndjson(
        { type: 'toString', ledger: 'gd-2021', unit: 'gd-sz' },
        { type: 'progress', ledger: 'gd-2021', unit: 'gd-sz', task: '99', status: 'completed', on: '2021-06-01' },
      ),
    );
    const result = await run('submit', bad);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(new RegExp(`^error: ${bad}:1 type: must be one of progress, metric, correction`)), `error: ${bad}:2 task: no task "99" in programme nea-2021-37`]);
    expect(await head()).toBe(before);
  });

  it('refuses a line whose id is already the id of another stream’s event, naming the line, and appends nothing', async () => {
    const before = await head();
    const bad = file(
      'reused-id.ndjson',
      ndjson(
        { type: 'progress', ledger: 'gd-2021', unit: 'gd-nea', task: '2', status: 'in-progress', on: '2021-06-01', id: ID.fresh },
        { type: 'metric', ledger: 'gd-2021', unit: 'gd-sz', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 3, id: ID.progress },
      ),
    );
    const result = await run('submit', bad);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(new RegExp(`^error: ${bad}:2 id: `))]);
    expect(await head()).toBe(before);
  });

  it('refuses one id given to lines of two units in one file, naming the second line, and appends nothing', async () => {
    const before = await head();
    const bad = file(
      'shared-id.ndjson',
      ndjson(
        { type: 'progress', ledger: 'gd-2021', unit: 'gd-nea', task: '2', status: 'in-progress', on: '2021-06-02', id: ID.shared },
        { type: 'progress', ledger: 'gd-2021', unit: 'gd-sz', task: '5', status: 'in-progress', on: '2021-06-02', id: ID.shared },
      ),
    );
    const result = await run('submit', bad);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(new RegExp(`^error: ${bad}:2 id: `))]);
    expect(await head()).toBe(before);
  });

  it('moves a completion date with a correction of the progress, and keeps the original date as of before it', async () => {
    const result = await run('submit', file('date-fix.ndjson', ndjson({ type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: ID.progress, reason: '日期有误', on: '2021-06-29', id: ID.dateFix })));
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const at = await positionOf(ID.dateFix);
    expect((await task4())['gd-grid']).toEqual({ status: 'completed-late', progress: 'completed', completedOn: '2021-06-29' });
    expect((await task4('--as-of', String(at - 1)))['gd-grid']).toEqual({ status: 'completed-late', progress: 'completed', completedOn: '2021-06-30' });
    const again = await run('submit', file('date-fix-2.ndjson', ndjson({ type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: ID.progress, reason: 'again', on: '2021-06-28' })));
    expect(again.code).toBe(1);
    expect(again.err[0]).toMatch(new RegExp(`:1 corrects: event ${ID.progress} is already superseded by ${ID.dateFix}`));
  });

  it('adds units from a csv whose parents are units of the ledger, refusing ids already in it', async () => {
    const more = file('more-units.csv', 'id,name,role,parent\ngd-gz,广州供电局,supply-company,gd-grid\n');
    const added = await run('units', 'add', 'gd-2021', '--units', more);
    expect(added.err).toEqual([]);
    expect(added.stdout).toMatch(/^added 1 units to gd-2021 at log position \d+$/);
    expect((await task4())['gd-gz']).toEqual({ status: 'overdue', progress: null, completedOn: null });

    const before = await head();
    const clash = file('clash-units.csv', 'id,name,role,parent\ngd-new,New,supply-company,\ngd-grid,Again,supply-company,\ngd-new2,New 2,supply-company,gd-none\n');
    const refused = await run('units', 'add', 'gd-2021', '--units', clash);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([`error: ${clash}:3 id: "gd-grid" is already a unit of the ledger`, `error: ${clash}:4 parent: "gd-none" is not a unit of this file or of the ledger`]);
    expect(await head()).toBe(before);
  });

  it('retires a unit: its submissions are refused and its status rows gone, its history kept', async () => {
    expect((await run('units', 'retire', 'gd-2021', 'gd-old')).code).toBe(2);
    const unknown = await run('units', 'retire', 'gd-2021', 'gd-nobody', '--reason', 'x');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toEqual(['error: unitId: no unit "gd-nobody" in ledger "gd-2021"']);

    const beforeRetirement = await head();
    const retired = await run('units', 'retire', 'gd-2021', 'gd-old', '--reason', '并入深圳供电局');
    expect(retired.err).toEqual([]);
    expect(retired.stdout).toMatch(/^retired gd-old from gd-2021 at log position \d+$/);
    expect((await run('units', 'retire', 'gd-2021', 'gd-old', '--reason', 'again')).err).toEqual(['error: unitId: unit "gd-old" is already retired']);

    const late = file('late.ndjson', ndjson({ type: 'progress', ledger: 'gd-2021', unit: 'gd-old', task: '3', status: 'completed', on: '2021-07-01' }));
    const afterRetirement = await head();
    const refused = await run('submit', late);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([`error: ${late}:1 unit: unit "gd-old" is retired from ledger "gd-2021"`]);
    expect(await head()).toBe(afterRetirement);

    expect((await status()).rows.filter((r) => r.unit === 'gd-old')).toEqual([]);
    expect((await status('--as-of', String(beforeRetirement))).rows.some((r) => r.unit === 'gd-old')).toBe(true);
    expect((await history('--unit', 'gd-old')).map((e) => e.type)).toEqual(['ProgressReported', 'UnitRetired']);
    expect((await history('--unit', 'gd-old'))[1].data).toMatchObject({ unitId: 'gd-old', reason: '并入深圳供电局' });
  });
});

describe('a correction with a null value, through the CLI', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-null-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  const run = (...args: string[]) => cli(store, ...args);
  const write = (name: string, text: string) => {
    const at = join(directory, name);
    writeFileSync(at, text);
    return at;
  };
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('is refused naming the value, and never leaves the read models unable to apply the log', async () => {
    expect((await run('programme', 'import', programmeFile('nea-2021-37'))).code).toBe(0);
    expect((await run('ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', write('units.csv', 'id,name,role,parent\ngd-grid,Grid,supply-company,\n'))).code).toBe(0);
    const figure = { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.investmentSaved', dimensions: { service: 'sansheng' }, value: 12.5, id: ID.metric };
    expect((await run('submit', write('figure.ndjson', ndjson(figure)))).code).toBe(0);

    const nullFix = write('null.ndjson', ndjson({ type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: ID.metric, reason: 'unknown yet', value: null }));
    const result = await run('submit', nullFix);
    // Whatever the submit did, the log must stay readable: status and history apply it to the read models first.
    const history = await run('history', 'gd-2021', '--json');
    expect({ submit: { code: result.code, err: result.err }, history: { code: history.code, err: history.err } }).toEqual({
      submit: { code: 1, err: [expect.stringMatching(new RegExp(`^error: ${nullFix}:1 value: `))] },
      history: { code: 0, err: [] },
    });
  });
});
