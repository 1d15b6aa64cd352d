import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { PROJECTIONS } from '../../../projections';
import type { MetricValueRow } from '../../../projections/submissions.projection';
import { heldAt, type AsOf } from '../../../src/audit/as-of';
import type { CorrectionRecord, MetricRecord, ProgressRecord } from '../../../src/ledgers/submit/record-dtos';
import { ProjectionRunner } from '../../../src/read-models/projection-runner';
import { openReadModelDb } from '../../../src/read-models/read-model-db';
import { deliveredTwice, loadProgramme, openLedger, registerProgramme, steppingClock, submitRecord } from '../../support/ledger-log';
import { tempStore } from '../../support/temp-store';

const LEDGER = 'gd-2021';
const TODAY = '2021-07-10';
const ID = {
  P1: '10000000-0000-4000-8000-000000000001',
  M1: '10000000-0000-4000-8000-000000000002',
  M2: '10000000-0000-4000-8000-000000000003',
  P2: '10000000-0000-4000-8000-000000000004',
  C1: '10000000-0000-4000-8000-000000000005',
  C2: '10000000-0000-4000-8000-000000000006',
  C3: '10000000-0000-4000-8000-000000000007',
};

const progress = (unit: string, over: Partial<ProgressRecord>) => ({ type: 'progress', ledger: LEDGER, unit, task: '4', status: 'in-progress', on: '2021-05-31', ...over }) as ProgressRecord;
const metric = (unit: string, value: number) =>
  ({ type: 'metric', ledger: LEDGER, unit, period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value }) as MetricRecord;
const correction = (unit: string, corrects: string, over: Partial<CorrectionRecord>) => ({ type: 'correction', ledger: LEDGER, unit, corrects, reason: 'checked against the form', ...over }) as CorrectionRecord;

