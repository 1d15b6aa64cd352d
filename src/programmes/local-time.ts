/**
 * Local calendar dates (`YYYY-MM-DD`, a day in the programme's time zone) and their relation to
 * instants. Pure: no clock; time-zone arithmetic through Intl.DateTimeFormat only.
 */
import type { LocalDate } from './template';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for a real calendar date written `YYYY-MM-DD` (2021-02-29 is false). */
export function isLocalDate(text: unknown): text is LocalDate {
  return typeof text === 'string' && partsOf(text) !== null;
}

/** A real calendar date's parts, or null: one regular-expression match (status over 40,000 pairs calls this often). */
function partsOf(text: string): { year: number; month: number; day: number } | null {
  const m = LOCAL_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? { year, month, day } : null;
}

/** `2021, 4, 30` → `2021-04-30` (no range check). */
export function localDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function splitLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  const parts = partsOf(date);
  if (!parts) throw new RangeError(`invalid local date "${date}"`);
  return parts;
}

/** The last day of a month: `2022, 2` → `2022-02-28`. */
export function endOfMonth(year: number, month: number): LocalDate {
  return localDate(year, month, daysInMonth(year, month));
}

function dayNumber(date: LocalDate): number {
  const { year, month, day } = splitLocalDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** `to - from` in days: daysBetween('2021-04-23', '2021-04-30') = 7. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date((dayNumber(date) + days) * DAY_MS);
  return localDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** An IANA zone name as Intl accepts it, spelt with its capitals (`Asia/Ho_Chi_Minh`, `UTC`); no offsets. */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

function parseInstant(instant: string): number {
  const ms = Date.parse(instant);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(instant) || Number.isNaN(ms)) throw new RangeError(`invalid ISO-8601 instant "${instant}"`);
  return ms;
}

/** Wall-clock fields of an instant in a zone. */
function wallClock(ms: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The local date of an instant: localDateOf('2020-12-31T17:00:00Z', 'Asia/Shanghai') = '2021-01-01'. */
export function localDateOf(instant: string, zone: string): LocalDate {
  const ms = parseInstant(instant);
  // Zone offsets are whole seconds: every instant of one second has one local date. Kept per zone for the last second asked (every submission asks for now).
  const second = Math.floor(ms / 1000);
  const last = lastDates.get(zone);
  if (last?.second === second) return last.date;
  const w = wallClock(ms, zone);
  const date = localDate(w.year, w.month, w.day);
  if (lastDates.size < 100 || lastDates.has(zone)) lastDates.set(zone, { second, date });
  return date;
}

const lastDates = new Map<string, { second: number; date: LocalDate }>();

/** Zone offset (local − UTC) in ms at an instant, to the second. */
function offsetAt(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The first instant (ms) of a local day; on a DST gap at midnight, the first existing instant. */
function startOfLocalDayMs(date: LocalDate, zone: string): number {
  const { year, month, day } = splitLocalDate(date);
  const wall = Date.UTC(year, month - 1, day);
  let ms = wall - offsetAt(wall, zone);
  ms = wall - offsetAt(ms, zone);
  // If midnight does not exist (DST gap), step to where the day begins.
  while (localDateOf(new Date(ms).toISOString(), zone) < date) ms += 60_000 * 15;
  return ms;
}

/** The first instant of a local day, ISO in UTC: ('2021-01-01', 'Asia/Shanghai') → '2020-12-31T16:00:00.000Z'. */
export function startOfLocalDay(date: LocalDate, zone: string): string {
  return new Date(startOfLocalDayMs(date, zone)).toISOString();
}

/** The last millisecond of a local day, ISO in UTC: ('2020-12-31', 'Asia/Shanghai') → '2020-12-31T15:59:59.999Z'. */
export function endOfLocalDay(date: LocalDate, zone: string): string {
  return new Date(startOfLocalDayMs(addDays(date, 1), zone) - 1).toISOString();
}

/** The local wall-clock time of an instant, to the second: ('2021-07-05T02:00:00Z', 'Asia/Shanghai') → '2021-07-05 10:00:00'. */
export function localDateTimeOf(instant: string, zone: string): string {
  const w = wallClock(parseInstant(instant), zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${localDate(w.year, w.month, w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}
