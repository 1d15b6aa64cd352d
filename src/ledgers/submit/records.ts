import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DomainError, type Problem } from '../../event-sourcing/domain-error';
import { CorrectionRecord, MetricRecord, ProgressRecord, type RecordBase } from './record-dtos';

/** The record kinds of CONTRACT.md that go to a unit's own stream; OCOP records register theirs in RECORD_TYPES too. */
const RECORD_TYPES: Record<string, new () => RecordBase> = {
  progress: ProgressRecord,
  metric: MetricRecord,
  correction: CorrectionRecord,
};

export type SubmissionRecord = ProgressRecord | MetricRecord | CorrectionRecord;

/** Adds the record types of another module (OCOP) so one parser validates every submission. */
export function registerRecordType(type: string, dto: new () => RecordBase): void {
  RECORD_TYPES[type] = dto;
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
 * `type`: every problem is named by field, unknown fields are refused, nothing is coerced.
 */
export function parseRecord(value: unknown): RecordBase {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw DomainError.invalid('(record)', 'must be a JSON object');
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !(type in RECORD_TYPES)) {
    throw DomainError.invalid('type', `must be one of ${Object.keys(RECORD_TYPES).join(', ')}${type === undefined ? '' : `; got ${JSON.stringify(type).slice(0, 60)}`}`);
  }
  const record = plainToInstance(RECORD_TYPES[type], value, { enableImplicitConversion: false });
  const problems = flatten(validateSync(record, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: true }));
  if (problems.length > 0) throw new DomainError('invalid', problems);
  return record;
}
