import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsNumber,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { ID, PROGRESS_STATUSES, type CorrectionFields, type MetricFields, type ProgressFields, type RecordFields } from './record-types';

// Decorators run from the one nearest the property upwards and stop at the first failure, so the
// type check stands last: a number where a string belongs is told so, not that it is too long.

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NOT_BLANK = /\S/;
const FINITE = { allowNaN: false, allowInfinity: false };

/** An optional field: may be left out, but not sent as null. */
const Optional = () => ValidateIf((_object, value) => value !== undefined);

/** A record's dimensions: at most 16 names of at most 64 characters, each mapped to a value id (a string of at most 128). */
export function isDimensions(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length <= 16 &&
    Object.entries(value).every(([k, v]) => k.length <= 64 && typeof v === 'string' && v.length <= 128)
  );
}

/** A flat object of short strings: the dimensions of a metric figure. */
export function IsDimensions(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isDimensions',
      validator: {
        validate: isDimensions,
        defaultMessage: () => 'must be an object of at most 16 dimension names mapped to value ids (strings)',
      },
    },
    options,
  );
}

/** Fields every record carries. */
export class RecordBase implements RecordFields {
  @ApiProperty({ enum: ['progress', 'metric', 'correction'] })
  @IsString()
  type!: string;

  @ApiProperty({ example: 'gd-2021' })
  @Matches(ID, { message: 'must be 1–64 letters, digits, - or _' })
  @IsString()
  ledger!: string;

  @ApiProperty({ example: 'gd-grid' })
  @Matches(ID, { message: 'must be 1–64 letters, digits, - or _' })
  @IsString()
  unit!: string;

  @ApiPropertyOptional({ description: 'A UUID chosen by the client; it becomes the event id, and sending it again appends nothing new.' })
  @Optional()
  @IsUUID('all', { message: 'must be a UUID' })
  id?: string;
}

export class ProgressRecord extends RecordBase implements ProgressFields {
  declare type: 'progress';

  @ApiProperty({ example: '4', description: 'The task number as the programme writes it.' })
  @MaxLength(32)
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  @IsString()
  task!: string;

  @ApiProperty({ enum: PROGRESS_STATUSES })
  @IsIn(PROGRESS_STATUSES, { message: `must be one of ${PROGRESS_STATUSES.join(', ')}` })
  status!: (typeof PROGRESS_STATUSES)[number];

  @ApiProperty({ example: '2021-06-30', description: 'The local date the progress is about (not in the future).' })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsString()
  on!: string;

  @ApiPropertyOptional()
  @Optional()
  @MaxLength(4000)
  @IsString()
  note?: string;

  @ApiPropertyOptional({ type: [String], description: 'Evidence references (document numbers, file names, links).' })
  @Optional()
  @MaxLength(500, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(50)
  @IsArray()
  evidence?: string[];

  @ApiPropertyOptional({
    example: '2021-07-10',
    description: 'Administrators only: back-filled history, the local date this was originally reported (not before what it reports on, not in the future). Timeliness counts this date; the recorded time stays.',
  })
  @Optional()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsString()
  reportedOn?: string;
}

export class MetricRecord extends RecordBase implements MetricFields {
  declare type: 'metric';

  @ApiProperty({ example: '2021-H1' })
  @MaxLength(16)
  @IsString()
  period!: string;

  @ApiProperty({ example: 'benefit.households' })
  @MaxLength(64)
  @IsString()
  metric!: string;

  @ApiPropertyOptional({ example: { service: 'sanling-residential' } })
  @Optional()
  @IsDimensions()
  dimensions?: Record<string, string>;

  @ApiProperty({ example: 1520 })
  @IsNumber(FINITE, { message: 'must be a finite number' })
  @IsDefined()
  value!: number;

  @ApiPropertyOptional({
    example: '2021-07-10',
    description: 'Administrators only: back-filled history, the local date this was originally reported (not before what it reports on, not in the future). Timeliness counts this date; the recorded time stays.',
  })
  @Optional()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsString()
  reportedOn?: string;
}

/** Replaces the facts of an earlier event of the same unit from the moment it is recorded; the original stays in the log. */
export class CorrectionRecord extends RecordBase implements CorrectionFields {
  declare type: 'correction';

  @ApiProperty({ description: 'The id of the event this corrects.' })
  @IsUUID('all', { message: 'must be the UUID of an earlier event' })
  corrects!: string;

  @ApiProperty()
  @MaxLength(2000)
  @Matches(NOT_BLANK, { message: 'is required and must not be blank' })
  @IsString()
  reason!: string;

  // The replacement facts: any of the corrected record's fields.
  @ApiPropertyOptional() @Optional() @IsNumber(FINITE, { message: 'must be a finite number' }) value?: number;
  @ApiPropertyOptional() @Optional() @IsDimensions() dimensions?: Record<string, string>;
  @ApiPropertyOptional() @Optional() @MaxLength(16) @IsString() period?: string;
  @ApiPropertyOptional({ enum: PROGRESS_STATUSES }) @Optional() @IsIn(PROGRESS_STATUSES, { message: `must be one of ${PROGRESS_STATUSES.join(', ')}` }) status?: (typeof PROGRESS_STATUSES)[number];
  @ApiPropertyOptional() @Optional() @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) @IsString() on?: string;
  @ApiPropertyOptional() @Optional() @MaxLength(4000) @IsString() note?: string;
  @ApiPropertyOptional({ type: [String] }) @Optional() @MaxLength(500, { each: true }) @IsString({ each: true }) @ArrayMaxSize(50) @IsArray() evidence?: string[];
}
