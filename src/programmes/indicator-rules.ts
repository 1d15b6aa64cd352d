/**
 * Evaluating a completion standard's rule over metric observations, and an indicator's verdict as of
 * a date.
 *
 * Decisions:
 * - A selector looks at the observations of its metric whose dimensions match every `where` entry:
 *   the value it names, or any value of the list it names (`stars: ["3", "4"]`; an empty list matches
 *   nothing). Of those, the ones for exactly the evaluated period are used; if there are none, the ones whose
 *   period lies within it (the months of a quarter, the half-years of a year). Callers should not
 *   send overlapping sub-periods (2021-H1 and 2021-Q1) for one evaluation: both would be aggregated.
 * - Aggregates: sum, max, min, mean; latest = the value of the last period in closing order
 *   (comparePeriods), ties to the later observation in input order; count = the number of
 *   observations (0 when there are none). Every other aggregate of nothing is `no-data`.
 *   When the selection holds several series (observations with different dimension values, as a
 *   list in `where` or a dimension left out of it selects), `latest` is the sum over the series of
 *   each one's latest value in that last period: a stock broken down by stars is the sum of its
 *   parts at the period's end. A selection of one series behaves as before.
 * - at-least ("ít nhất 28 - 30", "từ 50 - 70"): met from `min`; a value above `max` is met too (the
 *   range is a hope, not a ceiling). between: both ends bind.
 * - Computed figures are rounded to 12 significant digits before comparing, so 11 → 10.12 is −8%.
 * - change: ((current − baseline) / baseline) × 100 against the same selection in the previous-year
 *   period (context.previousPeriod, default: the same period one year earlier); no baseline or a
 *   baseline of 0 is `no-data`. ratio: numerator / denominator × 100; a denominator of 0 is `no-data`.
 * - any: met if one is met, not-met if all are not-met, else no-data; all: not-met if one is not-met,
 *   met if all are met, else no-data. Their figures are those of the deciding rules (the met ones for
 *   a met `any`, the not-met ones for a not-met `all`), else all figures.
 * - evaluateIndicator: a rule (or, with no rule, a manual assessment) that is met counts as met, even
 *   before the due date; otherwise, on or before the due date the verdict is `not-yet-due`; after it,
 *   the rule's verdict (`no-data` when a qualitative indicator has no assessment).
 */
import type { Comparator, Deadline, IndicatorRule, LocalDate, MetricSelector } from './template';
import { comparePeriods, isWithin, periodOf, previousYearPeriod, type Period } from './period';
import { fixedDueDate, roundDueDates, yearlyDueDate } from './deadline';

export interface MetricValue {
  metric: string;
  period: string;
  dimensions: Record<string, string>;
  value: number;
  unit?: string;
}

export interface RuleContext {
  /** The period being evaluated, e.g. `2021` or `2021-H1`. */
  period: string;
  /** The baseline period for `change`; default: the same period one year earlier. */
  previousPeriod?: string;
}

export type RuleVerdict = 'met' | 'not-met' | 'no-data';

export interface Figure {
  /** What was measured: `sum benefit.households [service=sansheng] 2021-H1`, `change %`, `ratio %`. */
  label: string;
  value: number | null;
  /** The target it was held against (`<= 11`, `28–30`, `<= -8%`), or null for a baseline. */
  target: string | null;
  unit?: string;
}

export interface RuleResult {
  verdict: RuleVerdict;
  figures: Figure[];
}

const round = (x: number): number => Number(x.toPrecision(12));

function holds(value: number, op: Comparator, target: number): boolean {
  const v = round(value);
  switch (op) {
    case '<=': return v <= target;
    case '>=': return v >= target;
    case '=': return v === target;
    case '<': return v < target;
    case '>': return v > target;
  }
}

