import type { Decider, DomainEvent } from '../../event-sourcing/decider';
import { DomainError } from '../../event-sourcing/domain-error';
import { streamName } from '../../event-sourcing/stream-name';
import { metricValueProblem } from '../../programmes/numbers';
import { problem, refusedField, type Refusal } from '../../i18n/problem';
import { parsePeriod, invalidPeriod } from '../../programmes/period';
import { isLocalDate } from '../../programmes/local-time';
import type { Metric, ProgrammeTemplate } from '../../programmes/template';
import { PROGRESS_STATUSES, type CorrectionFields, type MetricFields, type PeriodLock, type ProgressFields } from './record-types';
import type { MessageRef } from '../../i18n/translate';

type ProgressFacts = { task: string; status: string; on: string; note: string | null; evidence: string[] };
type MetricFacts = { metric: string; period: string; dimensions: Record<string, string>; value: number };
type Ids = { ledgerId: string; unitId: string };
/** Back-filled history: the local date it was originally reported, declared by an administrator; the recorded time stays the store's. */
type Backfill = { reportedOn?: string };

export type ProgressReported = DomainEvent<'ProgressReported', Ids & ProgressFacts & Backfill>;
export type MetricReported = DomainEvent<'MetricReported', Ids & MetricFacts & Backfill>;
export type SubmissionCorrected = DomainEvent<
  'SubmissionCorrected',
  Ids & {
    corrects: string;
    correctedType: 'ProgressReported' | 'MetricReported';
    reason: string;
    facts: ProgressFacts | MetricFacts;
    /** A restatement: the figure's period was locked when the correction came (shown in reports and history as late). */
    late?: { since: string; why: string };
  }
>;
export type UnitSubmissionEvent = ProgressReported | MetricReported | SubmissionCorrected;

/** What the decider needs to know of the world, given by the handler: the programme in force, the unit's role, today in the programme's zone. */
export interface SubmissionSetting {
  programme: ProgrammeTemplate;
  unitRole: string;
  today: string;
  /** The lock in force on a reporting period, if any: a locked period's figures change only by a late correction. */
  lockOf?: (periodId: string) => PeriodLock | null;
  /** Why a review holds the unit's figures for a period (marked complete or approved), or null: held figures are returned before they change. */
  heldOf?: (periodId: string) => Refusal | null;
  /** The caller's role: only an admin may back-fill with `reportedOn`. */
  callerRole?: string;
}

export type UnitSubmissionCommand = { record: ProgressFields | MetricFields | CorrectionFields; setting: SubmissionSetting };

/** Each event of the stream by id: its kind, its facts, and the correction that superseded it. */
export interface UnitSubmissionState {
  /** Each event of the stream by id: its kind, its facts, and the correction that superseded it. */
  events: Map<string, { kind: 'ProgressReported' | 'MetricReported'; facts: ProgressFacts | MetricFacts; supersededBy: string | null }>;
  /** The event holding the figure in force for each (metric, period, dimensions): a unit states one figure for each. */
  figures: Map<string, string>;
}

const figureKey = (facts: MetricFacts) => `${facts.metric}|${facts.period}|${JSON.stringify(facts.dimensions)}`;

export const unitStream = (ledgerId: string, unitId: string) => streamName('unit', ledgerId, unitId);

