import { asOfCondition } from '../../audit/as-of';
import { owedReports, owesReport } from '../../programmes/calendar';
import { daysBetween, endOfLocalDay, localDateOf } from '../../programmes/local-time';
import type { Period } from '../../programmes/period';
import { displayActor, knownActors, type KnownActors } from '../display-actor';
import { periodFields } from '../period-fields';
import { commonFields, type ReportDataProvider } from './report-context';
import { writtenDate } from './written-date';

/** A (unit, period) as the report shows it. */
export type TimelinessStatus = 'on-time' | 'late' | 'missing' | 'pending';

/**
 * The placeholder fields naming a period in the layouts' words: the year and the suffix after it
 * (`Q3`, `H1`, `9M`, `07`, `Y` for the year itself); the layout's label maps spell them out.
 */
export function periodNameFields(period: Pick<Period, 'id' | 'year' | 'kind'>): { periodYear: number; periodSuffix: string } {
  return { periodYear: period.year, periodSuffix: period.kind === 'year' ? 'Y' : period.id.slice(5) };
}

/**
 * Submission completeness and timeliness per unit and reporting period, DHIS2's reporting rates
 * over the ledger. Pure over the read models at the report's moment; no clock.
 *
 * - Periods: every period the programme's calendar owes (owedReports: its years, `only`, due dates)
 *   whose last day is on or before the report period's last day, in due-date order.
 * - Periods start at the programme's date of issue (owedReports): nothing is owed before it existed.
 * - Expected units: the ledger's units (as the ledger stood at the moment) whose role the calendar
 *   entry names in `owedBy` (NEA: only 各省级能源（电力）主管部门 report), else whose role leads or
 *   co-operates on at least one task of the programme in force; and that were not retired by the end
 *   of the period's due day (a retirement recorded later than the moment is not known yet).
 * - Reported: the unit recorded, by the moment, a metric figure for exactly that period, or a
 *   progress report about a day within it. Every such submission counts, a superseded one and a
 *   correction included (a correction does not un-report a period; its figures were fixed later).
 * - On time: the first such submission was recorded (recorded_at) at or before the end of the due
 *   day in the programme's time zone (endOfLocalDay(due, timeZone)); late otherwise. Back-filled
 *   history counts at the end of the day an administrator declared it was originally reported
 *   (`reportedOn`), and its row says so (declared date, recorded date, by whom). Not reported:
 *   `missing` once that instant has passed at the moment, `pending` before.
 * - Days late: for a late submission, due date → local date it was recorded; for a missing one, due
 *   date → the as-of date.
 * - Per period: expected, reported (on time + late), on time, late, missing, pending; reporting rate
 *   = reported / expected × 100 and timeliness rate = on time / expected × 100 (DHIS2's "reporting
 *   rate" and "reporting rate on time"), null when nobody is expected. The layout rounds them.
 */
