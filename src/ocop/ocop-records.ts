import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf, ValidateNested, type ValidationOptions } from 'class-validator';
import { RecordBase } from '../ledgers/submit/record-dtos';
import { BUSINESS_TYPES, isBusinessType, parseCategory } from './ocop-classification';
import {
  OCOP_LEVELS,
  type OcopDowngradedFields,
  type OcopLevel,
  type OcopProductFields,
  type OcopRatedFields,
  type OcopRecognitionFields,
  type OcopRecordType,
  type OcopRegisteredFields,
  type OcopRevokedFields,
  type OcopSupportedFields,
  type OcopUpgradedFields,
} from './ocop-record-types';

/**
 * The OCOP submission records (NDJSON lines and HTTP bodies), with the common fields of every
 * record (`type`, `ledger`, `unit` — the submitting unit —, optional `id`). Shapes only: the rules
 * that need the product's history or the programme are the decider's (ocop-product.decider.ts).
 */

/** A product id: chosen by the registering unit, unique in the ledger; letters, digits, - and _. */
const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Messages never name the field they are about: the parser drops the first "<field> " of a message.

/** Required (`is required` when missing), or optional: may be left out, but not sent as null. */
function presence(target: object, key: string | symbol, optional: boolean): void {
  if (optional) ValidateIf((_object, value) => value !== undefined)(target, key as string);
  else IsDefined({ message: 'is required' })(target, key as string);
}

/** A non-blank string of at most `max` characters (checked in this order, the first failure reported). */
function Text(max: number, { optional = false } = {}): PropertyDecorator {
  return (target, key) => {
    presence(target, key, optional);
    IsString({ message: 'must be a string' })(target, key as string);
    Matches(/\S/, { message: 'must not be blank' })(target, key as string);
    MaxLength(max, { message: `must be at most ${max} characters` })(target, key as string);
  };
}

function ProductId(): PropertyDecorator {
  return (target, key) => {
    presence(target, key, false);
    IsString({ message: 'must be a string' })(target, key as string);
    Matches(PRODUCT_ID, { message: 'must be 1–64 letters, digits, - or _ (the product’s id)' })(target, key as string);
  };
}

function LocalDate(): PropertyDecorator {
  return (target, key) => {
    presence(target, key, false);
    IsString({ message: 'must be a date YYYY-MM-DD' })(target, key as string);
    Matches(DATE, { message: 'must be a date YYYY-MM-DD' })(target, key as string);
  };
}

function Stars(): PropertyDecorator {
  return (target, key) => {
    presence(target, key, false);
    IsInt({ message: 'must be a whole number from 1 to 5' })(target, key as string);
    Min(1, { message: 'must be a whole number from 1 to 5' })(target, key as string);
    Max(5, { message: 'must be a whole number from 1 to 5' })(target, key as string);
  };
}

function Year(): PropertyDecorator {
  return (target, key) => {
    presence(target, key, false);
    IsInt({ message: 'must be a whole number, 2000 to 2100' })(target, key as string);
    Min(2000, { message: 'must be a whole number, 2000 to 2100' })(target, key as string);
    Max(2100, { message: 'must be a whole number, 2000 to 2100' })(target, key as string);
  };
}

function IsBusinessType(options?: ValidationOptions) {
  return ValidateBy({ name: 'isBusinessType', validator: { validate: isBusinessType, defaultMessage: () => `must be one of ${BUSINESS_TYPES.join(', ')}` } }, options);
}

function IsCategory(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isOcopCategory',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length <= 500 && parseCategory(value).ok,
        defaultMessage: (args) => {
          if (typeof args?.value === 'string' && args.value.length > 500) return 'must be at most 500 characters';
          const parsed = parseCategory(args?.value);
          return parsed.ok ? 'is not a category' : parsed.reason;
        },
      },
    },
    options,
  );
}

function NestedObject(type: () => new () => object, { optional = false } = {}): PropertyDecorator {
  return (target, key) => {
    presence(target, key, optional);
    IsObject({ message: 'must be an object' })(target, key as string);
    ValidateNested()(target, key as string);
    Type(type)(target, key as string);
  };
}

/** The product as registered (Phụ lục 2's columns). */
export class OcopProductDto implements OcopProductFields {
  @ApiProperty({ example: 'nc-banh-phong-tom', description: 'The product id, unique in the ledger: letters, digits, - and _.' })
  @ProductId()
  id!: string;

  @ApiProperty({ example: 'Bánh phồng tôm' })
  @Text(300)
  name!: string;

  @ApiProperty({ example: 'Công ty Cổ phần Xuất nhập khẩu Vĩnh Hòa Phát', description: 'The producer (chủ thể) as written.' })
  @Text(300)
  producer!: string;

  @ApiPropertyOptional({ example: 'Áp 2, xã Hàng Vịnh' })
  @Text(500, { optional: true })
  address?: string;

  @ApiPropertyOptional({ example: 'Mai Sáu', description: 'Người đại diện.' })
  @Text(200, { optional: true })
  representative?: string;

  @ApiProperty({ enum: BUSINESS_TYPES, description: 'Loại hình kinh doanh, as Phụ lục 2 writes it.' })
  @IsBusinessType()
  @IsDefined({ message: 'is required' })
  businessType!: string;

  @ApiProperty({ example: 'Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến từ thủy, hải sản' })
  @IsCategory()
  @IsDefined({ message: 'is required' })
  category!: string;

  @ApiProperty({ example: 'Huyện Năm Căn', description: 'The district (huyện, thành phố) as the programme names it.' })
  @Text(200)
  district!: string;
}

