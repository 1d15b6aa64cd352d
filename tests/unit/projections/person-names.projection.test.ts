import type Database from 'better-sqlite3';
import { PROJECTIONS } from '../../../projections';
import { heldAt } from '../../../src/audit/as-of';
import { personDecider, personStream, type PersonCommand } from '../../../src/access/people/person.decider';
import { handleCommand } from '../../../src/event-sourcing/handle-command';
import { ProjectionRunner } from '../../../src/read-models/projection-runner';
import { openReadModelDb } from '../../../src/read-models/read-model-db';
import { OPERATOR, deliveredTwice, steppingClock } from '../../support/ledger-log';
import { tempStore } from '../../support/temp-store';

describe('person-names projection, fed through the real runner with every event delivered twice', () => {
  const fixture = tempStore({ clock: steppingClock('2022-01-01T00:00:00.000Z') });
  const person = (command: PersonCommand) => handleCommand(fixture.store, personStream('chenli'), personDecider, command, OPERATOR);
  const grid = [{ ledger: 'gd-2021', unit: 'gd-grid', role: 'submitter' as const }];
  const energy = [{ ledger: 'gd-2021', unit: 'gd-energy', role: 'submitter' as const }];
  const positions: Record<string, number> = {};
  let db: Database.Database;

  beforeAll(async () => {
    positions.created = (await person({ kind: 'create', login: 'chenli', name: '陈丽', contact: '', language: 'zh', grants: grid, passwordHash: 'x' })).position;
    positions.password = (await person({ kind: 'reset-password', passwordHash: 'y' })).position;
    positions.renamed = (await person({ kind: 'change-details', name: '陈丽华', contact: '020', language: 'zh' })).position;
    positions.moved = (await person({ kind: 'set-grants', grants: energy })).position;
    db = openReadModelDb(':memory:');
    await new ProjectionRunner(deliveredTwice(fixture.store), db, PROJECTIONS, { batchSize: 2 }).catchUp();
  });
  afterAll(async () => {
    db.close();
    await fixture.dispose();
  });

  const at = (position: number) => {
    const held = heldAt({ kind: 'position', position });
    const rows = db.prepare(`SELECT name, grants FROM person_names_v1 WHERE login = 'chenli' AND ${held.sql}`).all(...held.params) as { name: string; grants: string }[];
    // The grants as the store gives them back (its stored text orders keys canonically), compared as values.
    return rows.map((row) => ({ ...row, grants: JSON.parse(row.grants) as unknown }));
  };

  it('keeps each name and grants with the positions they held from and until; other changes add no row', () => {
    expect(db.prepare('SELECT name, position, superseded_position FROM person_names_v1 ORDER BY position').all()).toEqual([
      { name: '陈丽', position: positions.created, superseded_position: positions.renamed },
      { name: '陈丽华', position: positions.renamed, superseded_position: positions.moved },
      { name: '陈丽华', position: positions.moved, superseded_position: null },
    ]);
  });

  it('answers who the person was at any moment', () => {
    expect(at(positions.created - 1)).toEqual([]);
    expect(at(positions.password)).toEqual([{ name: '陈丽', grants: grid }]);
    expect(at(positions.renamed)).toEqual([{ name: '陈丽华', grants: grid }]);
    expect(at(positions.moved)).toEqual([{ name: '陈丽华', grants: energy }]);
  });
});
