/**
 * Deadlines as the sources write them, and the status of a (task, unit) as of an instant.
 *
 * Decisions:
 * - All dates are local to the programme's time zone: the as-of instant becomes a local date
 *   (2020-12-31T17:00Z is 2021-01-01 in Asia/Shanghai) and is compared with `YYYY-MM-DD` dates.
 * - Due dates: `date` → its date (the day written is the last day allowed); `end-of-year` → 12-31 of
 *   its year; `window` → its `to`; `yearly` → month/day of the occurrence's year (29 Feb → 28 Feb in
 *   common years); `condition` → none; `ongoing` → the last day of the current period.
 * - Submissions count when recorded at or before the as-of instant AND about a date (`on`) on or
 *   before the as-of local date (a claim about a later day is not yet a fact).
 * - The task's progress is the counted submission with the latest `on`; ties go to the later
 *   `recordedAt`, then to the later one in input order. It is completed when that one says
 *   `completed`; the completion date is the `on` of the first `completed` after the last other status.
 * - One-off tasks (date, end-of-year, window, condition) and the year's occurrence of a `yearly` task:
 *     completed, no due date         → completed          (condition: no on-time/late without a date)
 *     completed, on ≤ due            → completed-on-time
 *     completed, on > due            → completed-late
 *     not completed, as-of > due     → overdue            (even if blocked; `progress` says blocked; also
 *                                                           on the due day itself once that day has ended)
 *     not completed, 0 ≤ due − as-of ≤ dueSoonDays → due-soon (督办 warning; `daysLeft` for its colour)
 *     otherwise                      → the progress: not-started (also with no submission), in-progress, blocked
 * - `yearly`: the occurrence is the one due in the as-of year, kept within firstYear…lastYear
 *   (defaults: the programme's years); submissions count for it when `on` falls in that calendar year.
 *   It has a real due date, so it gets the one-off statuses above; `period` is the year.
 * - `ongoing`: the current period is the period of kind `every` containing the as-of date, with the date
 *   kept within the programme's years (after the last year: its last period). `reported` when a counted
 *   submission (any status) is about a day in that period, else `not-reported`.
 * - `from-year` (Năm 2022 trở về sau): as `ongoing` from 1 January of its year, with no last year; before
 *   that year nothing is owed yet (not-started, due the end of the first period).
 * - `rounds` / `months` (Dự kiến trước ngày 30/6, 30/9; tháng 5/2022 và tháng 8/2022): each round is an
 *   occurrence due on its date (a listed month: its last day). The round judged is the first whose due
 *   date is on or after the as-of date (after the last: the last); submissions count for it when `on`
 *   falls after the previous round's due date. `period` names it `round 2/2`.
 * - A `condition` written beside a date ("Tháng 5/2022 (hoặc sau khi …)") does not move the date: the
 *   task is judged on it, and the condition is shown with the deadline.
 */
import type { Deadline, LocalDate, PeriodKind } from './template';
import { daysBetween, daysInMonth, localDate, localDateOf, isLocalDate, splitLocalDate } from './local-time';
import { periodContaining, periodsOfKind, type Period } from './period';

export type ProgressStatus = 'not-started' | 'in-progress' | 'completed' | 'blocked';

export interface ProgressReport {
  status: ProgressStatus;
  /** The local date the report is about. */
  on: LocalDate;
  /** ISO-8601 instant at which it was recorded. */
  recordedAt: string;
  /** The unit's note (for `blocked`: what blocks it) and evidence references, shown beside the status. */
  note?: string | null;
  evidence?: readonly string[];
  /** Back-filled history: the date an administrator declared it was originally reported. */
  reportedOn?: string | null;
}

export type TaskStatus =
  | 'not-started' | 'in-progress' | 'blocked'
  | 'due-soon' | 'overdue'
  | 'completed' | 'completed-on-time' | 'completed-late'
  | 'reported' | 'not-reported';