/** A certificate the product already holds when it enters the ledger (Phụ lục 3: "Hạng sao được công nhận", "Năm công nhận"). */
export class OcopRecognitionDto implements OcopRecognitionFields {
  @ApiProperty({ example: 3, minimum: 3, maximum: 5 })
  @Stars()
  stars!: number;

  @ApiProperty({ example: 2020 })
  @Year()
  year!: number;
}

/** A product enters the programme: new, or (with `recognised`) registered for upgrading from the stars it holds. */
export class OcopRegisteredRecord extends RecordBase implements OcopRegisteredFields {
  declare type: 'ocop-registered';

  @ApiProperty({ type: OcopProductDto })
  @NestedObject(() => OcopProductDto)
  product!: OcopProductDto;

  @ApiPropertyOptional({ type: OcopRecognitionDto, description: 'For a product registered for upgrading: the certificate it holds.' })
  @NestedObject(() => OcopRecognitionDto, { optional: true })
  recognised?: OcopRecognitionDto;

  @ApiProperty({ example: '2022-02-25', description: 'The local date of the registration (not in the future).' })
  @LocalDate()
  on!: string;
}

/** A council's result for a product that holds no certificate (or whose certificate was revoked). */
export class OcopRatedRecord extends RecordBase implements OcopRatedFields {
  declare type: 'ocop-rated';

  @ApiProperty({ example: 'nc-banh-phong-tom' })
  @ProductId()
  product!: string;

  @ApiProperty({ example: 3, minimum: 1, maximum: 5 })
  @Stars()
  stars!: number;

  @ApiProperty({ enum: OCOP_LEVELS })
  @IsIn(OCOP_LEVELS, { message: `must be one of ${OCOP_LEVELS.join(', ')}` })
  @IsDefined({ message: 'is required' })
  level!: OcopLevel;

  @ApiProperty({ example: 'Đợt 1/2022' })
  @Text(100)
  round!: string;

  @ApiProperty({ example: '2022-08-25', description: 'The date of the council’s result (not in the future).' })
  @LocalDate()
  on!: string;

  @ApiProperty({ example: 'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh' })
  @Text(300)
  council!: string;

  @ApiPropertyOptional({ example: 'Quyết định số 2345/QĐ-UBND', description: 'The decision recognising the result, if any.' })
  @Text(200, { optional: true })
  decision?: string;
}

/** A council raises the stars of a product that holds a certificate. */
export class OcopUpgradedRecord extends RecordBase implements OcopUpgradedFields {
  declare type: 'ocop-upgraded';

  @ApiProperty({ example: 'nc-banh-phong-tom' }) @ProductId() product!: string;
  @ApiProperty({ example: 4 }) @Stars() stars!: number;
  @ApiProperty({ enum: OCOP_LEVELS }) @IsIn(OCOP_LEVELS, { message: `must be one of ${OCOP_LEVELS.join(', ')}` }) @IsDefined({ message: 'is required' }) level!: OcopLevel;
  @ApiProperty({ example: 'Đợt 2/2022' }) @Text(100) round!: string;
  @ApiProperty({ example: '2022-11-25' }) @LocalDate() on!: string;
  @ApiProperty({ example: 'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh' }) @Text(300) council!: string;
  @ApiPropertyOptional() @Text(200, { optional: true }) decision?: string;
}

/** Stars reduced after an inspection (giảm sao), by decision. */
export class OcopDowngradedRecord extends RecordBase implements OcopDowngradedFields {
  declare type: 'ocop-downgraded';

  @ApiProperty({ example: 'nc-banh-phong-tom' }) @ProductId() product!: string;
  @ApiProperty({ example: 3 }) @Stars() stars!: number;
  @ApiProperty({ example: '2022-09-15' }) @LocalDate() on!: string;
  @ApiProperty({ example: 'Kiểm tra: bao bì, nhãn mác không đảm bảo tiêu chuẩn' }) @Text(2000) reason!: string;
  @ApiProperty({ example: 'Quyết định số 1234/QĐ-UBND' }) @Text(200) decision!: string;
}

/** The certificate revoked after an inspection (thu hồi giấy chứng nhận), by decision. */
export class OcopRevokedRecord extends RecordBase implements OcopRevokedFields {
  declare type: 'ocop-revoked';

  @ApiProperty({ example: 'nc-banh-phong-tom' }) @ProductId() product!: string;
  @ApiProperty({ example: '2022-09-15' }) @LocalDate() on!: string;
  @ApiProperty({ example: 'Kiểm tra: vi phạm an toàn thực phẩm' }) @Text(2000) reason!: string;
  @ApiProperty({ example: 'Quyết định số 1234/QĐ-UBND' }) @Text(200) decision!: string;
}

/** A certified product taken into a trade-promotion activity (kết nối giao thương, tiêu thụ sản phẩm). */
export class OcopSupportedRecord extends RecordBase implements OcopSupportedFields {
  declare type: 'ocop-supported';

  @ApiProperty({ example: 'nc-banh-phong-tom' }) @ProductId() product!: string;
  @ApiProperty({ example: '2022-10-05' }) @LocalDate() on!: string;
  @ApiProperty({ example: 'Hội chợ sản phẩm OCOP Cà Mau 2022' }) @Text(1000) activity!: string;
}

export const OCOP_RECORD_DTOS: Record<OcopRecordType, new () => RecordBase> = {
  'ocop-registered': OcopRegisteredRecord,
  'ocop-rated': OcopRatedRecord,
  'ocop-upgraded': OcopUpgradedRecord,
  'ocop-downgraded': OcopDowngradedRecord,
  'ocop-revoked': OcopRevokedRecord,
  'ocop-supported': OcopSupportedRecord,
};
