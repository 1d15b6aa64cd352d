import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CorrectionRecord, MetricRecord, ProgressRecord, type RecordBase } from '../../../src/ledgers/submit/record-dtos';
import { certainlyValid } from '../../../src/ledgers/submit/record-shapes';
import { parseRecord } from '../../../src/ledgers/submit/records';

const DTOS = { progress: ProgressRecord, metric: MetricRecord, correction: CorrectionRecord } as const;
const UUID = '3f0c6d1e-9b2a-4c1d-8e7f-0a1b2c3d4e5f';
const base = { ledger: 'gd-2021', unit: 'gd-grid' };
const valid: Record<keyof typeof DTOS, Record<string, unknown>[]> = {
  progress: [
    { ...base, type: 'progress', task: '4', status: 'completed', on: '2021-06-30' },
    { ...base, type: 'progress', id: UUID, task: 'x'.repeat(32), status: 'blocked', on: '2021-06-30', note: 'n'.repeat(4000), evidence: ['a', 'b'.repeat(500)], reportedOn: '2021-07-01' },
  ],
  metric: [
    { ...base, type: 'metric', period: '2021-H1', metric: 'benefit.households', value: 1520 },
    { ...base, type: 'metric', period: '2021', metric: 'm'.repeat(64), value: -0.5, dimensions: { service: 'sanling-residential' }, reportedOn: '2021-07-10' },
  ],
  correction: [
    { ...base, type: 'correction', corrects: UUID, reason: 'typo' },
    { ...base, type: 'correction', corrects: UUID.toUpperCase(), reason: 'r', value: 3, dimensions: {}, period: '2021-H1', status: 'in-progress', on: '2021-01-02', note: '', evidence: [] },
  ],
};
/** Each breaks one rule of its DTO, or sits where the fast check must hand over to class-validator. */
const handedOver: Record<keyof typeof DTOS, Record<string, unknown>> = {
  progress: { task: '😀'.repeat(20), status: 'done', on: '2021-6-30', note: null, evidence: ['x'.repeat(501)], reportedOn: 20210701, id: 'not-a-uuid', ledger: 'gd 2021', unit: '', extra: 1 },
  metric: { period: 'x'.repeat(17), metric: 7, value: '12', dimensions: { a: 1 }, reportedOn: null, extra: true },
  correction: { corrects: 'nope', reason: ' ', value: Number.POSITIVE_INFINITY, period: null, status: 'x', on: '2021/01/02', evidence: 'a', note: 5 },
};

/** What class-validator alone makes of a record: the instance and its problems. */
function byClassValidator(type: keyof typeof DTOS, record: Record<string, unknown>) {
  const dto: new () => RecordBase = DTOS[type];
  const instance: RecordBase = plainToInstance(dto, record, { enableImplicitConversion: false });
  return { instance, errors: validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: true }) };
}

describe('the fast shape check of unit records', () => {
  it.each(Object.keys(DTOS) as (keyof typeof DTOS)[])('passes the valid %s records, which class-validator passes too, and builds the same instance', (type) => {
    for (const record of valid[type]) {
      expect(certainlyValid(type, record)).toBe(true);
      const { instance, errors } = byClassValidator(type, record);
      expect(errors).toEqual([]);
      const parsed = parseRecord(record);
      expect(parsed).toBeInstanceOf(DTOS[type]);
      expect({ ...parsed }).toEqual({ ...instance, ...(instance.id ? { id: instance.id.toLowerCase() } : {}), ...('corrects' in instance ? { corrects: String(instance.corrects).toLowerCase() } : {}) });
    }
  });

  it.each(Object.keys(DTOS) as (keyof typeof DTOS)[])('hands every %s record breaking (or near) a rule to class-validator, leaving out fields or giving one field wrong', (type) => {
    const [full] = valid[type];
    for (const field of Object.keys(full)) {
      const { [field]: _left, ...without } = full;
      void _left;
      if (certainlyValid(type, without)) expect(byClassValidator(type, without).errors).toEqual([]);
    }
    for (const [field, wrong] of Object.entries(handedOver[type])) {
      const record = { ...full, [field]: wrong };
      expect(certainlyValid(type, record)).toBe(false);
    }
  });

  it('leaves record types without a fast shape (OCOP) to class-validator', () => {
    expect(certainlyValid('ocop-product', { ...base, type: 'ocop-product' })).toBe(false);
  });
});
