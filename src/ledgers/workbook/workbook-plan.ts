/**
 * What a fill-in workbook holds for (ledger, unit, period), before any Excel: the unit's assigned
 * tasks and the programme's submitted metrics for the period. Pure: the same ledger definition,
 * unit and period give the same plan, hence the same bytes.
 */
import { DomainError } from '../../event-sourcing/domain-error';
import { calendarEntryFor } from '../../programmes/calendar';
import { periodRangeProblem } from '../../programmes/dates';
import { problem, refusedField } from '../../i18n/problem';
import { parsePeriod, invalidPeriod, type Period } from '../../programmes/period';
import type { Dimension, DimensionValue, Language, Metric } from '../../programmes/template';
import type { LedgerDefinition, LedgerUnit } from '../ledger-directory';
import { TEXTS, type WorkbookTexts } from './workbook-layout';

export interface TaskRowPlan {
  number: string;
  text: string;
  deadline: string;
  responsibility: 'lead' | 'cooperating';
}

export interface MetricRowPlan {
  metric: Metric;
  /** One value of each of the metric's dimensions, in the metric's order. */
  values: { dimension: Dimension; value: DimensionValue }[];
}

export interface WorkbookPlan {
  ledgerId: string;
  ledgerName: string;
  unit: LedgerUnit;
  period: Period;
  programme: { id: string; version: number; title: string; language: Language; years: { from: number; to: number } };
  texts: WorkbookTexts;
  tasks: TaskRowPlan[];
  /** The metric rows, or why there are none for this period (shown as a message row). */
  metrics: { rows: MetricRowPlan[]; message: string | null };
  /** The moment the workbook's dates are pinned to (ISO): its bytes do not depend on the wall clock. */
  pinnedAt: string;
}

/** Every combination of one value per dimension (one empty combination for a metric without dimensions), first dimension slowest. */
export function dimensionCombinations(metric: Metric): MetricRowPlan['values'][] {
  let combinations: MetricRowPlan['values'][] = [[]];
  for (const dimension of metric.dimensions ?? []) {
    combinations = combinations.flatMap((prefix) => dimension.values.map((value) => [...prefix, { dimension, value }]));
  }
  return combinations;
}

export function assignedTasks(ledger: LedgerDefinition, unit: LedgerUnit): TaskRowPlan[] {
  const rows: TaskRowPlan[] = [];
  for (const task of ledger.programme.tasks) {
    // As TaskStatusQuery decides responsibility: lead first, then co-operating.
    const responsibility = task.lead.includes(unit.role) ? 'lead' : task.cooperating.includes(unit.role) ? 'cooperating' : null;
    if (responsibility) rows.push({ number: task.number, text: task.text, deadline: task.deadline.text, responsibility });
  }
  return rows;
}

export function planWorkbook(ledger: LedgerDefinition, unitId: string, periodId: string, pinnedAt: string): WorkbookPlan {
  const unit = ledger.units.get(unitId);
  if (!unit) throw new DomainError('not-found', [problem('unitId', 'problem.unknownUnit', { id: unitId, ledger: ledger.ledgerId })]);
  if (unit.retired) throw new DomainError('invalid', [problem('unitId', 'problem.unitRetired', { id: unitId, ledger: ledger.ledgerId })]);
  const parsed = parsePeriod(periodId);
  if (!parsed.ok) throw invalidPeriod(parsed.error);
  const period = parsed.period;
  const outside = periodRangeProblem(period, ledger.programme);
  if (outside) throw new DomainError('invalid', [refusedField('period', outside)]);
  const programme = ledger.programme;
  const texts = TEXTS[programme.language] ?? TEXTS['zh-CN'];
  const submitted = (programme.metrics ?? []).filter((m) => !m.derivedFrom);
  let metrics: WorkbookPlan['metrics'];
  if (submitted.length === 0) {
    metrics = { rows: [], message: texts.noSubmittedMetrics };
  } else if (!calendarEntryFor(programme, period)) {
    const owed = programme.calendar.map((c) => `${texts.periodKinds[c.period]}${c.only ? ` (${c.only.join(', ')})` : ''}`).join(texts.listSeparator);
    metrics = { rows: [], message: texts.notReportedPeriod(period.id, owed) };
  } else {
    metrics = { rows: submitted.flatMap((metric) => dimensionCombinations(metric).map((values) => ({ metric, values }))), message: null };
  }
  return {
    ledgerId: ledger.ledgerId,
    ledgerName: ledger.name,
    unit,
    period,
    programme: { id: programme.id, version: ledger.programmeVersion, title: programme.title, language: programme.language, years: programme.years },
    texts,
    tasks: assignedTasks(ledger, unit),
    metrics,
    pinnedAt,
  };
}
