import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const PROGRESS_STATUSES = ['not-started', 'in-progress', 'completed', 'blocked'] as const;

/** A flat object of short strings: the dimensions of a metric figure. */
export function IsDimensions(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isDimensions',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 16 &&
          Object.entries(value).every(([k, v]) => k.length <= 64 && typeof v === 'string' && v.length <= 128),
        defaultMessage: () => 'must be an object of at most 16 dimension names mapped to value ids (strings)',
      },
    },
    options,
  );
}

/** Fields every record carries. */
export class RecordBase {
  @ApiProperty({ enum: ['progress', 'metric', 'correction'] })
  @IsString()
  type!: string;

  @ApiProperty({ example: 'gd-2021' })
  @IsString()
  @Matches(ID, { message: 'must be 1–64 letters, digits, - or _' })
  ledger!: string;

  @ApiProperty({ example: 'gd-grid' })
  @IsString()
  @Matches(ID, { message: 'must be 1–64 letters, digits, - or _' })
  unit!: string;

  @ApiPropertyOptional({ description: 'A UUID chosen by the client; it becomes the event id, and sending it again appends nothing new.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  id?: string;
}

export class ProgressRecord extends RecordBase {
  declare type: 'progress';

  @ApiProperty({ example: '4', description: 'The task number as the programme writes it.' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  task!: string;

  @ApiProperty({ enum: PROGRESS_STATUSES })
  @IsIn(PROGRESS_STATUSES, { message: `must be one of ${PROGRESS_STATUSES.join(', ')}` })
  status!: (typeof PROGRESS_STATUSES)[number];

  @ApiProperty({ example: '2021-06-30', description: 'The local date the progress is about (not in the future).' })
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  on!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;

  @ApiPropertyOptional({ type: [String], description: 'Evidence references (document numbers, file names, links).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  evidence?: string[];
}

export class MetricRecord extends RecordBase {
  declare type: 'metric';

  @ApiProperty({ example: '2021-H1' })
  @IsString()
  @MaxLength(16)
  period!: string;

  @ApiProperty({ example: 'benefit.households' })
  @IsString()
  @MaxLength(64)
  metric!: string;

  @ApiPropertyOptional({ example: { service: 'sanling-residential' } })
  @IsOptional()
  @IsDimensions()
  dimensions?: Record<string, string>;

  @ApiProperty({ example: 1520 })
  @IsDefined()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a finite number' })
  value!: number;
}

/** Replaces the facts of an earlier event of the same unit from the moment it is recorded; the original stays in the log. */
export class CorrectionRecord extends RecordBase {
  declare type: 'correction';

  @ApiProperty({ description: 'The id of the event this corrects.' })
  @IsUUID('all', { message: 'must be the UUID of an earlier event' })
  corrects!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(2000)
  reason!: string;

  // The replacement facts: any of the corrected record's fields.
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a finite number' }) value?: number;
  @IsOptional() @IsDimensions() dimensions?: Record<string, string>;
  @IsOptional() @IsString() @MaxLength(16) period?: string;
  @IsOptional() @IsIn(PROGRESS_STATUSES, { message: `must be one of ${PROGRESS_STATUSES.join(', ')}` }) status?: (typeof PROGRESS_STATUSES)[number];
  @IsOptional() @IsString() @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) on?: string;
  @IsOptional() @IsString() @MaxLength(4000) note?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(500, { each: true }) evidence?: string[];
}