export interface TaskStatusInput {
  deadline: Deadline;
  programme: { years: { from: number; to: number }; timeZone: string };
  /** This (task, unit)'s progress reports, corrections already applied, in recording order. */
  submissions: readonly ProgressReport[];
  /** ISO-8601 instant. */
  asOf: string;
  /** Days before the due date from which an unfinished task is `due-soon`; default 7. */
  dueSoonDays?: number;
  /**
   * The local date the status is for: the as-of instant's local date (worked out when left out), or
   * an earlier day, the end of a report's period: the state then, as known at the as-of instant.
   */
  asOfDate?: LocalDate;
  /** The state once that day has ended (a period's report, after the period): unfinished and due that day is overdue. */
  dayEnded?: boolean;
}

export interface TaskStatusResult {
  status: TaskStatus;
  /** The due date that applied (for `ongoing`: the current period's last day); null for `condition`. */
  due: LocalDate | null;
  completedOn: LocalDate | null;
  /** Recurring tasks: the period id (`2021-Q3`) or occurrence year (`2027`); otherwise null. */
  period: string | null;
  /** The latest counted progress status (of the period or occurrence, for recurring tasks). */
  progress: ProgressStatus | null;
  /** The `on` date of that report, its note (for `blocked`: the reason) and its evidence. */
  lastReportOn: LocalDate | null;
  note: string | null;
  evidence: readonly string[];
  /** Set when that report is back-filled history: the declared original reporting date. */
  reportedOn: string | null;
  /** due − as-of date in days (negative when past due); null without a due date. */
  daysLeft: number | null;
  asOfDate: LocalDate;
}

export const DEFAULT_DUE_SOON_DAYS = 7;

/** The due date of a yearly deadline in a year (day clamped to the month's end). */
export function yearlyDueDate(month: number, day: number, year: number): LocalDate {
  return localDate(year, month, Math.min(day, daysInMonth(year, month)));
}

/** The due dates of a task done in rounds, in order: the dates written, or the listed months' last days. */
export function roundDueDates(deadline: Extract<Deadline, { kind: 'rounds' | 'months' }>): LocalDate[] {
  if (deadline.kind === 'rounds') return deadline.dates;
  return deadline.months.map((m) => {
    const [year, month] = m.split('-').map(Number);
    return localDate(year, month, daysInMonth(year, month));
  });
}

