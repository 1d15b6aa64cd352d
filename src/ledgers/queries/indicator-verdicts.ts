import type { QueryBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { heldAt, type AsOf } from '../../audit/as-of';
import { evaluateIndicator, type IndicatorResult, type IndicatorVerdict, type ManualAssessment, type MetricValue } from '../../programmes/indicator-rules';
import { previousYearPeriod, type Period } from '../../programmes/period';
import type { Indicator } from '../../programmes/template';
import type { LedgerDefinition } from '../ledger-directory';
import { TaskStatusQuery, type TaskStatusRow } from './task-status.query';

const COMPLETED = new Set(['completed', 'completed-on-time', 'completed-late']);

/** A verdict as the ledger states it: the rule's (or manual) verdict, or `in-progress` when undecided while units report progress. */
export type LedgerIndicatorVerdict = IndicatorVerdict | 'in-progress';

export interface IndicatorVerdictEntry {
  indicator: Indicator;
  verdict: LedgerIndicatorVerdict;
  /** What evaluateIndicator said: the rule's (or manual) verdict, the provisional one, the due date and the deciding figures. */
  result: IndicatorResult;
  /** The (task, responsible unit) pairs of the tasks the indicator measures, at the moment. */
  pairs: TaskStatusRow[];
  /** How many of those pairs are completed. */
  done: number;
  /** The units behind the verdict (ids, first appearance order): those that reported the rule's metrics, or those reporting progress on its tasks. */
  units: string[];
}

export interface IndicatorVerdictsInput {
  db: Database.Database;
  queries: QueryBus;
  ledger: LedgerDefinition;
  period: Period;
  asOf: AsOf;
  /** The as-of date in the programme's time zone. */
  asOfDate: string;
  /** Restrict the figures and the task pairs to one unit (its own standing); absent: the whole ledger, as the report reads it. */
  unit?: string;
}

/**
 * A qualitative standard has no rule: the ledger judges it from the tasks it measures. Met when every
 * responsible unit has completed them; not met when one of them is overdue; otherwise undecided.
 */
function assessment(pairs: TaskStatusRow[]): ManualAssessment | null {
  if (pairs.length > 0 && pairs.every((p) => COMPLETED.has(p.status))) return { verdict: 'met' };
  if (pairs.some((p) => p.status === 'overdue')) return { verdict: 'not-met' };
  return null;
}

/**
 * Each indicator of the ledger's programme with its verdict for a period as of a moment: the figures
 * in force then (metric rows that held: a query over positions, not a replay), the task status then,
 * and the deciding figures and units. The NEA Attachment 2 report and GET …/indicators both read this.
 */
export async function indicatorVerdicts(input: IndicatorVerdictsInput): Promise<IndicatorVerdictEntry[]> {
  const { db, ledger, period, asOf, asOfDate, unit } = input;
  const held = heldAt(asOf);
  const rows = db
    .prepare(`SELECT unit_id, metric_id, period, dimensions, value FROM metric_values_v2 WHERE ledger_id = ? AND ${held.sql}${unit === undefined ? '' : ' AND unit_id = ?'}`)
    .all(ledger.ledgerId, ...held.params, ...(unit === undefined ? [] : [unit])) as { unit_id: string; metric_id: string; period: string; dimensions: string; value: number }[];
  const values: MetricValue[] = rows.map((r) => ({ metric: r.metric_id, period: r.period, dimensions: JSON.parse(r.dimensions), value: r.value }));
  const status = await input.queries.execute(new TaskStatusQuery(ledger.ledgerId, asOf, unit === undefined ? {} : { unit }));
  return (ledger.programme.indicators ?? []).map((indicator: Indicator) => {
    const pairs = status.rows.filter((r) => indicator.tasks?.includes(r.task));
    const result = evaluateIndicator(indicator, values, {
      period: period.id,
      previousPeriod: previousYearPeriod(period).id,
      asOfDate,
      manual: indicator.rule ? null : assessment(pairs),
    });
    const progressing = pairs.some((p) => p.progress !== null);
    const verdict = (result.verdict === 'not-yet-due' || result.verdict === 'no-data') && progressing ? 'in-progress' : result.verdict;
    const metrics = new Set(JSON.stringify(indicator.rule ?? {}).match(/"metric":"[^"]+"/g)?.map((m) => m.slice(10, -1)));
    const behind = indicator.rule ? rows.filter((r) => metrics.has(r.metric_id)).map((r) => r.unit_id) : pairs.filter((p) => p.progress !== null).map((p) => p.unit);
    return { indicator, verdict, result, pairs, done: pairs.filter((p) => COMPLETED.has(p.status)).length, units: [...new Set(behind)] };
  });
}