function label(s: MetricSelector, period: Period): string {
  const where = Object.entries(s.where ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(',');
  return `${s.aggregate} ${s.metric}${where ? ` [${where}]` : ''} ${period.id}`;
}

/** Whether an observation's dimensions pass a `where` filter: each entry's value, or any value of its list. */
export function matchesWhere(where: MetricSelector['where'], dimensions: Record<string, string>): boolean {
  return Object.entries(where ?? {}).every(([k, allowed]) => (Array.isArray(allowed) ? allowed.includes(dimensions[k]) : dimensions[k] === allowed));
}

/** A series key: the observation's dimensions, in name order. */
const seriesOf = (dimensions: Record<string, string>): string =>
  JSON.stringify(Object.keys(dimensions).sort().map((k) => [k, dimensions[k]]));

/** The aggregate of a selection over a period, or null when there is nothing to aggregate. */
export function aggregate(s: MetricSelector, values: readonly MetricValue[], period: Period): { value: number | null; unit?: string } {
  const matching = values
    .map((v, i) => ({ v, i, p: periodOf(v.period) }))
    .filter(({ v }) => v.metric === s.metric && matchesWhere(s.where, v.dimensions));
  const exact = matching.filter((m) => m.p.id === period.id);
  const chosen = exact.length > 0 ? exact : matching.filter((m) => isWithin(m.p, period));
  const unit = chosen.find((m) => m.v.unit !== undefined)?.v.unit;
  if (s.aggregate === 'count') return { value: chosen.length, unit };
  if (chosen.length === 0) return { value: null, unit };
  const xs = chosen.map((m) => m.v.value);
  switch (s.aggregate) {
    case 'sum': return { value: round(xs.reduce((a, b) => a + b, 0)), unit };
    case 'max': return { value: Math.max(...xs), unit };
    case 'min': return { value: Math.min(...xs), unit };
    case 'mean': return { value: round(xs.reduce((a, b) => a + b, 0) / xs.length), unit };
    case 'latest': {
      const ordered = [...chosen].sort((a, b) => comparePeriods(a.p, b.p) || a.i - b.i);
      const lastPeriod = ordered[ordered.length - 1].p;
      const bySeries = new Map<string, number>();
      for (const m of ordered) if (comparePeriods(m.p, lastPeriod) === 0) bySeries.set(seriesOf(m.v.dimensions), m.v.value);
      const parts = [...bySeries.values()];
      return { value: parts.length === 1 ? parts[0] : round(parts.reduce((a, b) => a + b, 0)), unit };
    }
  }
}

const withUnit = (f: Figure, unit: string | undefined): Figure => (unit === undefined ? f : { ...f, unit });

export function evaluateRule(rule: IndicatorRule, values: readonly MetricValue[], context: RuleContext): RuleResult {
  const period = periodOf(context.period);
  switch (rule.kind) {
    case 'compare':
    case 'between':
    case 'at-least': {
      const { value, unit } = aggregate(rule, values, period);
      const target = rule.kind === 'compare' ? `${rule.op} ${rule.value}` : rule.kind === 'between' ? `${rule.min}–${rule.max}` : `>= ${rule.min} (${rule.min}–${rule.max})`;
      const figures = [withUnit({ label: label(rule, period), value, target }, unit)];
      if (value === null) return { verdict: 'no-data', figures };
      const ok = rule.kind === 'compare' ? holds(value, rule.op, rule.value)
        : rule.kind === 'at-least' ? holds(value, '>=', rule.min)
        : holds(value, '>=', rule.min) && holds(value, '<=', rule.max);
      return { verdict: ok ? 'met' : 'not-met', figures };
    }
    case 'change': {
      const basePeriod = context.previousPeriod ? periodOf(context.previousPeriod) : previousYearPeriod(period);
      const current = aggregate(rule, values, period);
      const base = aggregate(rule, values, basePeriod);
      const pct = current.value !== null && base.value !== null && base.value !== 0
        ? round(((current.value - base.value) / base.value) * 100) : null;
      const figures = [
        withUnit({ label: label(rule, period), value: current.value, target: null }, current.unit),
        withUnit({ label: label(rule, basePeriod), value: base.value, target: null }, base.unit ?? current.unit),
        { label: 'change %', value: pct, target: `${rule.op} ${rule.percent}%` },
      ];
      return { verdict: pct === null ? 'no-data' : holds(pct, rule.op, rule.percent) ? 'met' : 'not-met', figures };
    }
    case 'ratio': {
      const num = aggregate(rule.numerator, values, period);
      const den = aggregate(rule.denominator, values, period);
      const pct = num.value !== null && den.value !== null && den.value !== 0 ? round((num.value / den.value) * 100) : null;
      const figures = [
        withUnit({ label: label(rule.numerator, period), value: num.value, target: null }, num.unit),
        withUnit({ label: label(rule.denominator, period), value: den.value, target: null }, den.unit),
        { label: 'ratio %', value: pct, target: `${rule.op} ${rule.percent}%` },
      ];
      return { verdict: pct === null ? 'no-data' : holds(pct, rule.op, rule.percent) ? 'met' : 'not-met', figures };
    }
    case 'any':
    case 'all': {
      const results = rule.rules.map((r) => evaluateRule(r, values, context));
      const [win, lose] = rule.kind === 'any' ? (['met', 'not-met'] as const) : (['not-met', 'met'] as const);
      const deciding = results.filter((r) => r.verdict === win);
      if (deciding.length > 0) return { verdict: win, figures: deciding.flatMap((r) => r.figures) };
      const figures = results.flatMap((r) => r.figures);
      return { verdict: results.every((r) => r.verdict === lose) ? lose : 'no-data', figures };
    }
  }
}

export type IndicatorVerdict = RuleVerdict | 'not-yet-due';

export interface ManualAssessment {
  verdict: 'met' | 'not-met';
  by?: string;
  on?: LocalDate;
  note?: string;
}

export interface IndicatorContext extends RuleContext {
  /** The as-of date, local to the programme's time zone. */
  asOfDate: LocalDate;
  /** The latest manual assessment for a qualitative indicator (no rule), if any. */
  manual?: ManualAssessment | null;
}

export interface IndicatorResult {
  verdict: IndicatorVerdict;
  /** `manual` when the indicator has no rule (qualitative standard). */
  basis: 'rule' | 'manual';
  /** The verdict if the deadline had passed. */
  provisional: RuleVerdict;
  due: LocalDate | null;
  figures: Figure[];
}

/**
 * The due date of an indicator's (or task's) deadline for an evaluated period: one-off kinds their own
 * date; `yearly` the occurrence in the period's year; `ongoing` and `from-year` the period's last day;
 * rounds and listed months their last round; `condition` none.
 */
export function indicatorDueDate(deadline: Deadline | undefined, period: Period): LocalDate | null {
  if (!deadline) return null;
  if (deadline.kind === 'yearly') return yearlyDueDate(deadline.month, deadline.day, period.year);
  if (deadline.kind === 'ongoing' || deadline.kind === 'from-year') return period.end;
  if (deadline.kind === 'rounds' || deadline.kind === 'months') return roundDueDates(deadline).at(-1) ?? null;
  return fixedDueDate(deadline);
}

/** An indicator, a task with a `rule` (NEA task 11) or a goal: anything with an optional rule and deadline. */
export function evaluateIndicator(
  indicator: { rule?: IndicatorRule; deadline?: Deadline },
  values: readonly MetricValue[],
  context: IndicatorContext,
): IndicatorResult {
  const due = indicatorDueDate(indicator.deadline, periodOf(context.period));
  const basis = indicator.rule ? 'rule' : 'manual';
  const result: RuleResult = indicator.rule
    ? evaluateRule(indicator.rule, values, context)
    : { verdict: context.manual?.verdict ?? 'no-data', figures: [] };
  const verdict: IndicatorVerdict = result.verdict !== 'met' && due !== null && context.asOfDate <= due ? 'not-yet-due' : result.verdict;
  return { verdict, basis, provisional: result.verdict, due, figures: result.figures };
}
