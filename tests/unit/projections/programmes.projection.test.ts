import Database from 'better-sqlite3';
import type { StoredEvent } from '../../../src/event-sourcing/event-store.port';
import { tablesOf } from '../../../src/read-models/read-model-db';
import { programmesProjection } from '../../../projections/programmes.projection';

const event = (revision: number, position: number, type: string, title: string): StoredEvent => ({
  id: `e${position}`,
  stream: 'programme-p1',
  revision,
  position,
  type,
  recordedAt: `2021-0${position}-01T00:00:00.000Z`,
  metadata: {},
  data: { programmeId: 'p1', digest: `d${revision}`, source: 'p1.yaml', template: { title, language: 'vi' }, ...(revision ? { changes: { tasksAdded: ['2'] } } : {}) },
});

describe('programmes projection', () => {
  it('keeps one row per version with the position and time it holds from', () => {
    const db = new Database(':memory:');
    programmesProjection.schema.forEach((sql) => db.exec(sql));
    const tables = tablesOf(db);
    programmesProjection.apply(event(0, 1, 'ProgrammeRegistered', 'Kế hoạch'), tables);
    programmesProjection.apply(event(1, 3, 'ProgrammeAmended', 'Kế hoạch (sửa đổi)'), tables);
    expect(db.prepare('SELECT programme_id, version, position, recorded_at, title, changes FROM programme_versions_v1 ORDER BY version').all()).toEqual([
      { programme_id: 'p1', version: 1, position: 1, recorded_at: '2021-01-01T00:00:00.000Z', title: 'Kế hoạch', changes: null },
      { programme_id: 'p1', version: 2, position: 3, recorded_at: '2021-03-01T00:00:00.000Z', title: 'Kế hoạch (sửa đổi)', changes: '{"tasksAdded":["2"]}' },
    ]);
  });

  it('refuses to apply the same event twice (the runner never does; the key makes a double application loud)', () => {
    const db = new Database(':memory:');
    programmesProjection.schema.forEach((sql) => db.exec(sql));
    const tables = tablesOf(db);
    programmesProjection.apply(event(0, 1, 'ProgrammeRegistered', 'Kế hoạch'), tables);
    expect(() => programmesProjection.apply(event(0, 1, 'ProgrammeRegistered', 'Kế hoạch'), tables)).toThrow(/UNIQUE/);
  });
});
