import { DomainError, type Problem } from '../../../src/event-sourcing/domain-error';
import { routeOf } from '../../../src/ledgers/submit/record-routes';
import { parseRecord } from '../../../src/ledgers/submit/records';
import '../../../src/ocop/ocop-route';
import { OcopRatedRecord, OcopRegisteredRecord } from '../../../src/ocop/ocop-records';

const common = { ledger: 'camau-2022', unit: 'cm-district-7' };
const product = {
  id: 'nc-banh-phong-tom',
  name: 'Bánh phồng tôm',
  producer: 'Công ty Cổ phần Xuất nhập khẩu Vĩnh Hòa Phát',
  address: 'Áp 2, xã Hàng Vịnh',
  businessType: 'Công ty',
  category: 'Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến từ thủy, hải sản',
  district: 'Huyện Năm Căn',
};
const VALID: Record<string, Record<string, unknown>> = {
  'ocop-registered': { type: 'ocop-registered', ...common, product, on: '2022-02-25' },
  'ocop-rated': { type: 'ocop-rated', ...common, product: 'nc-banh-phong-tom', stars: 3, level: 'province', round: 'Đợt 1/2022', on: '2022-08-25', council: 'Hội đồng cấp tỉnh' },
  'ocop-upgraded': { type: 'ocop-upgraded', ...common, product: 'nc-banh-phong-tom', stars: 4, level: 'province', round: 'Đợt 2/2022', on: '2022-11-25', council: 'Hội đồng cấp tỉnh' },
  'ocop-downgraded': { type: 'ocop-downgraded', ...common, product: 'nc-banh-phong-tom', stars: 3, on: '2022-09-15', reason: 'Kiểm tra', decision: 'QĐ 12' },
  'ocop-revoked': { type: 'ocop-revoked', ...common, product: 'nc-banh-phong-tom', on: '2022-09-15', reason: 'Kiểm tra', decision: 'QĐ 34' },
  'ocop-supported': { type: 'ocop-supported', ...common, product: 'nc-banh-phong-tom', on: '2022-10-05', activity: 'Hội chợ' },
};

