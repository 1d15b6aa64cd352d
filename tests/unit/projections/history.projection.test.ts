import type Database from 'better-sqlite3';
import { PROJECTIONS } from '../../../projections';
import { asOfCondition, type AsOf } from '../../../src/audit/as-of';
import type { CorrectionRecord, MetricRecord, ProgressRecord } from '../../../src/ledgers/submit/record-dtos';
import { ProjectionRunner } from '../../../src/read-models/projection-runner';
import { openReadModelDb } from '../../../src/read-models/read-model-db';
import { OPERATOR, changeLedger, deliveredTwice, loadProgramme, openLedger, registerProgramme, steppingClock, submitRecord } from '../../support/ledger-log';
import { tempStore } from '../../support/temp-store';

const LEDGER = 'gd-2021';
const OTHER = 'sc-2021';
const TODAY = '2021-07-10';
const FIGURE = '20000000-0000-4000-8000-000000000001';
const FIX = '20000000-0000-4000-8000-000000000002';

describe('history projection, fed through the real runner with every event delivered twice', () => {
  const fixture = tempStore({ clock: steppingClock('2021-07-10T00:00:00.000Z') });
  const nea = loadProgramme('nea-2021-37').template;
  let db: Database.Database;
  const positions: Record<string, number> = {};

  beforeAll(async () => {
    positions.programme = (await registerProgramme(fixture.store, 'nea-2021-37')).position;
    positions.opened = (await openLedger(fixture.store, LEDGER, 'nea-2021-37', [{ id: 'gd-grid', name: '广东电网', role: 'supply-company', parent: null }])).position;
    positions.other = (await openLedger(fixture.store, OTHER, 'nea-2021-37', [{ id: 'sc-grid', name: '四川电网', role: 'supply-company', parent: null }])).position;
    const submit = (record: ProgressRecord | MetricRecord | CorrectionRecord, id?: string) => submitRecord(fixture.store, nea, 'supply-company', TODAY, record, id);
    positions.progress = (await submit({ type: 'progress', ledger: LEDGER, unit: 'gd-grid', task: '4', status: 'completed', on: '2021-06-30' } as ProgressRecord)).position;
    positions.figure = (
      await submit({ type: 'metric', ledger: LEDGER, unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 7 } as MetricRecord, FIGURE)
    ).position;
    positions.otherFigure = (
      await submit({ type: 'metric', ledger: OTHER, unit: 'sc-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 9 } as MetricRecord)
    ).position;
    positions.fix = (await submit({ type: 'correction', ledger: LEDGER, unit: 'gd-grid', corrects: FIGURE, reason: 'miscounted', value: 8 } as CorrectionRecord, FIX)).position;
    positions.added = (await changeLedger(fixture.store, { kind: 'add-units', ledgerId: LEDGER, units: [{ id: 'gd-sz', name: '深圳', role: 'supply-company', parent: 'gd-grid' }] })).position;
    positions.retired = (await changeLedger(fixture.store, { kind: 'retire-unit', ledgerId: LEDGER, unitId: 'gd-sz', reason: 'merged' })).position;

    db = openReadModelDb(':memory:');
    const runner = new ProjectionRunner(deliveredTwice(fixture.store), db, PROJECTIONS, { batchSize: 4 });
    await runner.catchUp();
    await runner.catchUp();
    await runner.whenCaughtUp(positions.retired);
  });

  afterAll(async () => {
    db?.close();
    await fixture.dispose();
  });

  const ledgerRows = (ledger: string) =>
    db.prepare('SELECT position, type, unit_id, stream, revision, actor, role, correlation_id, corrects FROM history_v1 WHERE ledger_id = ? ORDER BY position').all(ledger);

  it('keeps one row per event of the ledger, in log order, with stream, revision and who recorded it', () => {
    const who = { actor: OPERATOR.actor, role: 'admin', correlation_id: OPERATOR.correlationId };
    expect(ledgerRows(LEDGER)).toEqual([
      { position: positions.opened, type: 'LedgerOpened', unit_id: null, stream: 'ledger-gd-2021', revision: 0, corrects: null, ...who },
      { position: positions.progress, type: 'ProgressReported', unit_id: 'gd-grid', stream: 'unit-gd-2021.gd-grid', revision: 0, corrects: null, ...who },
      { position: positions.figure, type: 'MetricReported', unit_id: 'gd-grid', stream: 'unit-gd-2021.gd-grid', revision: 1, corrects: null, ...who },
      { position: positions.fix, type: 'SubmissionCorrected', unit_id: 'gd-grid', stream: 'unit-gd-2021.gd-grid', revision: 2, corrects: FIGURE, ...who },
      { position: positions.added, type: 'UnitsAdded', unit_id: null, stream: 'ledger-gd-2021', revision: 1, corrects: null, ...who },
      { position: positions.retired, type: 'UnitRetired', unit_id: 'gd-sz', stream: 'ledger-gd-2021', revision: 2, corrects: null, ...who },
    ]);
  });

  it('keeps other ledgers apart and leaves out events that name no ledger', () => {
    expect(ledgerRows(OTHER).map((r) => (r as { position: number }).position)).toEqual([positions.other, positions.otherFigure]);
    expect(db.prepare('SELECT count(*) AS n FROM history_v1 WHERE position = ?').get(positions.programme)).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM history_v1').get()).toEqual({ n: 8 });
  });

  it('stores each event’s data as recorded, and the event ids', () => {
    const row = db.prepare('SELECT event_id, data FROM history_v1 WHERE position = ?').get(positions.fix) as { event_id: string; data: string };
    expect(row.event_id).toBe(FIX);
    expect(JSON.parse(row.data)).toEqual({
      ledgerId: LEDGER,
      unitId: 'gd-grid',
      corrects: FIGURE,
      correctedType: 'MetricReported',
      reason: 'miscounted',
      facts: { metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sansheng' }, value: 8 },
    });
  });

  it('finds the correction that superseded an event only as of a moment at or after it', () => {
    const supersededBy = (asOf: AsOf) => {
      const moment = asOfCondition(asOf, 'position', 'recorded_at');
      return (db.prepare(`SELECT event_id FROM history_v1 WHERE corrects = ? AND ${moment.sql}`).all(FIGURE, ...moment.params) as { event_id: string }[]).map((r) => r.event_id);
    };
    expect(supersededBy({ kind: 'position', position: positions.fix - 1 })).toEqual([]);
    expect(supersededBy({ kind: 'position', position: positions.fix })).toEqual([FIX]);
    expect(supersededBy({ kind: 'now' })).toEqual([FIX]);
    const fixedAt = (db.prepare('SELECT recorded_at FROM history_v1 WHERE position = ?').get(positions.fix) as { recorded_at: string }).recorded_at;
    expect(supersededBy({ kind: 'time', at: new Date(Date.parse(fixedAt) - 1).toISOString() })).toEqual([]);
    expect(supersededBy({ kind: 'time', at: fixedAt })).toEqual([FIX]);
  });
});