export const submissionTimelinessData: ReportDataProvider = async (context) => {
  const { programme } = context.ledger;
  const zone = programme.timeZone;
  const owed = owedReports(programme).filter((r) => r.period.end <= context.period.end);

  const responsible = new Set(programme.tasks.flatMap((t) => [...t.lead, ...t.cooperating]));
  const roleOrder = new Map(programme.roles.map((r, i) => [r.id, i]));
  const retirements = retiredAt(context);
  const units = [...context.ledger.units.values()]
    .filter((u) => responsible.has(u.role) || owed.some((r) => r.entry.owedBy?.includes(u.role)))
    .sort((a, b) => (roleOrder.get(a.role) ?? Infinity) - (roleOrder.get(b.role) ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const now = Date.parse(context.instant);
  const first = firstSubmissions(context, owed.map((r) => r.period));
  const known = knownActors(context.db, context.ledger, { kind: 'position', position: context.logPosition });
  const submissions: Record<string, string | number | null>[] = [];
  const periods: Record<string, string | number | null>[] = [];
  for (const { period, due, entry } of owed) {
    const deadline = Date.parse(endOfLocalDay(due, zone));
    const counts = { expected: 0, reported: 0, onTime: 0, late: 0, missing: 0, pending: 0 };
    for (const unit of units) {
      if (!owesReport(entry, unit.role, responsible)) continue;
      const retired = retirements.get(unit.id);
      if (retired !== undefined && Date.parse(retired) <= deadline) continue;
      const firstOne = first.get(`${unit.id}\u0000${period.id}`) ?? null;
      const at = firstOne?.at ?? null;
      const status: TimelinessStatus = at !== null ? (Date.parse(at) <= deadline ? 'on-time' : 'late') : now > deadline ? 'missing' : 'pending';
      const submittedOn = at === null ? null : localDateOf(at, zone);
      counts.expected++;
      if (status === 'on-time' || status === 'late') counts.reported++;
      counts[status === 'on-time' ? 'onTime' : status]++;
      submissions.push({
        periodId: period.id,
        ...periodNameFields(period),
        due,
        unitId: unit.id,
        unit: unit.name,
        submittedOn,
        status,
        daysLate: status === 'late' ? daysBetween(due, submittedOn!) : status === 'missing' ? daysBetween(due, context.asOfDate) : null,
        note: firstOne?.backfill ? backfillNote(firstOne.backfill, zone, programme.language, known) : null,
      });
    }
    const rate = (n: number) => (counts.expected === 0 ? null : (n / counts.expected) * 100);
    periods.push({
      periodId: period.id,
      ...periodNameFields(period),
      due,
      ...counts,
      reportingRate: rate(counts.reported),
      timelinessRate: rate(counts.onTime),
    });
  }

  return {
    asOf: context.instant,
    language: programme.language,
    fields: { ...commonFields(context), ...periodFields(context.period.id), ...periodNameFields(context.period), timeZone: zone },
    lists: { periods, submissions },
  };
};

/** When each unit retired (recorded time), for the retirements recorded by the moment. */
function retiredAt(context: Parameters<ReportDataProvider>[0]): Map<string, string> {
  const retired = asOfCondition(context.asOf, 'retired_position', 'retired_at');
  const rows = context.db
    .prepare(`SELECT unit_id, retired_at FROM ledger_units_v1 WHERE ledger_id = ? AND retired_position IS NOT NULL AND ${retired.sql}`)
    .all(context.ledger.ledgerId, ...retired.params) as { unit_id: string; retired_at: string }[];
  return new Map(rows.map((r) => [r.unit_id, r.retired_at]));
}

/** The first submission of a unit for a period: when it counts, and for back-filled history what was declared. */
interface FirstSubmission {
  at: string;
  backfill: { reportedOn: string; recordedAt: string; actor: string | null } | null;
}

/** "back-filled: reported 2021-07-10, recorded 2026-12-05 by …" in the programme's language. */
function backfillNote(backfill: NonNullable<FirstSubmission['backfill']>, zone: string, language: string, known: KnownActors): string {
  const [reported, recorded] = [backfill.reportedOn, localDateOf(backfill.recordedAt, zone)].map((d) => writtenDate(d, language));
  const by = displayActor(backfill.actor, known);
  return language === 'vi' ? `Bổ sung: báo cáo ngày ${reported}, ghi nhận ngày ${recorded} (${by})` : `补录：${reported}报送，${recorded}录入（${by}）`;
}

/**
 * The first submission of each unit for each period, keyed `unit\0period`: metric figures for
 * exactly the period, progress reports about a day within it; every row recorded by the moment,
 * superseded or not. A back-filled one counts at the end of its declared day. Grouped in SQL (per
 * unit and period, per unit and day) so the rows read stay few however long the log.
 */
function firstSubmissions(context: Parameters<ReportDataProvider>[0], periods: Period[]): Map<string, FirstSubmission> {
  const first = new Map<string, FirstSubmission>();
  const zone = context.ledger.programme.timeZone;
  const keep = (unit: string, period: string, found: FirstSubmission) => {
    const key = `${unit}\u0000${period}`;
    const known = first.get(key);
    if (known === undefined || found.at < known.at) first.set(key, found);
  };
  if (periods.length === 0) return first;
  const recorded = asOfCondition(context.asOf, 'x.position', 'x.recorded_at');
  const ids = new Set(periods.map((p) => p.id));
  const live = 'LEFT JOIN backfills_v1 b ON b.event_id = x.event_id WHERE b.event_id IS NULL AND';
  const metrics = context.db
    .prepare(`SELECT x.unit_id, x.period, MIN(x.recorded_at) AS first_at FROM metric_values_v2 x ${live} x.ledger_id = ? AND ${recorded.sql} GROUP BY x.unit_id, x.period`)
    .all(context.ledger.ledgerId, ...recorded.params) as { unit_id: string; period: string; first_at: string }[];
  for (const m of metrics) if (ids.has(m.period)) keep(m.unit_id, m.period, { at: m.first_at, backfill: null });
  const from = periods.reduce((a, p) => (p.start < a ? p.start : a), periods[0].start);
  const to = periods.reduce((a, p) => (p.end > a ? p.end : a), periods[0].end);
  const days = context.db
    .prepare(
      `SELECT x.unit_id, x.on_date, MIN(x.recorded_at) AS first_at FROM progress_v2 x ${live}
       x.ledger_id = ? AND x.on_date >= ? AND x.on_date <= ? AND ${recorded.sql} GROUP BY x.unit_id, x.on_date`,
    )
    .all(context.ledger.ledgerId, from, to, ...recorded.params) as { unit_id: string; on_date: string; first_at: string }[];
  for (const d of days) for (const p of periods) if (p.start <= d.on_date && d.on_date <= p.end) keep(d.unit_id, p.id, { at: d.first_at, backfill: null });
  // Back-filled history: few rows (one per declared event), each counted at the end of its declared day.
  const declared = context.db
    .prepare(
      `SELECT b.unit_id, b.reported_on, b.recorded_at, b.actor, m.period, p.on_date FROM backfills_v1 b
       LEFT JOIN metric_values_v2 m ON m.event_id = b.event_id LEFT JOIN progress_v2 p ON p.event_id = b.event_id
       WHERE b.ledger_id = ? AND ${asOfCondition(context.asOf, 'b.position', 'b.recorded_at').sql}`,
    )
    .all(context.ledger.ledgerId, ...asOfCondition(context.asOf, 'b.position', 'b.recorded_at').params) as
    { unit_id: string; reported_on: string; recorded_at: string; actor: string | null; period: string | null; on_date: string | null }[];
  for (const d of declared) {
    const found = { at: endOfLocalDay(d.reported_on, zone), backfill: { reportedOn: d.reported_on, recordedAt: d.recorded_at, actor: d.actor } };
    for (const p of periods) if (d.period === p.id || (d.on_date !== null && p.start <= d.on_date && d.on_date <= p.end)) keep(d.unit_id, p.id, found);
  }
  return first;
}