/** The unit's own submissions to one ledger: progress, metric figures, and corrections of them. */
// The state is folded in place (a stream may hold thousands of submissions); it never escapes the fold.
export const unitSubmissionsDecider: Decider<UnitSubmissionCommand, UnitSubmissionEvent, UnitSubmissionState> = {
  initialState: () => ({ events: new Map(), figures: new Map() }),
  evolve(state, event) {
    const id = event.id ?? '(unknown)';
    if (event.type === 'SubmissionCorrected') {
      const target = state.events.get(event.data.corrects);
      if (target) target.supersededBy = id;
      if (target?.kind === 'MetricReported') state.figures.delete(figureKey(target.facts as MetricFacts));
      state.events.set(id, { kind: event.data.correctedType, facts: event.data.facts, supersededBy: null });
      if (event.data.correctedType === 'MetricReported') state.figures.set(figureKey(event.data.facts as MetricFacts), id);
    } else {
      const { ledgerId: _l, unitId: _u, reportedOn: _r, ...facts } = event.data;
      state.events.set(id, { kind: event.type, facts: facts as ProgressFacts | MetricFacts, supersededBy: null });
      if (event.type === 'MetricReported') state.figures.set(figureKey(facts as MetricFacts), id);
    }
    return state;
  },
  decide({ record, setting }, state) {
    const ids = { ledgerId: record.ledger, unitId: record.unit };
    if (record.type === 'progress') {
      const facts = progressFacts(record, setting);
      return [{ type: 'ProgressReported', data: { ...ids, ...facts, ...backfill(record.reportedOn, facts.on, { key: 'phrase.progressDay', params: { on: facts.on } }, setting) } }];
    }
    if (record.type === 'metric') {
      const facts = metricFacts(record, setting);
      // A resend of a figure already recorded, the same in every fact, records nothing: the handler answers with the existing event.
      if (sameFigureAs(state, facts)) return [];
      assertNotHeld(setting, [facts.period]);
      const start = parsePeriod(facts.period);
      const reportedOn = backfill(record.reportedOn, start.ok ? start.period.start : facts.period, { key: 'phrase.periodBegan', params: { period: facts.period } }, setting);
      const lock = setting.lockOf?.(facts.period);
      if (lock) {
        throw new DomainError('conflict', [
          problem('period', 'problem.periodLocked', { period: facts.period, since: lock.since, why: lock.because }),
        ]);
      }
      assertFigureFree(state, facts, null);
      return [{ type: 'MetricReported', data: { ...ids, ...facts, ...reportedOn } }];
    }
    const target = state.events.get(record.corrects);
    if (!target) throw new DomainError('not-found', [problem('corrects', 'problem.unknownCorrected', { id: record.corrects, unit: record.unit, ledger: record.ledger })]);
    if (target.supersededBy) {
      throw new DomainError('conflict', [problem('corrects', 'problem.alreadySuperseded', { id: record.corrects, by: target.supersededBy })]);
    }
    if (!record.reason?.trim()) throw new DomainError('invalid', [problem('reason', 'problem.requiredNotBlank')]);
    const unchangedKeys = target.kind === 'ProgressReported' ? ['value', 'dimensions', 'period'] : ['status', 'on', 'note', 'evidence'];
    const misplaced = unchangedKeys.filter((k) => (record as unknown as Record<string, unknown>)[k] !== undefined);
    if (misplaced.length > 0) throw new DomainError('invalid', [problem(misplaced[0], target.kind === 'ProgressReported' ? 'problem.notProgressFact' : 'problem.notFigureFact')]);
    const replacing = target.kind === 'ProgressReported' ? ['status', 'on', 'note', 'evidence'] : ['value', 'dimensions', 'period'];
    if (!replacing.some((k) => (record as unknown as Record<string, unknown>)[k] !== undefined)) {
      throw new DomainError('invalid', [problem('(record)', 'problem.correctionEmpty', { facts: replacing.join(', ') })]);
    }
    const facts =
      target.kind === 'ProgressReported'
        ? progressFacts({ ...(target.facts as ProgressFacts), ...pick(record, ['status', 'on', 'note', 'evidence']) } as ProgressFields, setting)
        : metricFacts({ ...(target.facts as MetricFacts), ...pick(record, ['value', 'dimensions', 'period']) } as MetricFields, setting);
    if (target.kind === 'MetricReported') assertFigureFree(state, facts as MetricFacts, record.corrects);
    const periods = target.kind === 'MetricReported' ? [(target.facts as MetricFacts).period, (facts as MetricFacts).period] : [];
    assertNotHeld(setting, periods);
    const lock = periods.map((p) => setting.lockOf?.(p) ?? null).find((l) => l !== null);
    return [
      {
        type: 'SubmissionCorrected',
        data: { ...ids, corrects: record.corrects, correctedType: target.kind, reason: record.reason, facts, ...(lock ? { late: { since: lock.since, why: lock.why } } : {}) },
      },
    ];
  },
};

function assertNotHeld(setting: SubmissionSetting, periods: string[]): void {
  const held = periods.map((period) => setting.heldOf?.(period) ?? null).find((reason) => reason !== null);
  if (held) throw new DomainError('conflict', [refusedField('period', held)]);
}

/** The event already holding exactly this figure (same metric, period, dimensions and value), if any. */
function sameFigureAs(state: UnitSubmissionState, facts: MetricFacts): string | null {
  const holder = state.figures.get(figureKey(facts));
  const held = holder ? state.events.get(holder) : undefined;
  return holder && held && (held.facts as MetricFacts).value === facts.value ? holder : null;
}

/** For a metric record the decider answered with no event: the event that already records the same figure. */
export function recordedFigure({ record, setting }: UnitSubmissionCommand, state: UnitSubmissionState): string | null {
  return record.type === 'metric' ? sameFigureAs(state, metricFacts(record, setting)) : null;
}

/**
 * The declared original reporting date of back-filled history: an administrator's only (checked
 * against the role of the request that reached the command), a real date, not before what it
 * reports on (`earliest`) and not in the future.
 */
function backfill(reportedOn: string | undefined, earliest: string, what: MessageRef, setting: SubmissionSetting): Backfill {
  if (reportedOn === undefined) return {};
  if (setting.callerRole !== 'admin') {
    throw new DomainError('forbidden', [problem('reportedOn', 'problem.backfillAdminOnly')]);
  }
  if (!isLocalDate(reportedOn)) throw new DomainError('invalid', [problem('reportedOn', 'problem.notRealDate', { value: JSON.stringify(reportedOn) })]);
  if (reportedOn > setting.today) throw new DomainError('invalid', [problem('reportedOn', 'problem.dateInFuture', { value: reportedOn, today: setting.today, zone: setting.programme.timeZone })]);
  if (reportedOn < earliest) throw new DomainError('invalid', [problem('reportedOn', 'problem.reportedBefore', { value: reportedOn, what })]);
  return { reportedOn };
}

