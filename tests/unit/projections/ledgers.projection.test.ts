import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { PROJECTIONS } from '../../../projections';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import { LedgerDirectory } from '../../../src/ledgers/ledger-directory';
import { ProjectionRunner } from '../../../src/read-models/projection-runner';
import { openReadModelDb } from '../../../src/read-models/read-model-db';
import { changeLedger, deliveredTwice, openLedger, registerProgramme, steppingClock } from '../../support/ledger-log';
import { tempStore } from '../../support/temp-store';

const LEDGER = 'gd-2021';

describe('ledgers projection, fed through the real runner with every event delivered twice', () => {
  const fixture = tempStore({ clock: steppingClock('2021-07-10T00:00:00.000Z') });
  let db: Database.Database;
  let directory: LedgerDirectory;
  let runner: ProjectionRunner;
  const at: Record<string, number> = {};
  const time: Record<string, string> = {};

  beforeAll(async () => {
    at.programme = (await registerProgramme(fixture.store, 'nea-2021-37')).position;
    at.opened = (
      await openLedger(fixture.store, LEDGER, 'nea-2021-37', [
        { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: null },
        { id: 'gd-sz', name: '深圳供电局', role: 'supply-company', parent: 'gd-grid' },
        { id: 'gd-nea', name: '广东省能源局', role: 'energy-authority', parent: null },
      ])
    ).position;
    at.added = (await changeLedger(fixture.store, { kind: 'add-units', ledgerId: LEDGER, units: [{ id: 'gd-gz', name: '广州供电局', role: 'supply-company', parent: 'gd-grid' }] })).position;
    at.retired = (await changeLedger(fixture.store, { kind: 'retire-unit', ledgerId: LEDGER, unitId: 'gd-sz', reason: 'merged into gd-grid' })).position;
    for await (const event of fixture.store.readAll()) for (const [key, position] of Object.entries(at)) if (position === event.position) time[key] = event.recordedAt;

    db = openReadModelDb(':memory:');
    runner = new ProjectionRunner(deliveredTwice(fixture.store), db, PROJECTIONS, { batchSize: 1 });
    await runner.catchUp();
    await runner.catchUp();
    await runner.whenCaughtUp(at.retired);
    directory = new LedgerDirectory(db, runner);
  });

  afterAll(async () => {
    db?.close();
    await fixture.dispose();
  });

  it('keeps one row per ledger with its programme version and opening moment', () => {
    expect(db.prepare('SELECT * FROM ledgers_v1').all()).toEqual([
      { ledger_id: LEDGER, programme_id: 'nea-2021-37', programme_version: 1, name: LEDGER, opened_position: at.opened, opened_at: time.opened },
    ]);
  });

  it('keeps one row per unit with when it joined and, once retired, when and why it left', () => {
    expect(db.prepare('SELECT * FROM ledger_units_v1 ORDER BY added_position, unit_id').all()).toEqual([
      { ledger_id: LEDGER, unit_id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: null, added_position: at.opened, added_at: time.opened, retired_position: null, retired_at: null, retired_reason: null },
      { ledger_id: LEDGER, unit_id: 'gd-nea', name: '广东省能源局', role: 'energy-authority', parent: null, added_position: at.opened, added_at: time.opened, retired_position: null, retired_at: null, retired_reason: null },
      {
        ledger_id: LEDGER, unit_id: 'gd-sz', name: '深圳供电局', role: 'supply-company', parent: 'gd-grid', added_position: at.opened, added_at: time.opened,
        retired_position: at.retired, retired_at: time.retired, retired_reason: 'merged into gd-grid',
      },
      { ledger_id: LEDGER, unit_id: 'gd-gz', name: '广州供电局', role: 'supply-company', parent: 'gd-grid', added_position: at.added, added_at: time.added, retired_position: null, retired_at: null, retired_reason: null },
    ]);
  });

  const units = async (asOf: Parameters<LedgerDirectory['get']>[1]) => {
    const ledger = await directory.get(LEDGER, asOf);
    return [...ledger.units.values()].map((u) => `${u.id}${u.retired ? ' (retired)' : ''}`);
  };

  it('gives the ledger’s units as of any position: not yet open, opened, extended, with a unit retired', async () => {
    await expect(directory.get(LEDGER, { kind: 'position', position: at.opened - 1 })).rejects.toThrow(DomainError);
    expect(await units({ kind: 'position', position: at.opened })).toEqual(['gd-grid', 'gd-nea', 'gd-sz']);
    expect(await units({ kind: 'position', position: at.added })).toEqual(['gd-grid', 'gd-gz', 'gd-nea', 'gd-sz']);
    expect(await units({ kind: 'position', position: at.retired - 1 })).toEqual(['gd-grid', 'gd-gz', 'gd-nea', 'gd-sz']);
    expect(await units({ kind: 'position', position: at.retired })).toEqual(['gd-grid', 'gd-gz', 'gd-nea', 'gd-sz (retired)']);
    expect(await units({ kind: 'now' })).toEqual(['gd-grid', 'gd-gz', 'gd-nea', 'gd-sz (retired)']);
  });

  it('gives the same answers as of recorded times', async () => {
    const before = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();
    await expect(directory.get(LEDGER, { kind: 'time', at: before(time.opened) })).rejects.toMatchObject({ code: 'not-found', problems: [{ field: 'ledger' }] });
    expect(await units({ kind: 'time', at: time.opened })).toEqual(['gd-grid', 'gd-nea', 'gd-sz']);
    expect(await units({ kind: 'time', at: before(time.retired) })).toEqual(['gd-grid', 'gd-gz', 'gd-nea', 'gd-sz']);
    expect(await units({ kind: 'time', at: time.retired })).toEqual(['gd-grid', 'gd-gz', 'gd-nea', 'gd-sz (retired)']);
  });

  it('names the programme version in force with the ledger', async () => {
    const ledger = await directory.get(LEDGER);
    expect({ programme: ledger.programme.id, version: ledger.programmeVersion, tasks: ledger.programme.tasks.length }).toEqual({ programme: 'nea-2021-37', version: 1, tasks: 57 });
  });

  it('keeps the ledger as it is now until its events reach the read models, applied here or by another connection to the file', async () => {
    const cached = await directory.get(LEDGER);
    expect(await directory.get(LEDGER)).toBe(cached);
    await changeLedger(fixture.store, { kind: 'add-units', ledgerId: LEDGER, units: [{ id: 'gd-fs', name: '佛山供电局', role: 'supply-company', parent: 'gd-grid' }] });
    expect(await directory.get(LEDGER)).toBe(cached);
    await runner.catchUp();
    expect(await units({ kind: 'now' })).toEqual(['gd-fs', 'gd-grid', 'gd-gz', 'gd-nea', 'gd-sz (retired)']);

    const path = join(fixture.directory, 'read.db');
    const [here, other] = [openReadModelDb(path), openReadModelDb(path)];
    const hereRunner = new ProjectionRunner(fixture.store, here, PROJECTIONS);
    await hereRunner.catchUp();
    const hereDirectory = new LedgerDirectory(here, hereRunner);
    expect((await hereDirectory.get(LEDGER)).units.has('gd-dg')).toBe(false);
    await changeLedger(fixture.store, { kind: 'add-units', ledgerId: LEDGER, units: [{ id: 'gd-dg', name: '东莞供电局', role: 'supply-company', parent: 'gd-grid' }] });
    await new ProjectionRunner(fixture.store, other, PROJECTIONS).catchUp();
    expect((await hereDirectory.get(LEDGER)).units.has('gd-dg')).toBe(true);
    here.close();
    other.close();
  });
});
