/**
 * The one parsing step of a submission record's values, whatever the channel (HTTP JSON, NDJSON,
 * workbook rows, web forms): run on the record as received, before its shape is validated. Pure.
 *
 * - every string (at any place in the record) is free text: refused with control or bidi
 *   characters, stored NFC (see text.ts);
 * - given the programme: `value` written as text is read in the programme's language, `on` written
 *   in the programme's local form becomes `YYYY-MM-DD`, and both `on` and `period` must fall in the
 *   programme's years (see dates.ts); `period` is read with full-width digits too;
 * - `-0` is 0.
 */
import type { Problem } from '../../event-sourcing/domain-error';
import { parsePeriod } from '../../programmes/period';
import type { ProgrammeTemplate } from '../../programmes/template';
import { at } from '../../input/validation-paths';
import { dateRangeProblem, parseDateText, periodRangeProblem } from '../../programmes/dates';
import { parseNumberText } from '../../programmes/numbers';
import { readText } from '../../input/text';

type Programme = Pick<ProgrammeTemplate, 'id' | 'language' | 'years'>;

/** Texts anywhere in a value: each string cleaned, or a problem named by its path. */
function cleanTexts(value: unknown, field: string, problems: Problem[]): unknown {
  if (typeof value === 'string') {
    const read = readText(value);
    if ('problem' in read) problems.push({ field, reason: read.problem, message: read.message });
    return 'text' in read ? read.text : value;
  }
  if (Array.isArray(value)) return value.map((v, i) => cleanTexts(v, at(field, i), problems));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanTexts(v, at(field, k), problems)]));
  return value;
}

function readField(key: string, value: unknown, programme: Programme | undefined, problems: Problem[]): unknown {
  if (key === 'value' && value === 0) return 0;
  if (typeof value !== 'string') return value;
  const fail = (reason: string, message?: Problem['message']) => (problems.push({ field: key, reason, ...(message ? { message } : {}) }), value);
  if (key === 'period') {
    const period = parsePeriod(value.normalize('NFKC'));
    const outside = period.ok && programme ? periodRangeProblem(period.period, programme) : null;
    return outside ? fail(outside.problem, outside.message) : period.ok ? period.period.id : value;
  }
  if (!programme) return value;
  if (key === 'value') {
    const read = parseNumberText(value, programme.language);
    return 'problem' in read ? fail(read.problem, read.message) : read.value;
  }
  if (key === 'on') {
    const read = parseDateText(value, programme.language);
    if ('problem' in read) return fail(read.problem, read.message);
    const outside = dateRangeProblem(read.date, programme);
    return outside ? fail(outside.problem, outside.message) : read.date;
  }
  return value;
}

/** The record as the validators see it (texts cleaned, values read), with every problem found on the way. */
export function readRecordInput(record: object, programme?: Programme): { record: Record<string, unknown>; problems: Problem[] } {
  const problems: Problem[] = [];
  const read = Object.entries(record).map(([key, raw]) => [key, readField(key, cleanTexts(raw, key, problems), programme, problems)]);
  return { record: Object.fromEntries(read) as Record<string, unknown>, problems };
}
