import { heldAt } from '../../audit/as-of';
import { TaskStatusQuery, type TaskStatusRow } from '../../ledgers/queries/task-status.query';
import { evaluateIndicator, type Figure, type ManualAssessment, type MetricValue } from '../../programmes/indicator-rules';
import { previousYearPeriod } from '../../programmes/period';
import type { Indicator } from '../../programmes/template';
import { periodFields } from '../period-fields';
import { commonFields, type ReportDataProvider } from './report-context';

const COMPLETED = new Set(['completed', 'completed-on-time', 'completed-late']);

/**
 * A qualitative standard has no rule: the ledger judges it from the tasks it measures. Met when every
 * responsible unit has completed them; not met when one of them is overdue; otherwise undecided.
 */
function assessment(pairs: TaskStatusRow[]): ManualAssessment | null {
  if (pairs.length > 0 && pairs.every((p) => COMPLETED.has(p.status))) return { verdict: 'met' };
  if (pairs.some((p) => p.status === 'overdue')) return { verdict: 'not-met' };
  return null;
}

function figureText(figures: Figure[]): string {
  return figures.map((f) => `${f.label} = ${f.value === null ? '—' : f.value}${f.unit ? ` ${f.unit}` : ''}${f.target ? `（${f.target}）` : ''}`).join('；');
}

/** Attachment 2: each of the 38 standards with the ledger's verdict, the deciding figures and the units behind them. */
export const neaAttachment2Data: ReportDataProvider = async (context) => {
  const { programme } = context.ledger;
  const held = heldAt(context.asOf);
  const rows = context.db
    .prepare(`SELECT unit_id, metric_id, period, dimensions, value FROM metric_values_v1 WHERE ledger_id = ? AND ${held.sql}`)
    .all(context.ledger.ledgerId, ...held.params) as { unit_id: string; metric_id: string; period: string; dimensions: string; value: number }[];
  const values: MetricValue[] = rows.map((r) => ({ metric: r.metric_id, period: r.period, dimensions: JSON.parse(r.dimensions), value: r.value }));
  const status = await context.queries.execute(new TaskStatusQuery(context.ledger.ledgerId, context.asOf));
  const unitName = (id: string) => context.ledger.units.get(id)?.name ?? id;
  const standards = (programme.indicators ?? []).map((indicator: Indicator) => {
    const pairs = status.rows.filter((r) => indicator.tasks?.includes(r.task));
    const result = evaluateIndicator(indicator, values, {
      period: context.period.id,
      previousPeriod: previousYearPeriod(context.period).id,
      asOfDate: context.asOfDate,
      manual: indicator.rule ? null : assessment(pairs),
    });
    const progressing = pairs.some((p) => p.progress !== null);
    const verdict = (result.verdict === 'not-yet-due' || result.verdict === 'no-data') && progressing ? 'in-progress' : result.verdict;
    const metrics = new Set(JSON.stringify(indicator.rule ?? {}).match(/"metric":"[^"]+"/g)?.map((m) => m.slice(10, -1)));
    const behind = indicator.rule
      ? rows.filter((r) => metrics.has(r.metric_id)).map((r) => r.unit_id)
      : pairs.filter((p) => p.progress !== null).map((p) => p.unit);
    const done = pairs.filter((p) => COMPLETED.has(p.status)).length;
    return {
      group: indicator.group ?? indicator.deadline.text,
      number: indicator.number,
      starred: indicator.starred ?? false,
      text: indicator.text,
      standard: indicator.standard,
      verdict,
      basis: indicator.rule ? figureText(result.figures) : pairs.length ? `任务 ${[...new Set(pairs.map((p) => p.task))].join('、')}：${done}/${pairs.length} 个单位已完成` : '',
      units: [...new Set(behind)].map(unitName).join('、'),
    };
  });
  return {
    asOf: context.instant,
    fields: { ...commonFields(context), ...periodFields(context.period.id) },
    lists: { standards },
  };
};