/** A unit states one figure per (metric, period, dimensions): a second one would be added to the first in every sum. */
function assertFigureFree(state: UnitSubmissionState, facts: MetricFacts, replacing: string | null): void {
  const holder = state.figures.get(figureKey(facts));
  if (holder && holder !== replacing) {
    const where = Object.entries(facts.dimensions).map(([k, v]) => `${k}=${v}`).join(', ');
    throw new DomainError('conflict', [problem('value', 'problem.figureHeld', { metric: facts.metric, period: facts.period, where: where ? ` (${where})` : '', event: holder })]);
  }
}

function pick(record: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => (record as Record<string, unknown>)[k] !== undefined).map((k) => [k, (record as Record<string, unknown>)[k]]));
}

function progressFacts(record: Pick<ProgressFields, 'task' | 'status' | 'on' | 'note' | 'evidence'>, setting: SubmissionSetting): ProgressFacts {
  const task = setting.programme.tasks.find((t) => t.number === record.task);
  if (!task) throw new DomainError('not-found', [problem('task', 'problem.unknownTask', { id: record.task, programme: setting.programme.id })]);
  if (!task.lead.includes(setting.unitRole) && !task.cooperating.includes(setting.unitRole)) {
    throw new DomainError('forbidden', [problem('task', 'problem.taskNotAssigned', { task: task.number, role: setting.unitRole, lead: task.lead.join(', '), cooperating: task.cooperating.join(', ') || { key: 'phrase.none' } })]);
  }
  if (!PROGRESS_STATUSES.includes(record.status)) throw new DomainError('invalid', [problem('status', 'problem.notOneOf', { value: JSON.stringify(record.status), allowed: PROGRESS_STATUSES.join(', ') })]);
  if (!isLocalDate(record.on)) throw new DomainError('invalid', [problem('on', 'problem.notRealDate', { value: JSON.stringify(record.on) })]);
  if (record.on > setting.today) throw new DomainError('invalid', [problem('on', 'problem.dateInFuture', { value: record.on, today: setting.today, zone: setting.programme.timeZone })]);
  return { task: task.number, status: record.status, on: record.on, note: record.note?.normalize('NFC') ?? null, evidence: (record.evidence ?? []).map((e) => e.normalize('NFC')) };
}

function metricFacts(record: Pick<MetricFields, 'metric' | 'period' | 'dimensions' | 'value'>, setting: SubmissionSetting): MetricFacts {
  const metric = setting.programme.metrics?.find((m) => m.id === record.metric);
  if (!metric) throw new DomainError('not-found', [problem('metric', 'problem.unknownMetric', { id: record.metric, programme: setting.programme.id })]);
  if (metric.derivedFrom) throw new DomainError('invalid', [problem('metric', 'problem.metricDerived', { id: metric.id, source: metric.derivedFrom.toUpperCase() })]);
  const parsed = parsePeriod(record.period);
  if (!parsed.ok) throw invalidPeriod(parsed.error);
  const calendar = setting.programme.calendar;
  const reported = calendar.some((c) => c.period === parsed.period.kind && (!c.only || c.only.some((suffix) => parsed.period.id.endsWith(`-${suffix}`))));
  if (!reported) {
    const owed = calendar.map((c) => (c.only ? `${c.period} (${c.only.join(', ')})` : c.period)).join(', ');
    throw new DomainError('invalid', [problem('period', 'problem.periodNotReported', { value: record.period, programme: setting.programme.id, owed })]);
  }
  if (parsed.period.start > setting.today) throw new DomainError('invalid', [problem('period', 'problem.periodNotStarted', { value: record.period, today: setting.today })]);
  const dimensions = checkDimensions(metric, record.dimensions ?? {});
  checkValue(metric, record.value);
  return { metric: metric.id, period: parsed.period.id, dimensions, value: record.value };
}

function checkDimensions(metric: Metric, given: Record<string, string>): Record<string, string> {
  const declared = metric.dimensions ?? [];
  for (const name of Object.keys(given)) {
    if (!declared.some((d) => d.id === name)) throw new DomainError('invalid', [problem(`dimensions.${name}`, 'problem.notDimensionOf', { metric: metric.id, dimensions: declared.map((d) => d.id).join(', ') || { key: 'phrase.itHasNone' } })]);
  }
  for (const dimension of declared) {
    const value = given[dimension.id];
    if (value === undefined) throw new DomainError('invalid', [problem(`dimensions.${dimension.id}`, 'problem.requiredOneOf', { allowed: dimension.values.map((v) => v.id).join(', ') })]);
    if (!dimension.values.some((v) => v.id === value)) throw new DomainError('invalid', [problem(`dimensions.${dimension.id}`, 'problem.notOneOf', { value: `"${value}"`, allowed: dimension.values.map((v) => v.id).join(', ') })]);
  }
  return Object.fromEntries(declared.map((d) => [d.id, given[d.id]]));
}

function checkValue(metric: Metric, value: number): void {
  const refused = metricValueProblem(metric, value);
  if (refused) throw new DomainError('invalid', [refusedField('value', refused)]);
}
