import {
  comparePeriods, isWithin, monthsCovered, parsePeriod, periodContaining, periodOf, periodsOfKind, previousYearPeriod,
} from '../../../src/programmes/period';
import { addDays, daysBetween, endOfLocalDay, isLocalDate, isValidTimeZone, localDateOf, startOfLocalDay } from '../../../src/programmes/local-time';

describe('parsePeriod', () => {
  it.each([
    ['2021', 'year', '2021-01-01', '2021-12-31'],
    ['2021-H1', 'half-year', '2021-01-01', '2021-06-30'],
    ['2021-H2', 'half-year', '2021-07-01', '2021-12-31'],
    ['2021-Q1', 'quarter', '2021-01-01', '2021-03-31'],
    ['2021-Q4', 'quarter', '2021-10-01', '2021-12-31'],
    ['2024-02', 'month', '2024-02-01', '2024-02-29'],
    ['2022-02', 'month', '2022-02-01', '2022-02-28'],
    ['2021-12', 'month', '2021-12-01', '2021-12-31'],
    ['2022-9M', 'nine-months', '2022-01-01', '2022-09-30'],
  ])('%s is a %s from %s to %s', (text, kind, start, end) => {
    expect(parsePeriod(text)).toEqual({ ok: true, period: { kind, id: text, year: Number(text.slice(0, 4)), start, end } });
  });

  it.each([
    ['2021-13', 'month-out-of-range', 'month 13 out of range in "2021-13": expected 01…12'],
    ['2021-00', 'month-out-of-range', 'month 00 out of range in "2021-00": expected 01…12'],
    ['2021-Q5', 'quarter-out-of-range', 'quarter Q5 out of range in "2021-Q5": expected Q1…Q4'],
    ['2021-H3', 'half-out-of-range', 'half-year H3 out of range in "2021-H3": expected H1 or H2'],
    ['2021-h1', 'malformed', 'malformed period "2021-h1": expected YYYY, YYYY-H1|H2, YYYY-Q1…Q4, YYYY-01…12 or YYYY-9M'],
    ['2021-1', 'malformed', 'malformed period "2021-1": expected YYYY, YYYY-H1|H2, YYYY-Q1…Q4, YYYY-01…12 or YYYY-9M'],
    ['21', 'malformed', 'malformed period "21": expected YYYY, YYYY-H1|H2, YYYY-Q1…Q4, YYYY-01…12 or YYYY-9M'],
    ['', 'malformed', 'malformed period "": expected YYYY, YYYY-H1|H2, YYYY-Q1…Q4, YYYY-01…12 or YYYY-9M'],
  ])('rejects %s (%s)', (text, code, reason) => {
    expect(parsePeriod(text)).toMatchObject({ ok: false, error: { code, reason } });
  });

  it('rejects a non-string', () => {
    expect(parsePeriod(2021)).toMatchObject({ ok: false, error: { code: 'not-a-string', reason: 'period must be a string, got number' } });
  });

  it('periodOf throws the reason', () => {
    expect(() => periodOf('2021-Q0')).toThrow('quarter Q0 out of range');
  });
});

