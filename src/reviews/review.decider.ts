import type { Decider, DomainEvent } from '../event-sourcing/decider';
import { DomainError } from '../event-sourcing/domain-error';
import { streamName } from '../event-sourcing/stream-name';
import { joined } from '../i18n/phrase-list';
import { problem } from '../i18n/problem';
import type { MessageParams, MessageRef } from '../i18n/translate';

/** Who took a step: the actor recorded in metadata too, and the name the report prints (审核人). */
export type Reviewer = { actor: string; name: string };

type Ids = { ledgerId: string; reportId: string; period: string };
type UnitIds = Ids & { unitId: string };

/** What the signed-off report carries: the files drawn at that moment and the people of its signature line. */
export type SignOffRecord = {
  /** The moment the files are drawn as of: its instant, log position and running digest. */
  asOf: string;
  position: number;
  logDigest: string;
  layoutVersion: string;
  files: { format: 'xlsx' | 'pdf'; sha256: string; bytes: number }[];
  /** 填报人及联系方式: the person signing off. */
  reporter: { actor: string; name: string; contact: string };
  /** 审核人: who approved each unit's figures. */
  reviewers: (Reviewer & { unitId: string })[];
  /** 填报日期: the local date of the sign-off in the programme's time zone (YYYY-MM-DD). */
  reportDate: string;
  /** Units of the ledger that never marked their figures complete: the report goes without their review. */
  notReported: string[];
};

export type FiguresMarkedComplete = DomainEvent<'FiguresMarkedComplete', UnitIds & { by: Reviewer }>;
export type FiguresApproved = DomainEvent<'FiguresApproved', UnitIds & { by: Reviewer }>;
export type FiguresReturned = DomainEvent<'FiguresReturned', UnitIds & { by: Reviewer; reason: string }>;
export type ReportSignedOff = DomainEvent<'ReportSignedOff', Ids & SignOffRecord>;
export type ReviewEvent = FiguresMarkedComplete | FiguresApproved | FiguresReturned | ReportSignedOff;

export type ReviewCommand =
  | (UnitIds & { kind: 'mark-complete'; by: Reviewer })
  | (UnitIds & { kind: 'approve'; by: Reviewer })
  | (UnitIds & { kind: 'return'; by: Reviewer; reason: string })
  /** `record.reviewers` are those the files were drawn with: the review must not have changed since. */
  | (Ids & { kind: 'sign-off'; units: string[]; record: Omit<SignOffRecord, 'notReported'> });

export type UnitStep = 'complete' | 'returned' | 'approved';

export interface ReviewState {
  units: Map<string, { step: UnitStep; by: Reviewer; reason: string | null }>;
  signedOff: { by: string; reportDate: string } | null;
}

/** One stream per (ledger, report, period): the units' figures marked complete, approved or returned, then the sign-off. */
export const reviewStream = (ledgerId: string, reportId: string, period: string) => streamName('review', ledgerId, reportId, period);

const STEP_OF: Record<Exclude<ReviewEvent['type'], 'ReportSignedOff'>, UnitStep> = {
  FiguresMarkedComplete: 'complete',
  FiguresApproved: 'approved',
  FiguresReturned: 'returned',
};

const conflict = (field: string, key: string, params: MessageParams) => new DomainError('conflict', [problem(field, key, params)]);

/**
 * The review of one report's period, as DHIS2's data approval and the 审核 / 退回 habit: a unit marks
 * its figures complete, a reviewer of the unit approves or returns them with a reason (returned
 * figures are corrected and marked complete again), and the regulator signs off the compiled report
 * once no unit awaits review or correction. Nothing changes after the sign-off.
 */
