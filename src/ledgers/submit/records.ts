import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DomainError, type Problem } from '../../event-sourcing/domain-error';
import { readRecordInput } from './record-input';
import type { ProgrammeTemplate } from '../../programmes/template';
import { CorrectionRecord, MetricRecord, ProgressRecord, type RecordBase } from './record-dtos';
import { ID } from './record-types';

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
    if (FORBIDDEN_KEYS.has(key)) problems.push({ field: key, reason: 'is not a field of this record type' });
    else if (unpaired(value)) problems.push({ field: key, reason: 'is not Unicode text: it holds an unpaired surrogate (\\ud800–\\udfff)' });
    else if (scalar(value)) continue;
    else if (Array.isArray(value) ? !value.every(scalar) : !Object.entries(value as object).every(([k, v]) => !FORBIDDEN_KEYS.has(k) && scalar(v))) {
      problems.push({ field: key, reason: 'is nested too deep: a record holds scalars, lists of scalars and flat objects only' });
    }
  }
  return problems;
}

function flatten(errors: ValidationError[], prefix = ''): Problem[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      field,
      reason: /^property .* should not exist$/.test(reason) ? 'is not a field of this record type' : reason.replace(`${error.property} `, ''),
    }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}

/**
 * Validates the shape of one submission record (a parsed JSON value) against the DTO of its
 * `type`: every problem is named by field, unknown fields are refused; ids are lower-cased (a UUID
 * is the same id in any case, and EventStoreDB answers in lower case). Texts, numbers, dates and
 * periods are read first by the one input step of every channel (src/input/record-input.ts), in
 * the language and years of the record's programme when it is known.
 */
export function parseRecord(value: unknown, programme?: Pick<ProgrammeTemplate, 'id' | 'language' | 'years'>): RecordBase {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw DomainError.invalid('(record)', 'must be a JSON object');
  const type = (value as { type?: unknown }).type;
  const dto = typeof type === 'string' ? RECORD_TYPES.get(type) : undefined;
  if (!dto) {
    throw DomainError.invalid('type', `must be one of ${[...RECORD_TYPES.keys()].join(', ')}${type === undefined ? '' : `; got ${JSON.stringify(type).slice(0, 60)}`}`);
  }
  const shape = shapeProblems(value);
  if (shape.length > 0) throw new DomainError('invalid', shape);
  const input = readRecordInput(value, programme);
  if (input.problems.length > 0) throw new DomainError('invalid', input.problems);
  const record = plainToInstance(dto, input.record, { enableImplicitConversion: false });
  const problems = flatten(validateSync(record, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: true }));
  if (problems.length > 0) throw new DomainError('invalid', problems);
  for (const key of ['id', 'corrects'] as const) {
    const id = (record as unknown as Record<string, unknown>)[key];
    if (typeof id === 'string') (record as unknown as Record<string, string>)[key] = id.toLowerCase();
  }
  return record;
}

/** The `ledger` a received record names, when it is a well-formed id (else parseRecord names the problem). */
export function ledgerIdOf(value: unknown): string | undefined {
  const ledger = typeof value === 'object' && value !== null ? (value as { ledger?: unknown }).ledger : undefined;
  return typeof ledger === 'string' && ID.test(ledger) ? ledger : undefined;
}
