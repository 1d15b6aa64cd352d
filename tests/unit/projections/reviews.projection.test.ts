import type Database from 'better-sqlite3';
import { PROJECTIONS } from '../../../projections';
import type { ReviewUnitRow } from '../../../projections/reviews.projection';
import { handleCommand } from '../../../src/event-sourcing/handle-command';
import { ProjectionRunner } from '../../../src/read-models/projection-runner';
import { openReadModelDb } from '../../../src/read-models/read-model-db';
import { ReviewHolds } from '../../../src/ledgers/review-holds';
import { reviewDecider, reviewStream, type ReviewCommand } from '../../../src/reviews/review.decider';
import { signatureLineAt } from '../../../src/reports/signature-line';
import { deliveredTwice, OPERATOR, steppingClock } from '../../support/ledger-log';
import { tempStore } from '../../support/temp-store';

const ids = { ledgerId: 'gd-2021', reportId: 'nea-attachment-3', period: '2021-H1' };
const chen = { actor: 'person:chen', name: '陈晓明' };
const huang = { actor: 'person:huang', name: '黄志强' };
const drawnAt = 3;

describe('reviews projection, fed through the real runner with every event delivered twice', () => {
  const fixture = tempStore({ clock: steppingClock('2021-07-10T00:00:00.000Z') });
  let db: Database.Database;
  const at: Record<string, number> = {};

  const step = async (name: string, command: ReviewCommand) => {
    at[name] = (await handleCommand(fixture.store, reviewStream(ids.ledgerId, ids.reportId, ids.period), reviewDecider, command, OPERATOR)).position;
  };

  beforeAll(async () => {
    await step('gdComplete', { kind: 'mark-complete', ...ids, unitId: 'gd-grid', by: chen });
    await step('gzComplete', { kind: 'mark-complete', ...ids, unitId: 'gz-grid', by: chen });
    await step('gzReturned', { kind: 'return', ...ids, unitId: 'gz-grid', by: huang, reason: '受益户数有误' });
    await step('gdApproved', { kind: 'approve', ...ids, unitId: 'gd-grid', by: huang });
    db = openReadModelDb(':memory:');
    const runner = new ProjectionRunner(deliveredTwice(fixture.store), db, PROJECTIONS, { batchSize: 1 });
    await runner.catchUp();
    await runner.catchUp();
  });

  afterAll(async () => {
    db?.close();
    await fixture.dispose();
  });

  const rows = () => db.prepare('SELECT unit_id, step, name, reason, position FROM review_units_v1 ORDER BY unit_id').all() as Pick<ReviewUnitRow, 'unit_id' | 'step' | 'name' | 'reason' | 'position'>[];

  it('keeps each unit’s last step with who took it, once, and holds the figures of approved units only', () => {
    expect(rows()).toEqual([
      { unit_id: 'gd-grid', step: 'approved', name: '黄志强', reason: null, position: at.gdApproved },
      { unit_id: 'gz-grid', step: 'returned', name: '黄志强', reason: '受益户数有误', position: at.gzReturned },
    ]);
    const held = new ReviewHolds(db).at('gd-2021');
    expect(held('gd-grid', '2021-H1')?.problem).toMatch(/^unit "gd-grid"'s figures for 2021-H1 are approved for review of nea-attachment-3 \(by 黄志强 at 2021-07-10T00:0\d:00.000Z\): they must be returned first$/);
    expect(held('gz-grid', '2021-H1')).toBeNull();
    expect(held('gd-grid', '2021')).toBeNull();
    expect(signatureLineAt(db, 'gd-2021', 'nea-attachment-3', '2021-H1', 1000)).toBeNull();
  });

  it('records the sign-off: approved units submitted, the hold lifted, the signature line from the position the files were drawn at', async () => {
    await step('gzAgain', { kind: 'mark-complete', ...ids, unitId: 'gz-grid', by: chen });
    await step('gzApproved', { kind: 'approve', ...ids, unitId: 'gz-grid', by: huang });
    const record = {
      asOf: '2021-07-10T00:03:00.000Z',
      position: drawnAt,
      logDigest: 'ab'.repeat(32),
      layoutVersion: 'cd'.repeat(32),
      files: [],
      reporter: { actor: 'person:li', name: '李明', contact: '020-85124567' },
      reviewers: [{ unitId: 'gd-grid', ...huang }, { unitId: 'gz-grid', ...huang }],
      reportDate: '2021-07-12',
    };
    await step('signedOff', { kind: 'sign-off', ...ids, units: ['gd-grid', 'gz-grid', 'sz-grid'], record });
    const runner = new ProjectionRunner(deliveredTwice(fixture.store), db, PROJECTIONS, { batchSize: 1 });
    await runner.catchUp();
    expect(rows().map((row) => [row.unit_id, row.step, row.position])).toEqual([['gd-grid', 'submitted', at.signedOff], ['gz-grid', 'submitted', at.signedOff]]);
    expect(new ReviewHolds(db).at('gd-2021')('gd-grid', '2021-H1')).toBeNull();
    expect(signatureLineAt(db, 'gd-2021', 'nea-attachment-3', '2021-H1', drawnAt - 1)).toBeNull();
    const line = { reporter: '李明 020-85124567', reviewers: ['黄志强'], reportDate: '2021-07-12' };
    expect(signatureLineAt(db, 'gd-2021', 'nea-attachment-3', '2021-H1', drawnAt)).toEqual(line);
    expect(signatureLineAt(db, 'gd-2021', 'nea-attachment-3', '2021-H1', at.signedOff + 10)).toEqual(line);
    expect(signatureLineAt(db, 'gd-2021', 'task-status', '2021-H1', at.signedOff)).toBeNull();
    expect(db.prepare('SELECT not_reported FROM review_signoffs_v1').get()).toEqual({ not_reported: '["sz-grid"]' });
  });
});
