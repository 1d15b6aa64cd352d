import { isUUID } from 'class-validator';
import { isDimensions } from './record-dtos';
import { ID, PROGRESS_STATUSES } from './record-types';

/**
 * A fast check that a record (as record-input.ts read it) certainly passes its DTO's class-validator
 * rules, for the unit record kinds, whose every submission would otherwise walk class-validator's
 * metadata. Each check is at least as strict as the DTO's decorators (a string's length is counted
 * in UTF-16 units, which is never less than class-validator's count), so a record it passes is one the
 * DTO passes; anything else, the DTO validates as before and names every problem its own way.
 */
type Check = (value: unknown) => boolean;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NOT_BLANK = /\S/;

const text = (max: number): Check => (v) => typeof v === 'string' && v.length <= max;
const nonBlank = (max: number): Check => (v) => typeof v === 'string' && v.length <= max && NOT_BLANK.test(v);
const id: Check = (v) => typeof v === 'string' && ID.test(v);
const uuid: Check = (v) => isUUID(v, 'all');
const date: Check = (v) => typeof v === 'string' && DATE.test(v);
const status: Check = (v) => (PROGRESS_STATUSES as readonly unknown[]).includes(v);
const finite: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const evidence: Check = (v) => Array.isArray(v) && v.length <= 50 && v.every((item) => typeof item === 'string' && item.length <= 500);

/** Per field: its check and whether it may be left out. */
type Shape = Record<string, [check: Check, optional: boolean]>;

const BASE: Shape = { type: [(v) => typeof v === 'string', false], ledger: [id, false], unit: [id, false], id: [uuid, true] };

const SHAPES = new Map<string, Shape>([
  ['progress', { ...BASE, task: [nonBlank(32), false], status: [status, false], on: [date, false], note: [text(4000), true], evidence: [evidence, true], reportedOn: [date, true] }],
  ['metric', { ...BASE, period: [text(16), false], metric: [text(64), false], dimensions: [isDimensions, true], value: [finite, false], reportedOn: [date, true] }],
  [
    'correction',
    {
      ...BASE,
      corrects: [uuid, false],
      reason: [nonBlank(2000), false],
      value: [finite, true],
      dimensions: [isDimensions, true],
      period: [text(16), true],
      status: [status, true],
      on: [date, true],
      note: [text(4000), true],
      evidence: [evidence, true],
    },
  ],
]);

/** True when the record of this type certainly passes its DTO; false means "let class-validator decide". */
export function certainlyValid(type: string, record: Record<string, unknown>): boolean {
  const shape = SHAPES.get(type);
  if (!shape) return false;
  for (const key of Object.keys(record)) if (!Object.hasOwn(shape, key)) return false;
  for (const [field, [check, optional]] of Object.entries(shape)) {
    const value = record[field];
    if (value === undefined ? !optional : !check(value)) return false;
  }
  return true;
}
