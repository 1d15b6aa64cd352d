import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DomainError, type Problem } from '../../event-sourcing/domain-error';
import { readRecordInput } from './record-input';
import { certainlyValid } from './record-shapes';
import type { ProgrammeTemplate } from '../../programmes/template';
import { CorrectionRecord, MetricRecord, ProgressRecord, type RecordBase } from './record-dtos';
import { ID } from './record-types';
import { problem } from '../../i18n/problem';
import type { MessageParams } from '../../i18n/translate';

/** The record kinds of CONTRACT.md that go to a unit's own stream; OCOP records register theirs too. */
const RECORD_TYPES = new Map<string, new () => RecordBase>([
  ['progress', ProgressRecord],
  ['metric', MetricRecord],
  ['correction', CorrectionRecord],
]);

export type SubmissionRecord = ProgressRecord | MetricRecord | CorrectionRecord;

/** Adds the record types of another module (OCOP) so one parser validates every submission. */
export function registerRecordType(type: string, dto: new () => RecordBase): void {
  RECORD_TYPES.set(type, dto);
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Records are flat: scalars, lists of scalars, and flat objects of scalars (dimensions). Checked
 * before anything walks the value, so deep nesting cannot exhaust the stack and keys such as
 * __proto__ cannot slip past the whitelist.
 */
function shapeProblems(record: object): Problem[] {
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  const problems: Problem[] = [];
  const unpaired = (v: unknown) => (typeof v === 'string' && LONE_SURROGATE.test(v)) || (typeof v === 'object' && v !== null && Object.entries(v).some(([k, x]) => LONE_SURROGATE.test(k) || (typeof x === 'string' && LONE_SURROGATE.test(x))));
  for (const key of Object.keys(record)) {
    const value = (record as Record<string, unknown>)[key];
    if (FORBIDDEN_KEYS.has(key)) problems.push(problem(key, 'problem.notAField'));
    else if (unpaired(value)) problems.push(problem(key, 'problem.unpairedSurrogate'));
    else if (scalar(value)) continue;
    else if (Array.isArray(value) ? !value.every(scalar) : !Object.entries(value as object).every(([k, v]) => !FORBIDDEN_KEYS.has(k) && scalar(v))) {
      problems.push(problem(key, 'problem.nestedTooDeep'));
    }
  }
  return problems;
}

/**
 * class-validator's reasons (its own, and the DTOs' messages) by their English text, with their
 * catalogue entries; a reason not listed stays English.
 */
const CONSTRAINT_REASONS: { text: RegExp; key: string; params?: (m: RegExpExecArray) => MessageParams }[] = [
  { text: /^must be a string$/, key: 'problem.notString' },
  { text: /^each value in .+ must be a string$/, key: 'problem.eachNotString' },
  { text: /^must be shorter than or equal to (\d+) characters$/, key: 'problem.maxLength', params: (m) => ({ max: m[1] }) },
  { text: /^each value in .+ must be shorter than or equal to (\d+) characters$/, key: 'problem.eachMaxLength', params: (m) => ({ max: m[1] }) },
  { text: /^must contain no more than (\d+) elements$/, key: 'problem.arrayMaxSize', params: (m) => ({ max: m[1] }) },
  { text: /^must be an array$/, key: 'problem.notArray' },
  { text: /^should not be null or undefined$/, key: 'problem.required' },
  { text: /^must be 1–64 letters, digits, - or _$/, key: 'problem.idChars' },
  { text: /^must be a UUID$/, key: 'problem.uuid' },
  { text: /^must be the UUID of an earlier event$/, key: 'problem.earlierEventUuid' },
  { text: /^must not be blank$/, key: 'problem.notBlank' },
  { text: /^is required and must not be blank$/, key: 'problem.requiredNotBlank' },
  { text: /^must be a date YYYY-MM-DD$/, key: 'problem.isoDate' },
  { text: /^must be a finite number$/, key: 'problem.finiteNumber' },
  { text: /^must be one of (.+)$/, key: 'problem.mustBeOneOf', params: (m) => ({ allowed: m[1] }) },
  { text: /^must be an object of at most (\d+) dimension names mapped to value ids \(strings\)$/, key: 'problem.dimensionsShape', params: (m) => ({ max: m[1] }) },
];

/** A class-validator reason as a problem of the field; null for a field the record type does not have. */
function constraintProblem(field: string, reason: string | null): Problem {
  if (reason === null) return problem(field, 'problem.notAField');
  for (const known of CONSTRAINT_REASONS) {
    const m = known.text.exec(reason);
    if (m) return problem(field, known.key, known.params?.(m));
  }
  return { field, reason };
}

function flatten(errors: ValidationError[], prefix = ''): Problem[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => constraintProblem(field, /^property .* should not exist$/.test(reason) ? null : reason.replace(`${error.property} `, '')));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}

/**
 * Validates the shape of one submission record (a parsed JSON value) against the DTO of its
 * `type`: every problem is named by field, unknown fields are refused; ids are lower-cased (a UUID
 * is the same id in any case, and EventStoreDB answers in lower case). Texts, numbers, dates and
 * periods are read first by the one input step of every channel (src/ledgers/submit/record-input.ts), in
 * the language and years of the record's programme when it is known.
 */
export function parseRecord(value: unknown, programme?: Pick<ProgrammeTemplate, 'id' | 'language' | 'years'>): RecordBase {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DomainError('invalid', [problem('(record)', 'problem.notJsonObject')]);
  const type = (value as { type?: unknown }).type;
  const dto = typeof type === 'string' ? RECORD_TYPES.get(type) : undefined;
  if (!dto) {
    const allowed = [...RECORD_TYPES.keys()].join(', ');
    throw new DomainError('invalid', [type === undefined ? problem('type', 'problem.mustBeOneOf', { allowed }) : problem('type', 'problem.mustBeOneOfGot', { allowed, got: JSON.stringify(type).slice(0, 60) })]);
  }
  const shape = shapeProblems(value);
  if (shape.length > 0) throw new DomainError('invalid', shape);
  const input = readRecordInput(value, programme);
  if (input.problems.length > 0) throw new DomainError('invalid', input.problems);
  // A record that certainly passes its DTO is built as plainToInstance builds it, without walking class-validator's metadata.
  const record = certainlyValid(type as string, input.record) ? Object.assign(new dto(), input.record) : validated(dto, input.record);
  for (const key of ['id', 'corrects'] as const) {
    const id = (record as unknown as Record<string, unknown>)[key];
    if (typeof id === 'string') (record as unknown as Record<string, string>)[key] = id.toLowerCase();
  }
  return record;
}

/** The record as its DTO, validated by class-validator: every problem named by field. */
function validated(dto: new () => RecordBase, input: Record<string, unknown>): RecordBase {
  const record = plainToInstance(dto, input, { enableImplicitConversion: false });
  const problems = flatten(validateSync(record, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: true }));
  if (problems.length > 0) throw new DomainError('invalid', problems);
  return record;
}

/** The `ledger` a received record names, when it is a well-formed id (else parseRecord names the problem). */
export function ledgerIdOf(value: unknown): string | undefined {
  const ledger = typeof value === 'object' && value !== null ? (value as { ledger?: unknown }).ledger : undefined;
  return typeof ledger === 'string' && ID.test(ledger) ? ledger : undefined;
}
