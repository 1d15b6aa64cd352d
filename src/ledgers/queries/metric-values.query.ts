import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { heldAt, type AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { DomainError } from '../../event-sourcing/domain-error';
import { comparePeriods, parsePeriod, invalidPeriod } from '../../programmes/period';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { LedgerDirectory, type LedgerUnit } from '../ledger-directory';
import { problem } from '../../i18n/problem';

export interface MetricValueEntry {
  metric: string;
  /** The metric's label and unit of measure as the programme writes them (户, 万元, 个工作日). */
  label: string;
  measure: string;
  unit: string;
  unitName: string;
  period: string;
  dimensions: Record<string, string>;
  /** The figure in force: the sum of the unit's figures held at the moment (corrections applied); with rollup, over the unit and its descendants. */
  value: number;
  /** With rollup: the unit's own figure (0 when only its descendants reported); without: equal to `value`. */
  own: number;
  /** How many submitted figures (originals not superseded, and corrections) make up `value`. */
  figures: number;
  /** How many of those are corrections of an earlier figure. */
  corrections: number;
  /** The units whose figures make up `value` (the unit itself, and with rollup its reporting descendants). */
  units: string[];
  /** The log position and recorded time of the latest figure behind `value`. */
  position: number;
  recordedAt: string;
}

export interface MetricValuesReport {
  ledgerId: string;
  programmeId: string;
  programmeVersion: number;
  /** The instant the answer is as of (ISO-8601) and the last log position at or before it. */
  asOf: string;
  position: number;
  rollup: boolean;
  rows: MetricValueEntry[];
}

export interface MetricValuesFilter {
  period?: string;
  metric?: string;
  unit?: string;
  /** Sum each unit with its descendants in the unit hierarchy (units' `parent`). */
  rollup?: boolean;
}

/**
 * The metric figures of a ledger in force at a moment, per (metric, unit, period, dimensions): the
 * rows of metric_values_v2 that held then (a correction replaces its original from its own
 * position on), summed per key; optionally rolled up the unit hierarchy.
 */
export class MetricValuesQuery extends Query<MetricValuesReport> {
  constructor(
    readonly ledgerId: string,
    readonly asOf: AsOf = { kind: 'now' },
    readonly filter: MetricValuesFilter = {},
  ) {
    super();
  }
}

type Group = { unit_id: string; metric_id: string; period: string; dimensions: string; value: number; figures: number; corrections: number; position: number; recorded_at: string };

const round = (x: number): number => Number(x.toPrecision(12));

/** Periods in closing order (2021-H1 before 2021); ids the projection holds are canonical, anything else sorts as text. */
function byPeriod(a: string, b: string): number {
  const pa = parsePeriod(a);
  const pb = parsePeriod(b);
  return pa.ok && pb.ok ? comparePeriods(pa.period, pb.period) || a.localeCompare(b) : a.localeCompare(b);
}

/** A unit and its ancestors, nearest first (a cycle, which units.csv refuses, is cut where it closes). */
function lineage(unitId: string, units: Map<string, LedgerUnit>): string[] {
  const chain: string[] = [];
  for (let id: string | null = unitId; id !== null && !chain.includes(id); id = units.get(id)?.parent ?? null) chain.push(id);
  return chain;
}

@QueryHandler(MetricValuesQuery)
export class MetricValuesHandler implements IQueryHandler<MetricValuesQuery, MetricValuesReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly runner: ProjectionRunner,
    private readonly moments: Moments,
  ) {}

  async execute({ ledgerId, asOf, filter }: MetricValuesQuery): Promise<MetricValuesReport> {
    await this.runner.catchUp();
    const ledger = await this.directory.get(ledgerId, asOf);
    const moment = this.moments.resolve(asOf);
    const programme = ledger.programme;
    let period: string | undefined;
    if (filter.period !== undefined) {
      const parsed = parsePeriod(filter.period);
      if (!parsed.ok) throw invalidPeriod(parsed.error);
      period = parsed.period.id;
    }
    const metrics = new Map((programme.metrics ?? []).map((m) => [m.id, m]));
    if (filter.metric !== undefined && !metrics.has(filter.metric)) {
      throw new DomainError('not-found', [problem('metric', 'problem.unknownMetricOf', { id: filter.metric, programme: programme.id, metrics: [...metrics.keys()].join(', ') || { key: 'phrase.none' } })]);
    }
    if (filter.unit !== undefined && !ledger.units.has(filter.unit)) throw new DomainError('not-found', [problem('unit', 'problem.unknownUnit', { id: filter.unit, ledger: ledgerId })]);

    const held = heldAt(asOf);
    // Without rollup, the unit filter narrows the rows read; with it, a unit's figure needs its descendants' rows.
    const ownUnit = filter.rollup ? undefined : filter.unit;
    const where = [`ledger_id = ?`, held.sql, ...(period ? ['period = ?'] : []), ...(filter.metric ? ['metric_id = ?'] : []), ...(ownUnit ? ['unit_id = ?'] : [])];
    const groups = this.db
      .prepare(
        `SELECT unit_id, metric_id, period, dimensions, SUM(value) AS value, COUNT(*) AS figures, COUNT(corrects) AS corrections,
           MAX(position) AS position, MAX(recorded_at) AS recorded_at
         FROM metric_values_v2 WHERE ${where.join(' AND ')}
         GROUP BY unit_id, metric_id, period, dimensions`,
      )
      .all(ledgerId, ...held.params, ...(period ? [period] : []), ...(filter.metric ? [filter.metric] : []), ...(ownUnit ? [ownUnit] : [])) as Group[];

    type Acc = { unit: string; metric: string; period: string; dimensions: string; value: number; own: number; figures: number; corrections: number; units: Set<string>; position: number; recordedAt: string };
    const totals = new Map<string, Acc>();
    for (const g of groups) {
      const owners = filter.rollup ? lineage(g.unit_id, ledger.units) : [g.unit_id];
      for (const owner of owners) {
        const key = JSON.stringify([owner, g.metric_id, g.period, g.dimensions]);
        let acc = totals.get(key);
        if (!acc) {
          acc = { unit: owner, metric: g.metric_id, period: g.period, dimensions: g.dimensions, value: 0, own: 0, figures: 0, corrections: 0, units: new Set(), position: 0, recordedAt: '' };
          totals.set(key, acc);
        }
        acc.value += g.value;
        if (owner === g.unit_id) acc.own += g.value;
        acc.figures += g.figures;
        acc.corrections += g.corrections;
        acc.units.add(g.unit_id);
        if (g.position > acc.position) {
          acc.position = g.position;
          acc.recordedAt = g.recorded_at;
        }
      }
    }
    const order = new Map([...metrics.keys()].map((id, i) => [id, i]));
    const rows = [...totals.values()]
      .filter((a) => filter.unit === undefined || a.unit === filter.unit)
      .sort(
        (a, b) =>
          (order.get(a.metric) ?? order.size) - (order.get(b.metric) ?? order.size) ||
          a.metric.localeCompare(b.metric) ||
          a.unit.localeCompare(b.unit) ||
          byPeriod(a.period, b.period) ||
          a.dimensions.localeCompare(b.dimensions),
      )
      .map(
        (a): MetricValueEntry => ({
          metric: a.metric,
          label: metrics.get(a.metric)?.label ?? a.metric,
          measure: metrics.get(a.metric)?.unit ?? '',
          unit: a.unit,
          unitName: ledger.units.get(a.unit)?.name ?? a.unit,
          period: a.period,
          dimensions: JSON.parse(a.dimensions) as Record<string, string>,
          value: round(a.value),
          own: round(a.own),
          figures: a.figures,
          corrections: a.corrections,
          units: [...a.units].sort(),
          position: a.position,
          recordedAt: a.recordedAt,
        }),
      );
    return {
      ledgerId,
      programmeId: programme.id,
      programmeVersion: ledger.programmeVersion,
      asOf: moment.instant,
      position: moment.position,
      rollup: filter.rollup ?? false,
      rows,
    };
  }
}
