import type { Lang } from '../i18n/languages';
import { isValidTimeZone, localDateTimeOf } from '../programmes/local-time';
import { html, type Html } from './html';

/**
 * Moments as the people of a programme read and type them: wall-clock time in the programme's time
 * zone, in the page's language form (Vietnamese day/month/year, else year-month-day), the zone's
 * offset said beside it. Pure.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** The zone's offset from UTC at an instant, e.g. "UTC+07:00". */
export function zoneOffsetText(zone: string, instant: string = new Date().toISOString()): string {
  const ms = Date.parse(instant);
  const wall = Date.parse(`${localDateTimeOf(instant, zone).replace(' ', 'T')}Z`);
  const minutes = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  return `UTC${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** An instant as local date and time in the zone, to the second unless asked to the minute: "2021-07-01 09:20:00", in Vietnamese "01/07/2021 09:20:00". */
export function localMomentText(instant: string, zone: string, lang: Lang, precision: 'second' | 'minute' = 'second'): string {
  const [date, time] = localDateTimeOf(instant, zone).split(' ');
  const shown = precision === 'minute' ? time.slice(0, 5) : time;
  return `${localDateText(date, lang)} ${shown}`;
}

/** A local date in the page's language form: "2021-07-01", in Vietnamese "01/07/2021". */
export function localDateText(date: string, lang: Lang): string {
  return lang === 'vi' ? `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}` : date;
}

/** How the as-of field wants a moment typed, in the page's language form. */
export const localMomentPattern = (lang: Lang): string => (lang === 'vi' ? 'dd/mm/yyyy hh:mm' : 'yyyy-mm-dd hh:mm');

/**
 * A moment typed in the page's language form (a date, optionally a time to the minute or second;
 * year-month-day is always understood) read as wall-clock time in the zone: an ISO-8601 time with
 * the zone's offset then, e.g. "2021-07-01T09:20:00+08:00"; null when it is no such moment.
 */
export function instantOfLocal(text: string, zone: string): string | null {
  if (!isValidTimeZone(zone)) return null;
  const match = /^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\/(\d{1,2})\/(\d{4}))(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = match[1] ? [match[1], match[2], match[3]].map(Number) : [match[6], match[5], match[4]].map(Number);
  const [hour, minute, second] = [match[7], match[8], match[9]].map((v) => Number(v ?? 0));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(wall);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  // The offset at that wall-clock time: guessed at the wall time read as UTC, then checked once more.
  const offsetAt = (ms: number) => Date.parse(`${localDateTimeOf(new Date(ms).toISOString(), zone).replace(' ', 'T')}Z`) - ms;
  const offset = offsetAt(wall - offsetAt(wall));
  const at = new Date(wall - offset).toISOString();
  return `${wallIso(year, month, day, hour, minute, second)}${zoneOffsetText(zone, at).slice(3)}`;
}

const wallIso = (year: number, month: number, day: number, hour: number, minute: number, second: number) =>
  `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;

/** A recorded instant on a page: local date and time in the programme's zone, the instant itself and the offset kept for machines and the tooltip. */
export function momentHtml(lang: Lang, instant: string, zone: string, precision: 'second' | 'minute' = 'second'): Html {
  return html`<time datetime="${instant}" title="${zoneOffsetText(zone, instant)} · ${zone}">${localMomentText(instant, zone, lang, precision)}</time>`;
}
