import { DomainError } from '../../../src/event-sourcing/domain-error';
import { reviewDecider, reviewStream, type ReviewCommand, type ReviewEvent } from '../../../src/reviews/review.decider';

const ids = { ledgerId: 'gd-2021', reportId: 'nea-attachment-3', period: '2021-H1' };
const submitter = { actor: 'person:chen', name: '陈晓明' };
const reviewer = { actor: 'person:huang', name: '黄志强' };
const reviewer2 = { actor: 'token:abc', name: 'token abc' };
const unit = (unitId: string) => ({ ...ids, unitId });

const completed = (unitId: string): ReviewEvent => ({ type: 'FiguresMarkedComplete', data: { ...unit(unitId), by: submitter } });
const approved = (unitId: string, by = reviewer): ReviewEvent => ({ type: 'FiguresApproved', data: { ...unit(unitId), by } });
const returned = (unitId: string): ReviewEvent => ({ type: 'FiguresReturned', data: { ...unit(unitId), by: reviewer, reason: '受益户数与营销系统不符' } });

const markComplete = (unitId: string): ReviewCommand => ({ kind: 'mark-complete', ...unit(unitId), by: submitter });
const approve = (unitId: string, by = reviewer): ReviewCommand => ({ kind: 'approve', ...unit(unitId), by });
const giveBack = (unitId: string, reason = '受益户数与营销系统不符'): ReviewCommand => ({ kind: 'return', ...unit(unitId), by: reviewer, reason });
const drawn = {
  asOf: '2021-07-10T02:00:00.000Z',
  position: 42,
  logDigest: 'ab'.repeat(32),
  layoutVersion: 'cd'.repeat(32),
  files: [{ format: 'xlsx' as const, sha256: 'ef'.repeat(32), bytes: 9000 }, { format: 'pdf' as const, sha256: '01'.repeat(32), bytes: 22000 }],
  reporter: { actor: 'person:li', name: '李明', contact: '020-85124567' },
  reportDate: '2021-07-10',
};
const signOff = (reviewers: { unitId: string; actor: string; name: string }[], units = ['gd-grid', 'gz-grid', 'sz-grid']): ReviewCommand => ({
  kind: 'sign-off',
  ...ids,
  units,
  record: { ...drawn, reviewers },
});
const signedOff: ReviewEvent = { type: 'ReportSignedOff', data: { ...ids, ...drawn, reviewers: [{ unitId: 'gd-grid', ...reviewer }], notReported: [] } };

const given = (events: ReviewEvent[]) => events.reduce(reviewDecider.evolve, reviewDecider.initialState());
const when = (command: ReviewCommand, events: ReviewEvent[] = []) => reviewDecider.decide(command, given(events));

function refusal(run: () => unknown): { code: string; field?: string; reason: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const { code, problems } = error as DomainError;
    return { code, field: problems[0].field, reason: problems[0].reason };
  }
  throw new Error('expected a refusal');
}