function problems(value: unknown): Problem[] {
  try {
    parseRecord(value);
  } catch (error) {
    if (error instanceof DomainError) {
      expect(error.code).toBe('invalid');
      return error.problems;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value).slice(0, 200)} to be refused`);
}

describe('OCOP records: shapes accepted', () => {
  it.each(Object.entries(VALID))('%s is a record type with its own route', (type, value) => {
    const record = parseRecord(value);
    expect(record.type).toBe(type);
    expect(routeOf(type).stream(record)).toBe('ocop-camau-2022.nc-banh-phong-tom');
  });

  it('parses into the DTO classes, nested product included, coercing nothing', () => {
    const record = parseRecord({ ...VALID['ocop-registered'], id: '11111111-1111-4111-8111-111111111111', recognised: { stars: 3, year: 2020 } }) as OcopRegisteredRecord;
    expect(record).toBeInstanceOf(OcopRegisteredRecord);
    expect(record.product).toEqual(product);
    expect(record.recognised).toEqual({ stars: 3, year: 2020 });
    expect(parseRecord(VALID['ocop-rated'])).toBeInstanceOf(OcopRatedRecord);
  });

  it('accepts every business type of Phụ lục 2 and a category written as the appendix does', () => {
    for (const businessType of ['Công ty', 'Hợp tác xã', 'Tổ hợp tác', 'Hộ kinh doanh', 'CSSX', 'Doanh nghiệp', 'Hợp tác xã'.normalize('NFD')]) {
      expect(() => parseRecord({ ...VALID['ocop-registered'], product: { ...product, businessType } })).not.toThrow();
    }
    expect(() => parseRecord({ ...VALID['ocop-registered'], product: { ...product, category: 'Ngành: Thực phẩm Nhóm: Thực phẩm thô sơ, sơ chế. Phân nhóm: Gạo, ngũ cốc' } })).not.toThrow();
  });
});

describe('OCOP records: every problem names its field', () => {
  it('missing fields: each named, nested ones by path', () => {
    expect(problems({ type: 'ocop-rated', ...common })).toMatchObject([
      { field: 'product', reason: 'is required' },
      { field: 'stars', reason: 'is required' },
      { field: 'level', reason: 'is required' },
      { field: 'round', reason: 'is required' },
      { field: 'on', reason: 'is required' },
      { field: 'council', reason: 'is required' },
    ]);
    expect(problems({ type: 'ocop-registered', ...common, product: {}, recognised: {} }).map((p) => p.field)).toMatchObject([
      'product.id', 'product.name', 'product.producer', 'product.businessType', 'product.category', 'product.district', 'recognised.stars', 'recognised.year', 'on',
    ]);
    expect(problems({ type: 'ocop-revoked', ...common, product: 'p', on: '2022-09-15' })).toMatchObject([
      { field: 'reason', reason: 'is required' },
      { field: 'decision', reason: 'is required' },
    ]);
  });

  it('wrong types: nothing is coerced', () => {
    expect(problems({ ...VALID['ocop-rated'], stars: '3', level: 3, round: 1, on: 20220825, council: ['x'] })).toMatchObject([
      { field: 'stars', reason: 'must be a whole number from 1 to 5' },
      { field: 'level', reason: 'must be one of district, province, national' },
      { field: 'round', reason: 'must be a string' },
      { field: 'on', reason: 'must be a date YYYY-MM-DD' },
      { field: 'council', reason: 'must be a string' },
    ]);
    expect(problems({ ...VALID['ocop-rated'], stars: 3.5 })).toMatchObject([{ field: 'stars', reason: 'must be a whole number from 1 to 5' }]);
    expect(problems({ ...VALID['ocop-rated'], stars: 0 })).toMatchObject([{ field: 'stars', reason: 'must be a whole number from 1 to 5' }]);
    expect(problems({ ...VALID['ocop-rated'], stars: 6 })).toMatchObject([{ field: 'stars', reason: 'must be a whole number from 1 to 5' }]);
    expect(problems({ ...VALID['ocop-registered'], product: 'nc-banh-phong-tom' })).toMatchObject([{ field: 'product', reason: 'must be an object' }]);
    expect(problems({ ...VALID['ocop-registered'], product: ['nc-banh-phong-tom'] })).toMatchObject([{ field: 'product', reason: 'must be an object' }]);
    expect(problems({ ...VALID['ocop-registered'], product: [product] })).toMatchObject([{ field: 'product', reason: expect.stringMatching(/^is nested too deep/) }]);
    expect(problems({ ...VALID['ocop-rated'], product: { id: 'x' } })).toMatchObject([{ field: 'product', reason: 'must be a string' }]);
    expect(problems({ ...VALID['ocop-registered'], recognised: { stars: 3, year: '2020' } })).toMatchObject([{ field: 'recognised.year', reason: 'must be a whole number, 2000 to 2100' }]);
  });

  it('bad values: product id, date, blank text, business type, category', () => {
    expect(problems({ ...VALID['ocop-rated'], product: 'bánh phồng', on: '25/08/2022', round: '   ' })).toMatchObject([
      { field: 'product', reason: 'must be 1–64 letters, digits, - or _ (the product’s id)' },
      { field: 'round', reason: 'must not be blank' },
      { field: 'on', reason: 'must be a date YYYY-MM-DD' },
    ]);
    expect(problems({ ...VALID['ocop-registered'], product: { ...product, id: '-x', businessType: 'Xưởng', category: 'Thực phẩm chế biến' } })).toMatchObject([
      { field: 'product.id', reason: 'must be 1–64 letters, digits, - or _ (the product’s id)' },
      { field: 'product.businessType', reason: 'must be one of Công ty, Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh, CSSX' },
      { field: 'product.category', reason: expect.stringMatching(/^must read "Ngành: … Nhóm: … Phân nhóm: …"/) },
    ]);
  });

  it('an optional field may be left out, not sent as null', () => {
    expect(problems({ ...VALID['ocop-rated'], decision: null })).toMatchObject([{ field: 'decision', reason: 'must be a string' }]);
    expect(problems({ ...VALID['ocop-registered'], product: { ...product, address: null }, recognised: null })).toMatchObject([
      { field: 'product.address', reason: 'must be a string' },
      { field: 'recognised', reason: 'must be an object' },
    ]);
  });

  it('unknown fields are refused, at the top and inside the product', () => {
    expect(problems({ ...VALID['ocop-revoked'], stars: 3 })).toMatchObject([{ field: 'stars', reason: 'is not a field of this record type' }]);
    expect(problems({ ...VALID['ocop-registered'], product: { ...product, stars: 3 }, recognised: { stars: 3, year: 2020, level: 'province' } })).toMatchObject([
      { field: 'product.stars', reason: 'is not a field of this record type' },
      { field: 'recognised.level', reason: 'is not a field of this record type' },
    ]);
    expect(problems({ ...VALID['ocop-supported'], dimensions: {} })).toMatchObject([{ field: 'dimensions', reason: 'is not a field of this record type' }]);
  });

  it('huge strings are refused by length, naming the field', () => {
    const huge = 'x'.repeat(100_000);
    expect(problems({ ...VALID['ocop-registered'], product: { ...product, name: huge, producer: huge, address: huge, district: huge, category: huge } })).toMatchObject([
      { field: 'product.name', reason: 'must be at most 300 characters' },
      { field: 'product.producer', reason: 'must be at most 300 characters' },
      { field: 'product.address', reason: 'must be at most 500 characters' },
      { field: 'product.category', reason: 'must be at most 500 characters' },
      { field: 'product.district', reason: 'must be at most 200 characters' },
    ]);
    expect(problems({ ...VALID['ocop-revoked'], reason: huge, decision: huge })).toMatchObject([
      { field: 'reason', reason: 'must be at most 2000 characters' },
      { field: 'decision', reason: 'must be at most 200 characters' },
    ]);
    expect(problems({ ...VALID['ocop-rated'], product: 'p'.repeat(65) })).toMatchObject([{ field: 'product', reason: 'must be 1–64 letters, digits, - or _ (the product’s id)' }]);
  });

  it('the common fields are checked as for every record', () => {
    expect(problems({ ...VALID['ocop-supported'], ledger: 'a b', unit: '', id: 'not-a-uuid' }).map((p) => p.field)).toMatchObject(['ledger', 'unit', 'id']);
    expect(problems({ ...VALID['ocop-supported'], type: 'ocop-certified' })[0]).toMatchObject({ field: 'type', reason: expect.stringContaining('ocop-registered, ocop-rated, ocop-upgraded, ocop-downgraded, ocop-revoked, ocop-supported') });
  });
});
