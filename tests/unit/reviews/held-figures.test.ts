import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import { refusal as heldRefusal } from '../../../src/i18n/problem';
import type { CorrectionRecord, MetricRecord, ProgressRecord } from '../../../src/ledgers/submit/record-dtos';
import { unitSubmissionsDecider, type SubmissionSetting, type UnitSubmissionEvent } from '../../../src/ledgers/submit/unit-submissions.decider';
import { parseTemplate } from '../../../src/programmes/load-template';

const file = join(__dirname, '../../../templates/programmes/nea-2021-37.yaml');
const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
if (!loaded.ok) throw new Error('the shipped NEA template must load');
const NEA = loaded.template;

const HOLD = heldRefusal('problem.heldForReview', { unit: 'gd-grid', period: '2021-H1', step: { key: 'phrase.held.complete' }, report: 'nea-attachment-3', by: '陈晓明', at: '2021-07-10T02:00:00.000Z' });
const HELD = 'unit "gd-grid"\'s figures for 2021-H1 are marked complete for review of nea-attachment-3 (by 陈晓明 at 2021-07-10T02:00:00.000Z): they must be returned first';
const FIGURE = '22222222-2222-4222-8222-222222222222';
const ids = { ledgerId: 'gd-2021', unitId: 'gd-grid' };
const figure = (period: string) =>
  ({ id: FIGURE, type: 'MetricReported', data: { ...ids, metric: 'benefit.households', period, dimensions: { service: 'sanling-residential' }, value: 1520 } }) as UnitSubmissionEvent;
const metric = (period: string) =>
  ({ type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period, metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 1600 }) as MetricRecord;
const correction = (over: Partial<CorrectionRecord> = {}) => ({ type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: FIGURE, reason: '更正', value: 1600, ...over }) as CorrectionRecord;

// The review holds 2021-H1 only, as ReviewHolds would answer for a unit marked complete for that period.
const setting: SubmissionSetting = { programme: NEA, unitRole: 'supply-company', today: '2021-12-31', heldOf: (period) => (period === '2021-H1' ? HOLD : null) };
const decide = (record: MetricRecord | CorrectionRecord | ProgressRecord, events: UnitSubmissionEvent[] = []) =>
  unitSubmissionsDecider.decide({ record, setting }, events.reduce(unitSubmissionsDecider.evolve, unitSubmissionsDecider.initialState()));

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('figures held by a review', () => {
  it('refuses a new figure for a held period with 409 naming the review', () => {
    const error = refusal(() => decide(metric('2021-H1')));
    expect(error).toBeInstanceOf(DomainError);
    expect({ code: error.code, problems: error.problems }).toEqual({ code: 'conflict', problems: [expect.objectContaining({ field: 'period', reason: HELD })] });
  });

  it('refuses a correction of a held figure, and moving a figure into a held period', () => {
    expect(refusal(() => decide(correction(), [figure('2021-H1')])).problems).toMatchObject([{ field: 'period', reason: HELD }]);
    expect(refusal(() => decide(correction({ period: '2021-H1' }), [figure('2021')])).problems).toMatchObject([{ field: 'period', reason: HELD }]);
  });

  it('accepts figures of other periods and progress, which no review holds', () => {
    expect(decide(metric('2021'))).toHaveLength(1);
    expect(decide(correction(), [figure('2021')])).toHaveLength(1);
    expect(decide({ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'completed', on: '2021-06-30' } as ProgressRecord)).toHaveLength(1);
  });
});