export const reviewDecider: Decider<ReviewCommand, ReviewEvent, ReviewState> = {
  initialState: () => ({ units: new Map(), signedOff: null }),
  evolve(state, event) {
    if (event.type === 'ReportSignedOff') return { ...state, signedOff: { by: event.data.reporter.name, reportDate: event.data.reportDate } };
    const units = new Map(state.units);
    units.set(event.data.unitId, { step: STEP_OF[event.type], by: event.data.by, reason: event.type === 'FiguresReturned' ? event.data.reason : null });
    return { ...state, units };
  },
  decide(command, state) {
    const what = describeReview(command);
    assertNotSignedOff(state, what);
    const ids = { ledgerId: command.ledgerId, reportId: command.reportId, period: command.period };
    if (command.kind === 'sign-off') {
      const people = signOffPeople(state, command.units, what);
      if (JSON.stringify(people.reviewers) !== JSON.stringify(command.record.reviewers)) throw conflict('units', 'problem.reviewChanged', { review: what });
      return [{ type: 'ReportSignedOff', data: { ...ids, ...command.record, ...people } }];
    }
    const unit = { ...ids, unitId: command.unitId };
    const current = state.units.get(command.unitId);
    const figures: MessageRef = { key: 'phrase.unitFigures', params: { unit: command.unitId, review: what } };
    switch (command.kind) {
      case 'mark-complete':
        if (current?.step === 'complete') throw conflict('unitId', 'problem.alreadyComplete', { figures, by: current.by.name });
        if (current?.step === 'approved') throw conflict('unitId', 'problem.alreadyApproved', { figures, by: current.by.name });
        return [{ type: 'FiguresMarkedComplete', data: { ...unit, by: command.by } }];
      case 'approve':
        if (current?.step !== 'complete') throw conflict('unitId', 'problem.approveNeedsComplete', { figures, step: describe(current?.step) });
        return [{ type: 'FiguresApproved', data: { ...unit, by: command.by } }];
      case 'return': {
        const reason = command.reason.normalize('NFC').trim();
        if (!reason) throw new DomainError('invalid', [problem('reason', 'problem.returnReasonRequired')]);
        if (current?.step !== 'complete' && current?.step !== 'approved') throw conflict('unitId', 'problem.returnNeedsComplete', { figures, step: describe(current?.step) });
        return [{ type: 'FiguresReturned', data: { ...unit, by: command.by, reason } }];
      }
    }
  },
};

/** How refusals name a review: `nea-attachment-3 for 2021-H1 of ledger "gd-2021"`, in the caller's language. */
export const describeReview = (ids: Ids): MessageRef => ({ key: 'phrase.review', params: { report: ids.reportId, period: ids.period, ledger: ids.ledgerId } });

export function assertNotSignedOff(state: ReviewState, what: MessageRef): void {
  if (state.signedOff) throw conflict('period', 'problem.signedOff', { review: what, by: state.signedOff.by, date: state.signedOff.reportDate });
}

const describe = (step: UnitStep | undefined): MessageRef => ({ key: `phrase.step.${step ?? 'none'}` });

/**
 * Who the sign-off names: the reviewers of the approved units, and the units that never marked their
 * figures complete (listed as not reported: the report goes without them). Refused while a unit awaits
 * review or correction, and when no unit's figures are approved.
 */
export function signOffPeople(state: ReviewState, units: string[], what: MessageRef): Pick<SignOffRecord, 'reviewers' | 'notReported'> {
  const inStep = (step: UnitStep) => [...state.units].filter(([, unit]) => unit.step === step).map(([id]) => id);
  const awaiting = inStep('complete');
  if (awaiting.length > 0) throw conflict('units', 'problem.signOffAwaiting', { review: what, units: joined(awaiting, 'phrase.listComma') });
  const returned = inStep('returned');
  if (returned.length > 0) throw conflict('units', 'problem.signOffReturned', { review: what, units: joined(returned, 'phrase.listComma') });
  const approved = inStep('approved');
  if (approved.length === 0) throw conflict('units', 'problem.signOffNothingApproved', { review: what });
  return {
    reviewers: approved.map((unitId) => ({ unitId, ...state.units.get(unitId)!.by })),
    notReported: units.filter((id) => !state.units.has(id)),
  };
}
