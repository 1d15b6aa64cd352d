/**
 * A period's figures form ↔ the unit's events: the figures in force (from its history, corrections
 * applied) and the records a posted form asks for. Pure.
 */
import type { HistoryEntry } from '../../ledgers/queries/history.query';
import { figureName, type FigureCell } from './figures-grid';

/** A figure in force: the event that holds it (the original or the correction that replaced it). */
export interface FigureInForce {
  eventId: string;
  value: number;
  metric: string;
  period: string;
  dimensions: Record<string, string>;
  /** The figure it replaced, when the event is a correction. */
  before: number | null;
}

type MetricFacts = { metric: string; period: string; dimensions: Record<string, string>; value: number };

/** The metric facts an event states: a figure's own, or a metric correction's replacement facts. */
export function metricFactsOf(entry: Pick<HistoryEntry, 'type' | 'data'>): MetricFacts | null {
  if (entry.type === 'MetricReported') return entry.data as unknown as MetricFacts;
  if (entry.type === 'SubmissionCorrected' && entry.data.correctedType === 'MetricReported') return entry.data.facts as MetricFacts;
  return null;
}

/** The figures of a period in force at the end of the entries, by form field name. */
export function figuresInForce(entries: readonly HistoryEntry[], period: string): Map<string, FigureInForce> {
  const figures = new Map<string, FigureInForce>();
  for (const entry of entries) {
    const facts = metricFactsOf(entry);
    if (!facts || entry.supersededBy !== null || facts.period !== period) continue;
    const before = entry.replaced ? (metricFactsOf(entry.replaced)?.value ?? null) : null;
    figures.set(figureName(facts.metric, facts.dimensions), { eventId: entry.eventId, value: facts.value, metric: facts.metric, period: facts.period, dimensions: facts.dimensions, before });
  }
  return figures;
}

/** A number as a person types it: spaces and thousands commas allowed. Anything else is kept as text, for the server to refuse. */
export function numberOfInput(text: string): number | string {
  const cleaned = text.replace(/[,\s\u00a0]/g, '');
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cleaned) ? Number(cleaned) : text;
}

export interface FigureRecord {
  cell: string;
  record: { type: 'metric'; ledger: string; unit: string; period: string; metric: string; dimensions: Record<string, string>; value: number | string };
}

/** One metric record per filled cell whose value differs from the figure in force (an empty cell asks nothing). */
export function changedFigures(cells: readonly FigureCell[], posted: Record<string, unknown>, inForce: Map<string, FigureInForce>, target: { ledger: string; unit: string; period: string }): FigureRecord[] {
  const records: FigureRecord[] = [];
  for (const cell of cells) {
    const raw = posted[cell.name];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const value = numberOfInput(raw.trim());
    if (value === inForce.get(cell.name)?.value) continue;
    records.push({ cell: cell.name, record: { type: 'metric', ...target, metric: cell.metric.id, dimensions: cell.dimensions, value } });
  }
  return records;
}

/** Problems of the bulk check (`<label>:<line> <field>`) back to the cells of the lines they name. */
export function problemsByCell(problems: readonly { field?: string; reason: string }[], records: readonly FigureRecord[], label: string): { byCell: Map<string, string[]>; other: string[] } {
  const byCell = new Map<string, string[]>();
  const other: string[] = [];
  const pattern = new RegExp(`^${label}:(\\d+)(?: (.*))?$`);
  for (const problem of problems) {
    const match = problem.field ? pattern.exec(problem.field) : null;
    const record = match ? records[Number(match[1]) - 1] : undefined;
    if (!record) {
      other.push(problem.field ? `${problem.field}: ${problem.reason}` : problem.reason);
      continue;
    }
    const reason = match![2] && match![2] !== 'value' ? `${match![2]}: ${problem.reason}` : problem.reason;
    byCell.set(record.cell, [...(byCell.get(record.cell) ?? []), reason]);
  }
  return { byCell, other };
}