/** The single due date of a one-off deadline; null for rounds, yearly, ongoing and condition. */
export function fixedDueDate(deadline: Deadline): LocalDate | null {
  switch (deadline.kind) {
    case 'date': return deadline.date;
    case 'end-of-year': return localDate(deadline.year, 12, 31);
    case 'window': return deadline.to;
    default: return null;
  }
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

/** The period of a kind that is current on a date (for nine-months in Oct–Dec: that year's, already ended). */
export function currentPeriod(kind: PeriodKind, date: LocalDate): Period {
  return periodContaining(kind, date) ?? periodsOfKind(kind, splitLocalDate(date).year)[0];
}

/**
 * The reports counted at the as-of instant and date, sorted by `on`, then recording time, then input
 * order; each report is checked and its time parsed once.
 */
function countedByOn(reports: readonly ProgressReport[], asOfMs: number, asOfDate: LocalDate): ProgressReport[] {
  const kept: { r: ProgressReport; i: number; t: number }[] = [];
  reports.forEach((r, i) => {
    if (!isLocalDate(r.on)) throw new RangeError(`invalid progress date "${r.on}"`);
    const t = Date.parse(r.recordedAt);
    if (Number.isNaN(t)) throw new RangeError(`invalid recordedAt "${r.recordedAt}"`);
    if (t <= asOfMs && r.on <= asOfDate) kept.push({ r, i, t });
  });
  if (kept.length > 1) kept.sort((a, b) => (a.r.on < b.r.on ? -1 : a.r.on > b.r.on ? 1 : a.t - b.t || a.i - b.i));
  return kept.map((x) => x.r);
}

/** Latest progress and completion date of reports sorted by `on`. */
function progressOf(sorted: ProgressReport[]): { latest: ProgressReport | null; completedOn: LocalDate | null } {
  const latest = sorted[sorted.length - 1] ?? null;
  if (latest?.status !== 'completed') return { latest, completedOn: null };
  let i = sorted.length - 1;
  while (i > 0 && sorted[i - 1].status === 'completed') i--;
  return { latest, completedOn: sorted[i].on };
}

function latestOf(latest: ProgressReport | null): Pick<TaskStatusResult, 'progress' | 'lastReportOn' | 'note' | 'evidence' | 'reportedOn'> {
  return { progress: latest?.status ?? null, lastReportOn: latest?.on ?? null, note: latest?.note ?? null, evidence: latest?.evidence ?? [], reportedOn: latest?.reportedOn ?? null };
}

function oneOff(sorted: ProgressReport[], due: LocalDate | null, asOfDate: LocalDate, soon: number, period: string | null, dayEnded = false): TaskStatusResult {
  const { latest, completedOn } = progressOf(sorted);
  const daysLeft = due === null ? null : daysBetween(asOfDate, due);
  let status: TaskStatus;
  if (completedOn !== null) status = due === null ? 'completed' : completedOn <= due ? 'completed-on-time' : 'completed-late';
  else if (daysLeft !== null && (daysLeft < 0 || (dayEnded && daysLeft === 0))) status = 'overdue';
  else if (daysLeft !== null && daysLeft <= soon) status = 'due-soon';
  else status = latest?.status ?? 'not-started';
  return { status, due, completedOn, period, ...latestOf(latest), daysLeft, asOfDate };
}

export function taskStatus(input: TaskStatusInput): TaskStatusResult {
  const { deadline, programme, asOf } = input;
  const soon = input.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS;
  // Callers evaluating many (task, unit) pairs at one moment pass its local date, worked out once.
  const asOfDate = input.asOfDate ?? localDateOf(asOf, programme.timeZone);
  const counted = countedByOn(input.submissions, Date.parse(asOf), asOfDate);

  switch (deadline.kind) {
    case 'yearly': {
      const first = deadline.firstYear ?? programme.years.from;
      const last = deadline.lastYear ?? programme.years.to;
      const year = clamp(splitLocalDate(asOfDate).year, first, last);
      const inYear = counted.filter((s) => splitLocalDate(s.on).year === year);
      return oneOff(inYear, yearlyDueDate(deadline.month, deadline.day, year), asOfDate, soon, String(year), input.dayEnded);
    }
    case 'rounds':
    case 'months': {
      const dues = roundDueDates(deadline);
      const next = dues.findIndex((d) => d >= asOfDate);
      const i = next === -1 ? dues.length - 1 : next;
      const inRound = i === 0 ? counted : counted.filter((s) => s.on > dues[i - 1]);
      return oneOff(inRound, dues[i], asOfDate, soon, `round ${i + 1}/${dues.length}`, input.dayEnded);
    }
    case 'from-year':
    case 'ongoing': {
      const from = localDate(deadline.kind === 'from-year' ? deadline.year : programme.years.from, 1, 1);
      const to = deadline.kind === 'from-year' ? '9999-12-31' : localDate(programme.years.to, 12, 31);
      if (deadline.kind === 'from-year' && asOfDate < from) {
        const first = currentPeriod(deadline.every, from);
        return { status: 'not-started', due: first.end, completedOn: null, period: first.id, ...latestOf(null), daysLeft: daysBetween(asOfDate, first.end), asOfDate };
      }
      const date = asOfDate < from ? from : asOfDate > to ? to : asOfDate;
      const period = currentPeriod(deadline.every, date);
      const inPeriod = counted.filter((s) => period.start <= s.on && s.on <= period.end);
      const { latest, completedOn } = progressOf(inPeriod);
      return {
        status: latest ? 'reported' : 'not-reported',
        due: period.end, completedOn, period: period.id,
        ...latestOf(latest),
        daysLeft: daysBetween(asOfDate, period.end), asOfDate,
      };
    }
    default:
      return oneOff(counted, fixedDueDate(deadline), asOfDate, soon, null, input.dayEnded);
  }
}
