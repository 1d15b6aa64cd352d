import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';

/** A past moment: a recorded time (ISO-8601) or a log position. Read models answer "as of" with a query, not a replay. */
export type AsOf =
  | { kind: 'now' }
  | { kind: 'time'; at: string }
  /** `at`: the instant the moment stands for, when not the event's recorded time (a report pinned as of "now" at that position). */
  | { kind: 'position'; position: number; at?: string }
  /** The log as its first `size` events stood: a checkpoint's tree size, the same in every store. */
  | { kind: 'size'; size: number; at?: string };

/** The tree-size form of a moment: `size:<n>`. */
const SIZE_FORM = /^size:(\d+)$/;

/** The log position of the last of the first `size` events, as SQL over the log-digest read model (beside every read model). */
const POSITION_OF_SIZE = '(SELECT COALESCE(MAX(position), 0) FROM log_digest_v1 WHERE events <= ?)';

/** Parses `--as-of` / `asOf`: an ISO-8601 instant, a tree size (`size:<n>`), a whole log position (the embedded store's), or nothing for now. */
export function parseAsOf(text: string | undefined, field = 'asOf'): AsOf {
  if (text === undefined || text === '') return { kind: 'now' };
  const size = SIZE_FORM.exec(text);
  if (size) return { kind: 'size', size: Number(size[1]) };
  if (/^\d+$/.test(text)) return { kind: 'position', position: Number(text) };
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new DomainError('invalid', [problem(field, 'problem.asOf', { value: text })]);
  return { kind: 'time', at: new Date(ms).toISOString() };
}

/** SQL condition (and its parameter) keeping rows recorded at or before the moment, given their position and recorded-time columns. */
export function asOfCondition(asOf: AsOf, positionColumn: string, recordedColumn: string): { sql: string; params: (string | number)[] } {
  if (asOf.kind === 'position') return { sql: `${positionColumn} <= ?`, params: [asOf.position] };
  if (asOf.kind === 'size') return { sql: `${positionColumn} <= ${POSITION_OF_SIZE}`, params: [asOf.size] };
  if (asOf.kind === 'time') return { sql: `${recordedColumn} <= ?`, params: [asOf.at] };
  return { sql: '1 = 1', params: [] };
}

/**
 * SQL condition for rows that held at the moment: recorded at or before it, and not superseded by
 * then. Rows carry the position and time from which they hold and, once superseded, those at which
 * they stopped: a past moment is a query, not a replay.
 */
export function heldAt(asOf: AsOf, alias = ''): { sql: string; params: (string | number)[] } {
  const c = (name: string) => (alias ? `${alias}.${name}` : name);
  if (asOf.kind === 'position') {
    return { sql: `${c('position')} <= ? AND (${c('superseded_position')} IS NULL OR ${c('superseded_position')} > ?)`, params: [asOf.position, asOf.position] };
  }
  if (asOf.kind === 'size') {
    const position = POSITION_OF_SIZE;
    return { sql: `${c('position')} <= ${position} AND (${c('superseded_position')} IS NULL OR ${c('superseded_position')} > ${position})`, params: [asOf.size, asOf.size] };
  }
  if (asOf.kind === 'time') {
    return { sql: `${c('recorded_at')} <= ? AND (${c('superseded_at')} IS NULL OR ${c('superseded_at')} > ?)`, params: [asOf.at, asOf.at] };
  }
  return { sql: `${c('superseded_position')} IS NULL`, params: [] };
}