describe('review decider', () => {
  it('names one stream per ledger, report and period', () => {
    expect(reviewStream('gd-2021', 'nea-attachment-3', '2021-H1')).toBe('review-gd-2021.nea-attachment-3.2021-H1');
  });

  describe('marking complete', () => {
    it('marks a unit’s figures complete, with who did it', () => {
      expect(when(markComplete('gd-grid'))).toEqual([completed('gd-grid')]);
    });

    it('marks returned figures complete again once corrected', () => {
      expect(when(markComplete('gd-grid'), [completed('gd-grid'), returned('gd-grid')])).toEqual([completed('gd-grid')]);
    });

    it('refuses marking complete twice', () => {
      expect(refusal(() => when(markComplete('gd-grid'), [completed('gd-grid')]))).toEqual({
        code: 'conflict',
        field: 'unitId',
        reason: 'unit "gd-grid"\'s figures for nea-attachment-3 for 2021-H1 of ledger "gd-2021" are already marked complete (by 陈晓明) and await review',
      });
    });

    it('refuses marking approved figures complete', () => {
      expect(refusal(() => when(markComplete('gd-grid'), [completed('gd-grid'), approved('gd-grid')]))).toMatchObject({ code: 'conflict', reason: expect.stringContaining('already approved (by 黄志强)') });
    });

    it('keeps each unit apart: one unit complete does not touch another', () => {
      expect(when(markComplete('gz-grid'), [completed('gd-grid')])).toEqual([completed('gz-grid')]);
    });
  });

  describe('approving', () => {
    it('approves figures marked complete', () => {
      expect(when(approve('gd-grid'), [completed('gd-grid')])).toEqual([approved('gd-grid')]);
    });

    it('refuses approving figures never marked complete', () => {
      expect(refusal(() => when(approve('gd-grid')))).toEqual({
        code: 'conflict',
        field: 'unitId',
        reason: 'unit "gd-grid"\'s figures for nea-attachment-3 for 2021-H1 of ledger "gd-2021" are not marked complete: only figures marked complete can be approved',
      });
    });

    it('refuses approving returned figures before they are marked complete again', () => {
      expect(refusal(() => when(approve('gd-grid'), [completed('gd-grid'), returned('gd-grid')]))).toMatchObject({ code: 'conflict', reason: expect.stringContaining('returned for correction and not marked complete again') });
    });

    it('refuses approving twice', () => {
      expect(refusal(() => when(approve('gd-grid'), [completed('gd-grid'), approved('gd-grid')]))).toMatchObject({ code: 'conflict', reason: expect.stringContaining('are approved: only figures marked complete') });
    });
  });

  describe('returning', () => {
    it('returns complete figures with the reason', () => {
      expect(when(giveBack('gd-grid'), [completed('gd-grid')])).toEqual([returned('gd-grid')]);
    });

    it('returns approved figures (before the sign-off), trimming the reason', () => {
      expect(when(giveBack('gd-grid', '  受益户数与营销系统不符 '), [completed('gd-grid'), approved('gd-grid')])).toEqual([returned('gd-grid')]);
    });

    it('refuses returning without a reason', () => {
      expect(refusal(() => when(giveBack('gd-grid', '  '), [completed('gd-grid')]))).toEqual({ code: 'invalid', field: 'reason', reason: 'is required: say what the unit must correct' });
    });

    it('refuses returning figures not marked complete, or already returned', () => {
      expect(refusal(() => when(giveBack('gd-grid')))).toMatchObject({ code: 'conflict', field: 'unitId', reason: expect.stringContaining('only figures marked complete or approved can be returned') });
      expect(refusal(() => when(giveBack('gd-grid'), [completed('gd-grid'), returned('gd-grid')]))).toMatchObject({ code: 'conflict' });
    });
  });

  describe('signing off', () => {
    it('records the drawn files, the signer, the approving reviewers and the units that never reported', () => {
      const reviewers = [{ unitId: 'gd-grid', ...reviewer }, { unitId: 'gz-grid', ...reviewer2 }];
      const events = when(signOff(reviewers), [completed('gd-grid'), approved('gd-grid'), completed('gz-grid'), approved('gz-grid', reviewer2)]);
      expect(events).toEqual([{ type: 'ReportSignedOff', data: { ...ids, ...drawn, reviewers, notReported: ['sz-grid'] } }]);
    });

    it('refuses while a unit awaits review', () => {
      expect(refusal(() => when(signOff([{ unitId: 'gd-grid', ...reviewer }]), [completed('gd-grid'), approved('gd-grid'), completed('gz-grid')]))).toEqual({
        code: 'conflict',
        field: 'units',
        reason: 'nea-attachment-3 for 2021-H1 of ledger "gd-2021" cannot be signed off while units await review: gz-grid',
      });
    });

    it('refuses while a unit’s figures are returned for correction', () => {
      expect(refusal(() => when(signOff([{ unitId: 'gd-grid', ...reviewer }]), [completed('gd-grid'), approved('gd-grid'), completed('gz-grid'), returned('gz-grid')]))).toMatchObject({
        code: 'conflict',
        reason: expect.stringContaining('returned for correction: gz-grid'),
      });
    });

    it('refuses when no unit’s figures are approved', () => {
      expect(refusal(() => when(signOff([])))).toMatchObject({ code: 'conflict', field: 'units', reason: expect.stringContaining('has no approved figures to sign off') });
    });

    it('refuses when the review changed since the files were drawn', () => {
      expect(refusal(() => when(signOff([{ unitId: 'gd-grid', ...reviewer2 }]), [completed('gd-grid'), approved('gd-grid')]))).toMatchObject({ code: 'conflict', reason: expect.stringContaining('changed while the report was drawn') });
    });
  });

  describe('after the sign-off', () => {
    const history = [completed('gd-grid'), approved('gd-grid'), signedOff];
    it.each([
      ['marking complete', markComplete('gz-grid')],
      ['approving', approve('gd-grid')],
      ['returning', giveBack('gd-grid')],
      ['signing off again', signOff([{ unitId: 'gd-grid', ...reviewer }])],
    ])('refuses %s', (_what, command) => {
      expect(refusal(() => when(command, history))).toEqual({
        code: 'conflict',
        field: 'period',
        reason: 'nea-attachment-3 for 2021-H1 of ledger "gd-2021" was signed off by 李明 on 2021-07-10: nothing changes after the sign-off (a later correction is a restatement)',
      });
    });
  });
});