describe('periods of a kind, containing, previous year, months', () => {
  it('lists the periods of each kind', () => {
    expect(periodsOfKind('quarter', 2021).map((p) => p.id)).toEqual(['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4']);
    expect(periodsOfKind('month', 2021)).toHaveLength(12);
    expect(periodsOfKind('half-year', 2021).map((p) => p.end)).toEqual(['2021-06-30', '2021-12-31']);
    expect(periodsOfKind('nine-months', 2022).map((p) => p.id)).toEqual(['2022-9M']);
    expect(periodsOfKind('year', 2021).map((p) => p.id)).toEqual(['2021']);
  });

  it('finds the period containing a date', () => {
    expect(periodContaining('quarter', '2021-07-01')?.id).toBe('2021-Q3');
    expect(periodContaining('half-year', '2021-06-30')?.id).toBe('2021-H1');
    expect(periodContaining('month', '2021-12-31')?.id).toBe('2021-12');
    expect(periodContaining('year', '2021-03-03')?.id).toBe('2021');
    expect(periodContaining('nine-months', '2022-09-30')?.id).toBe('2022-9M');
    expect(periodContaining('nine-months', '2022-10-01')).toBeNull();
  });

  it('gives the same period a year earlier', () => {
    expect(previousYearPeriod(periodOf('2021-H1')).id).toBe('2020-H1');
    expect(previousYearPeriod(periodOf('2021')).id).toBe('2020');
    expect(previousYearPeriod(periodOf('2025-03')).end).toBe('2024-03-31');
    expect(previousYearPeriod(periodOf('2021-9M')).id).toBe('2020-9M');
  });

  it('lists the months covered, for the (年月—年月) line', () => {
    expect(monthsCovered(periodOf('2021-H1'))).toEqual({
      from: { year: 2021, month: 1 }, to: { year: 2021, month: 6 },
      months: ['2021-01', '2021-02', '2021-03', '2021-04', '2021-05', '2021-06'],
    });
    expect(monthsCovered(periodOf('2021-H2')).months[0]).toBe('2021-07');
    expect(monthsCovered(periodOf('2022-9M')).to).toEqual({ year: 2022, month: 9 });
    expect(monthsCovered(periodOf('2021-05')).months).toEqual(['2021-05']);
  });

  it('orders periods by closing and tests containment', () => {
    const ids = ['2021', '2021-H2', '2021-Q4', '2021-9M', '2021-Q3', '2021-01'];
    expect(ids.map(periodOf).sort(comparePeriods).map((p) => p.id)).toEqual(['2021-01', '2021-Q3', '2021-9M', '2021-Q4', '2021-H2', '2021']);
    expect(isWithin(periodOf('2021-05'), periodOf('2021-H1'))).toBe(true);
    expect(isWithin(periodOf('2021-07'), periodOf('2021-H1'))).toBe(false);
    expect(isWithin(periodOf('2021'), periodOf('2021'))).toBe(true);
  });
});

describe('local time', () => {
  it('checks local dates', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2021-02-29')).toBe(false);
    expect(isLocalDate('2021-4-30')).toBe(false);
    expect(isLocalDate('2021-04-31')).toBe(false);
    expect(daysBetween('2021-04-23', '2021-04-30')).toBe(7);
    expect(addDays('2020-12-31', 1)).toBe('2021-01-01');
  });

  it('converts instants to local dates in the zone', () => {
    expect(localDateOf('2020-12-31T17:00:00Z', 'Asia/Shanghai')).toBe('2021-01-01');
    expect(localDateOf('2020-12-31T15:59:59.999Z', 'Asia/Shanghai')).toBe('2020-12-31');
    expect(localDateOf('2026-07-15T16:59:59Z', 'Asia/Ho_Chi_Minh')).toBe('2026-07-15');
    expect(localDateOf('2026-07-15T17:00:00Z', 'Asia/Ho_Chi_Minh')).toBe('2026-07-16');
    expect(localDateOf('2021-03-01T00:30:00+08:00', 'UTC')).toBe('2021-02-28');
    expect(() => localDateOf('yesterday', 'UTC')).toThrow('invalid ISO-8601 instant');
  });

  it('gives the start and end of a local day as instants', () => {
    expect(endOfLocalDay('2020-12-31', 'Asia/Shanghai')).toBe('2020-12-31T15:59:59.999Z');
    expect(startOfLocalDay('2021-01-01', 'Asia/Shanghai')).toBe('2020-12-31T16:00:00.000Z');
    expect(endOfLocalDay('2026-07-15', 'Asia/Ho_Chi_Minh')).toBe('2026-07-15T16:59:59.999Z');
    // across a daylight-saving change (23-hour day in New York)
    expect(startOfLocalDay('2021-03-14', 'America/New_York')).toBe('2021-03-14T05:00:00.000Z');
    expect(endOfLocalDay('2021-03-14', 'America/New_York')).toBe('2021-03-15T03:59:59.999Z');
  });

  it('checks IANA time zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('asia/shanghai')).toBe(false);
    expect(isValidTimeZone('Asia/Hanoi')).toBe(false);
    expect(isValidTimeZone('+07:00')).toBe(false);
    expect(isValidTimeZone(7)).toBe(false);
  });
});