describe('submissions projection, fed through the real runner with every event delivered twice', () => {
  const clock = steppingClock('2021-07-10T00:00:00.000Z');
  const fixture = tempStore({ clock });
  const nea = loadProgramme('nea-2021-37').template;
  const path = join(fixture.directory, 'read.db');
  const at = new Map<string, number>();
  const recordedAt = new Map<number, string>();
  let db: Database.Database;
  let runner: ProjectionRunner;

  const submit = async (key: keyof typeof ID, role: string, record: ProgressRecord | MetricRecord | CorrectionRecord) => {
    const { position } = await submitRecord(fixture.store, nea, role, TODAY, record, ID[key]);
    at.set(key, position);
  };

  beforeAll(async () => {
    await registerProgramme(fixture.store, 'nea-2021-37');
    await openLedger(fixture.store, LEDGER, 'nea-2021-37', [
      { id: 'gd-grid', name: '广东电网', role: 'supply-company', parent: null },
      { id: 'gd-sz', name: '深圳供电局', role: 'supply-company', parent: 'gd-grid' },
      { id: 'gd-nea', name: '广东省能源局', role: 'energy-authority', parent: null },
    ]);
    await submit('P1', 'supply-company', progress('gd-grid', { note: 'started' }));
    await submit('M1', 'supply-company', metric('gd-grid', 1520));
    await submit('M2', 'supply-company', metric('gd-sz', 300));

    // A first process catches up in small batches, then stops.
    const first = openReadModelDb(path);
    await new ProjectionRunner(deliveredTwice(fixture.store), first, PROJECTIONS, { batchSize: 2 }).catchUp();
    first.close();

    await submit('P2', 'supply-company', progress('gd-grid', { status: 'completed', on: '2021-06-30', evidence: ['粤电〔2021〕12号'] }));
    await submit('C1', 'supply-company', correction('gd-grid', ID.M1, { value: 1500 }));
    await submit('C2', 'supply-company', correction('gd-grid', ID.P2, { on: '2021-06-29' }));
    await submit('C3', 'supply-company', correction('gd-grid', ID.C1, { value: 1490 }));
    for await (const event of fixture.store.readAll()) recordedAt.set(event.position, event.recordedAt);

    // A restart over the same file, with batches that split the doubled deliveries.
    db = openReadModelDb(path);
    runner = new ProjectionRunner(deliveredTwice(fixture.store), db, PROJECTIONS, { batchSize: 3 });
    await runner.catchUp();
    await runner.catchUp();
    await runner.whenCaughtUp(await fixture.store.headPosition());
  });

  afterAll(async () => {
    db?.close();
    await fixture.dispose();
  });

  const time = (key: keyof typeof ID) => recordedAt.get(at.get(key)!)!;

  it('keeps one progress row per fact-stating event, the superseded one marked with the position and time of its correction', () => {
    expect(db.prepare('SELECT * FROM progress_v2 ORDER BY position').all()).toEqual([
      {
        event_id: ID.P1, ledger_id: LEDGER, unit_id: 'gd-grid', task: '4', status: 'in-progress', on_date: '2021-05-31', note: 'started', evidence: '[]',
        position: at.get('P1'), recorded_at: time('P1'), corrects: null, superseded_position: null, superseded_at: null,
      },
      {
        event_id: ID.P2, ledger_id: LEDGER, unit_id: 'gd-grid', task: '4', status: 'completed', on_date: '2021-06-30', note: null, evidence: '["粤电〔2021〕12号"]',
        position: at.get('P2'), recorded_at: time('P2'), corrects: null, superseded_position: at.get('C2'), superseded_at: time('C2'),
      },
      {
        event_id: ID.C2, ledger_id: LEDGER, unit_id: 'gd-grid', task: '4', status: 'completed', on_date: '2021-06-29', note: null, evidence: '["粤电〔2021〕12号"]',
        position: at.get('C2'), recorded_at: time('C2'), corrects: ID.P2, superseded_position: null, superseded_at: null,
      },
    ]);
  });

  it('keeps one metric row per figure and correction; a corrected correction is superseded in turn', () => {
    const rows = db.prepare('SELECT event_id, unit_id, metric_id, period, dimensions, value, position, corrects, superseded_position, superseded_at FROM metric_values_v2 ORDER BY position').all();
    const row = (key: keyof typeof ID, unit: string, value: number, corrects: string | null, supersededBy: keyof typeof ID | null) => ({
      event_id: ID[key], unit_id: unit, metric_id: 'benefit.households', period: '2021-H1', dimensions: '{"service":"sanling-residential"}', value,
      position: at.get(key), corrects, superseded_position: supersededBy ? at.get(supersededBy) : null, superseded_at: supersededBy ? time(supersededBy) : null,
    });
    expect(rows).toEqual([
      row('M1', 'gd-grid', 1520, null, 'C1'),
      row('M2', 'gd-sz', 300, null, null),
      row('C1', 'gd-grid', 1500, ID.M1, 'C3'),
      row('C3', 'gd-grid', 1490, ID.C1, null),
    ]);
  });

  it('builds exactly the rows of a single delivery from scratch', async () => {
    const reference = openReadModelDb(':memory:');
    await new ProjectionRunner(fixture.store, reference, PROJECTIONS).catchUp();
    for (const table of ['progress_v2', 'metric_values_v2', 'history_v1', 'ledger_units_v1', 'log_stats_v1']) {
      const all = (d: Database.Database) => d.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
      expect(all(db)).toEqual(all(reference));
    }
    expect(runner.position()).toBe(await fixture.store.headPosition());
    reference.close();
  });

  it('gives the same rows after a rebuild, whose corrections are marked once the event-id indexes exist after the replay', async () => {
    const rebuilt = openReadModelDb(':memory:');
    const other = new ProjectionRunner(fixture.store, rebuilt, PROJECTIONS, { batchSize: 3 });
    await other.rebuild();
    for (const table of ['progress_v2', 'metric_values_v2']) {
      const all = (d: Database.Database) => d.prepare(`SELECT * FROM ${table} ORDER BY position`).all();
      expect(all(rebuilt)).toEqual(all(db));
    }
    expect(rebuilt.prepare('SELECT count(*) AS n FROM supersessions_v2').get()).toEqual({ n: 0 });
    rebuilt.close();
  });

  it('marks a rebuild cut short before its indexes when a runner is next created over the file', async () => {
    const file = join(fixture.directory, 'cut-short.db');
    const cut = openReadModelDb(file);
    const runner = new ProjectionRunner(fixture.store, cut, PROJECTIONS);
    // What a rebuild leaves when the process dies after its replay: tables without their event-id indexes.
    cut.exec('DROP INDEX progress_v2_event; DROP INDEX metric_values_v2_event; DELETE FROM progress_v2; DELETE FROM metric_values_v2');
    cut.exec("UPDATE projection_checkpoints SET position = 0 WHERE name = 'submissions'");
    await runner.catchUp();
    expect(cut.prepare('SELECT count(*) AS n FROM supersessions_v2').get()).toEqual({ n: 3 });
    cut.close();
    const reopened = openReadModelDb(file);
    new ProjectionRunner(fixture.store, reopened, PROJECTIONS);
    for (const table of ['progress_v2', 'metric_values_v2']) {
      const all = (d: Database.Database) => d.prepare(`SELECT * FROM ${table} ORDER BY position`).all();
      expect(all(reopened)).toEqual(all(db));
    }
    reopened.close();
  });

  it('rebuilds its new table version by itself on start over a read-model file of version 1', async () => {
    const file = join(fixture.directory, 'version-1.db');
    const old = openReadModelDb(file);
    await new ProjectionRunner(fixture.store, old, PROJECTIONS).catchUp();
    // The file as version 1 left it: its checkpoint at the head, its tables named _v1, no _v2 tables.
    old.exec('DROP TABLE progress_v2; DROP TABLE metric_values_v2; DROP TABLE supersessions_v2; CREATE TABLE metric_values_v1 (event_id TEXT PRIMARY KEY)');
    old.exec("UPDATE projection_checkpoints SET version = 1 WHERE name = 'submissions'");
    old.close();
    const reopened = openReadModelDb(file);
    const started = new ProjectionRunner(fixture.store, reopened, PROJECTIONS);
    expect(started.status().find((s) => s.name === 'submissions')).toEqual({ name: 'submissions', version: 2, position: 0 });
    await started.start();
    await started.stop();
    for (const table of ['progress_v2', 'metric_values_v2']) {
      const all = (d: Database.Database) => d.prepare(`SELECT * FROM ${table} ORDER BY position`).all();
      expect(all(reopened)).toEqual(all(db));
    }
    expect(started.position()).toBe(await fixture.store.headPosition());
    reopened.close();
  });

  const households = (asOf: AsOf, unit = 'gd-grid') => {
    const held = heldAt(asOf);
    return (
      db
        .prepare(`SELECT event_id, value FROM metric_values_v2 WHERE ledger_id = ? AND unit_id = ? AND metric_id = 'benefit.households' AND ${held.sql}`)
        .all(LEDGER, unit, ...held.params) as Pick<MetricValueRow, 'event_id' | 'value'>[]
    ).map((r) => r.value);
  };
  const position = (key: keyof typeof ID, offset = 0): AsOf => ({ kind: 'position', position: at.get(key)! + offset });

  it('answers a figure as of a log position: the original before its correction, the correction from it on', () => {
    expect(households(position('M1', -1))).toEqual([]);
    expect(households(position('M1'))).toEqual([1520]);
    expect(households(position('C1', -1))).toEqual([1520]);
    expect(households(position('C1'))).toEqual([1500]);
    expect(households(position('C3', -1))).toEqual([1500]);
    expect(households(position('C3'))).toEqual([1490]);
    expect(households({ kind: 'now' })).toEqual([1490]);
    expect(households({ kind: 'now' }, 'gd-sz')).toEqual([300]);
  });

  it('answers a figure as of a recorded time the same way', () => {
    const just = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
    expect(households({ kind: 'time', at: just(time('M1'), -1) })).toEqual([]);
    expect(households({ kind: 'time', at: time('M1') })).toEqual([1520]);
    expect(households({ kind: 'time', at: just(time('C1'), -1) })).toEqual([1520]);
    expect(households({ kind: 'time', at: time('C1') })).toEqual([1500]);
    expect(households({ kind: 'time', at: time('C3') })).toEqual([1490]);
  });

  it('answers progress as of a position: the original date before the correction, the corrected one after', () => {
    const onDates = (asOf: AsOf) => {
      const held = heldAt(asOf);
      return db.prepare(`SELECT status, on_date FROM progress_v2 WHERE ledger_id = ? AND unit_id = 'gd-grid' AND ${held.sql} ORDER BY position`).all(LEDGER, ...held.params);
    };
    expect(onDates(position('P2', -1))).toEqual([{ status: 'in-progress', on_date: '2021-05-31' }]);
    expect(onDates(position('C2', -1))).toEqual([{ status: 'in-progress', on_date: '2021-05-31' }, { status: 'completed', on_date: '2021-06-30' }]);
    expect(onDates(position('C2'))).toEqual([{ status: 'in-progress', on_date: '2021-05-31' }, { status: 'completed', on_date: '2021-06-29' }]);
  });
});
