import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { DomainError } from '../../event-sourcing/domain-error';
import type { Figure, RuleVerdict } from '../../programmes/indicator-rules';
import { localDateOf } from '../../programmes/local-time';
import { parsePeriod, invalidPeriod } from '../../programmes/period';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { LedgerDirectory } from '../ledger-directory';
import { indicatorVerdicts, type LedgerIndicatorVerdict } from './indicator-verdicts';
import { problem } from '../../i18n/problem';

export const INDICATOR_VERDICTS: readonly LedgerIndicatorVerdict[] = ['met', 'not-met', 'no-data', 'not-yet-due', 'in-progress'];

export interface IndicatorEntry {
  number: string;
  starred: boolean;
  /** The deadline group as the source heads it (2020年底前, 持续推进). */
  group: string;
  text: string;
  standard: string;
  /** What the standard leaves out, as written (除不可抗力外); null when it says nothing. */
  exceptions: string | null;
  /** The ledger's verdict, as Attachment 2 prints it. */
  verdict: LedgerIndicatorVerdict;
  /** `rule`: decided by the rule over the figures; `manual`: a qualitative standard judged from its tasks. */
  basis: 'rule' | 'manual';
  /** The verdict had the deadline passed. */
  provisional: RuleVerdict;
  due: string | null;
  /** The deciding figures, each with what it measured, its value, target and unit of measure (the metric's; `change %` and `ratio %` are percentages). */
  figures: Figure[];
  /** The tasks it measures, and how many of their (task, responsible unit) pairs are completed. */
  tasks: string[];
  pairs: number;
  completed: number;
  /** The units behind the verdict: those that reported the rule's metrics, or those reporting progress on its tasks. */
  units: { id: string; name: string }[];
}

export interface IndicatorsReport {
  ledgerId: string;
  programmeId: string;
  programmeVersion: number;
  period: string;
  /** The instant the answer is as of, its local date in the programme's time zone, and the last log position at or before it. */
  asOf: string;
  asOfDate: string;
  position: number;
  /** The unit whose own standing was asked, or null for the whole ledger. */
  unit: string | null;
  rows: IndicatorEntry[];
}

export interface IndicatorsFilter {
  /** Only this unit's own figures and task pairs. */
  unit?: string;
  number?: string;
  verdict?: string;
}

/** The verdicts of the programme's indicators for a period as of a moment: the computation of the NEA Attachment 2 report (indicatorVerdicts). */
export class IndicatorsQuery extends Query<IndicatorsReport> {
  constructor(
    readonly ledgerId: string,
    readonly period: string,
    readonly asOf: AsOf = { kind: 'now' },
    readonly filter: IndicatorsFilter = {},
  ) {
    super();
  }
}

/** A figure's unit of measure, where the rule's figures leave it out: the metric's (`max approval.workingDays … 2021-H1` → 个工作日). */
function withMeasure(figure: Figure, measures: Map<string, string>): Figure {
  if (figure.unit !== undefined) return figure;
  const measure = measures.get(/^(?:sum|max|min|mean|latest|count) (\S+)/.exec(figure.label)?.[1] ?? '');
  return measure === undefined ? figure : { ...figure, unit: measure };
}

@QueryHandler(IndicatorsQuery)
export class IndicatorsHandler implements IQueryHandler<IndicatorsQuery, IndicatorsReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly runner: ProjectionRunner,
    private readonly moments: Moments,
    private readonly queries: QueryBus,
  ) {}

  async execute({ ledgerId, period, asOf, filter }: IndicatorsQuery): Promise<IndicatorsReport> {
    const parsed = parsePeriod(period);
    if (!parsed.ok) throw invalidPeriod(parsed.error);
    if (filter.verdict !== undefined && !INDICATOR_VERDICTS.includes(filter.verdict as LedgerIndicatorVerdict)) {
      throw new DomainError('invalid', [problem('verdict', 'problem.notOneOf', { value: `"${filter.verdict}"`, allowed: INDICATOR_VERDICTS.join(', ') })]);
    }
    await this.runner.catchUp();
    const ledger = await this.directory.get(ledgerId, asOf);
    if (filter.unit !== undefined && !ledger.units.has(filter.unit)) throw new DomainError('not-found', [problem('unit', 'problem.unknownUnit', { id: filter.unit, ledger: ledgerId })]);
    const indicators = ledger.programme.indicators ?? [];
    if (filter.number !== undefined && !indicators.some((i) => i.number === filter.number)) {
      throw new DomainError('not-found', [problem('number', 'problem.unknownIndicator', { id: filter.number, programme: ledger.programme.id })]);
    }
    const moment = this.moments.resolve(asOf);
    const asOfDate = localDateOf(moment.instant, ledger.programme.timeZone);
    const entries = await indicatorVerdicts({ db: this.db, queries: this.queries, ledger, period: parsed.period, asOf, asOfDate, unit: filter.unit });
    const unitName = (id: string) => ledger.units.get(id)?.name ?? id;
    const measures = new Map((ledger.programme.metrics ?? []).map((m) => [m.id, m.unit]));
    const rows = entries
      .filter((e) => (filter.number === undefined || e.indicator.number === filter.number) && (filter.verdict === undefined || e.verdict === filter.verdict))
      .map(
        ({ indicator, verdict, result, pairs, done, units }): IndicatorEntry => ({
          number: indicator.number,
          starred: indicator.starred ?? false,
          group: indicator.group ?? indicator.deadline.text,
          text: indicator.text,
          standard: indicator.standard,
          exceptions: indicator.exceptions ?? null,
          verdict,
          basis: result.basis,
          provisional: result.provisional,
          due: result.due,
          figures: result.figures.map((f) => withMeasure(f, measures)),
          tasks: indicator.tasks ?? [],
          pairs: pairs.length,
          completed: done,
          units: units.map((id) => ({ id, name: unitName(id) })),
        }),
      );
    return {
      ledgerId,
      programmeId: ledger.programme.id,
      programmeVersion: ledger.programmeVersion,
      period: parsed.period.id,
      asOf: moment.instant,
      asOfDate,
      position: moment.position,
      unit: filter.unit ?? null,
      rows,
    };
  }
}
