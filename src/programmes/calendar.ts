import { addDays, daysInMonth, localDate } from './local-time';
import { periodsOfKind, type Period } from './period';
import type { CalendarEntry, LocalDate, ProgrammeTemplate } from './template';

/** A report the calendar owes: a period and the day it falls due (in the programme's time zone). */
export interface DueReport {
  period: Period;
  due: LocalDate;
  entry: CalendarEntry;
}

/** The calendar entry that owes a report for a period, if any (an entry may owe only some periods of its kind, e.g. H1). */
export function calendarEntryFor(programme: Pick<ProgrammeTemplate, 'calendar'>, period: Period): CalendarEntry | undefined {
  return programme.calendar.find((c) => c.period === period.kind && (!c.only || c.only.some((suffix) => period.id === `${period.year}-${suffix}`)));
}

/** Whether a unit of a role owes an entry's report: the roles it names, else every responsible unit. */
export function owesReport(entry: Pick<CalendarEntry, 'owedBy'>, role: string, responsible: ReadonlySet<string>): boolean {
  return entry.owedBy ? entry.owedBy.includes(role) : responsible.has(role);
}

/** The day a period's report falls due under an entry: a fixed day counted from the period's year, or days after the period ends. */
export function dueDate(entry: CalendarEntry, period: Period): LocalDate {
  if (entry.due.kind === 'after-end') return addDays(period.end, entry.due.days);
  const year = period.year + (entry.due.yearOffset ?? 0);
  return localDate(year, entry.due.month, Math.min(entry.due.day, daysInMonth(year, entry.due.month)));
}

/** What the calendar needs of a programme: its entries, its years and the day it was issued. */
export type CalendarSource = Pick<ProgrammeTemplate, 'calendar' | 'years'> & { source?: { date?: LocalDate } };

/**
 * Every report the programme owes over its years, in due-date order (then period order). The calendar
 * starts at the programme's date of issue (`source.date`): a period that ended before it, or whose
 * report fell due before it, is owed by nobody (the NEA notice of 2021-03-29 owes no 2020 report; Cà
 * Mau's plan of 02/3/2022 no January or February one).
 */
export function owedReports(programme: CalendarSource): DueReport[] {
  const issued = programme.source?.date ?? null;
  const owed: DueReport[] = [];
  for (let year = programme.years.from; year <= programme.years.to; year++) {
    for (const entry of programme.calendar) {
      for (const period of periodsOfKind(entry.period, year)) {
        if (!calendarEntryFor({ calendar: [entry] }, period)) continue;
        const due = dueDate(entry, period);
        if (issued === null || (period.end >= issued && due >= issued)) owed.push({ period, due, entry });
      }
    }
  }
  return owed.sort((a, b) => (a.due === b.due ? a.period.end.localeCompare(b.period.end) : a.due.localeCompare(b.due)));
}

/** The reports that fell due after `after` and on or before `until` (local dates): what a scheduler generates, catching up after downtime. */
export function reportsDueBetween(programme: CalendarSource, after: LocalDate | null, until: LocalDate): DueReport[] {
  return owedReports(programme).filter((r) => (after === null || r.due > after) && r.due <= until);
}

/** The latest period of each kind the calendar owes that has begun by `today`, within the programme's years: the "current calendar". */
export function currentPeriods(programme: CalendarSource, today: LocalDate): Period[] {
  const started = owedReports(programme).filter((r) => r.period.start <= today);
  const latest = new Map<string, Period>();
  for (const { period } of started) {
    const key = `${period.kind}/${calendarEntryFor(programme, period)?.only?.join(',') ?? ''}`;
    const current = latest.get(key);
    if (!current || current.end < period.end) latest.set(key, period);
  }
  return [...latest.values()].sort((a, b) => a.end.localeCompare(b.end) || a.id.localeCompare(b.id));
}
