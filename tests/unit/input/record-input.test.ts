import { readRecordInput } from '../../../src/ledgers/submit/record-input';

const zh = { id: 'nea-2021-37', language: 'zh-CN' as const, years: { from: 2020, to: 2022 } };
const vi = { id: 'angiang-ocop-2022', language: 'vi' as const, years: { from: 2022, to: 2022 } };

describe('the one input step of a record', () => {
  it('reads values in the programme’s language: numbers, local dates, full-width periods; -0 is 0', () => {
    expect(readRecordInput({ value: '１，５２０．５', on: '2021年6月30日', period: '２０２１-H1' }, zh)).toEqual({ record: { value: 1520.5, on: '2021-06-30', period: '2021-H1' }, problems: [] });
    expect(readRecordInput({ value: '1.520,5', on: '30/06/2022' }, vi)).toEqual({ record: { value: 1520.5, on: '2022-06-30' }, problems: [] });
    expect(Object.is(readRecordInput({ value: -0 }, zh).record.value, 0)).toBe(true);
    expect(readRecordInput({ value: 12, on: '2021-06-30' }, zh).record).toEqual({ value: 12, on: '2021-06-30' });
  });

  it('cleans every string at any place in the record, naming each refused one by its path', () => {
    const { record, problems } = readRecordInput(
      { note: 'Đa\u0303', evidence: ['ok', 'bad\u0007'], dimensions: { service: 'x\u202e' }, product: { name: 'Bánh\u2066', district: 'Huyện Năm Căn' } },
      vi,
    );
    expect(record.note).toBe('Đã');
    expect(problems.map((p) => p.field)).toEqual(['evidence[1]', 'dimensions.service', 'product.name']);
  });

  it('refuses dates and periods outside the programme’s years, and values that are not numbers', () => {
    const { problems } = readRecordInput({ value: '1e29', on: '0001-01-01', period: '1900' }, zh);
    expect(problems).toMatchObject([
      { field: 'value', reason: '"1e29" is not a number: write digits like 1234.5 or 1,234.5' },
      { field: 'on', reason: expect.stringMatching(/^0001-01-01 is outside the dates this programme accepts: 2019-01-01 to 2023-12-31/) },
      { field: 'period', reason: expect.stringMatching(/^1900 is outside the periods this programme accepts/) },
    ]);
    expect(readRecordInput({ period: '2025' }, zh).problems).toEqual([{ field: 'period', reason: expect.stringMatching(/^2025 is outside/), message: expect.objectContaining({ key: 'problem.periodOutsideProgramme' }) }]);
    expect(readRecordInput({ period: '2023-H2' }, zh).problems).toEqual([]);
  });

  it('without a programme, reads texts only and leaves the values to the validators', () => {
    expect(readRecordInput({ value: '12', on: '2021年6月30日', note: 'a\r\nb' })).toEqual({ record: { value: '12', on: '2021年6月30日', note: 'a\nb' }, problems: [] });
  });
});
