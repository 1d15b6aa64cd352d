import { evaluateIndicator, evaluateRule, type MetricValue } from '../../../src/programmes/indicator-rules';
import type { Deadline, IndicatorRule } from '../../../src/programmes/template';

const obs = (metric: string, period: string, value: number, dimensions: Record<string, string> = {}, unit?: string): MetricValue =>
  (unit === undefined ? { metric, period, dimensions, value } : { metric, period, dimensions, value, unit });

describe('compare, with each aggregate', () => {
  const values = [
    obs('benefit.households', '2021-H1', 1520, { service: 'sansheng', unit: 'gd-grid' }, '户'),
    obs('benefit.households', '2021-H1', 480, { service: 'sansheng', unit: 'sz-grid' }, '户'),
    obs('benefit.households', '2021-H1', 900, { service: 'sanling-residential', unit: 'gd-grid' }, '户'),
    obs('benefit.households', '2021-H2', 700, { service: 'sansheng', unit: 'gd-grid' }, '户'),
  ];
  const rule = (aggregate: 'sum' | 'max' | 'min' | 'mean' | 'latest' | 'count', value: number): IndicatorRule =>
    ({ kind: 'compare', metric: 'benefit.households', where: { service: 'sansheng' }, aggregate, op: '>=', value });

  it('sums the observations matching `where` in the period, and names the figure', () => {
    expect(evaluateRule(rule('sum', 2000), values, { period: '2021-H1' })).toEqual({
      verdict: 'met',
      figures: [{ label: 'sum benefit.households [service=sansheng] 2021-H1', value: 2000, target: '>= 2000', unit: '户' }],
    });
    expect(evaluateRule(rule('sum', 2001), values, { period: '2021-H1' }).verdict).toBe('not-met');
  });

  it('uses the sub-periods when the period itself has no observation, the period itself when it has', () => {
    expect(evaluateRule(rule('sum', 0), values, { period: '2021' }).figures[0].value).toBe(2700);
    const withYear = [...values, obs('benefit.households', '2021', 2500, { service: 'sansheng' })];
    expect(evaluateRule(rule('sum', 0), withYear, { period: '2021' }).figures[0].value).toBe(2500);
  });

  it('max, min, mean, count', () => {
    const value = (a: Parameters<typeof rule>[0]) => evaluateRule(rule(a, 0), values, { period: '2021' }).figures[0].value;
    expect([value('max'), value('min'), value('mean'), value('count')]).toEqual([1520, 480, 900, 3]);
  });

  it('latest: by period order, then input order', () => {
    const v = [obs('m', '2021-Q4', 4), obs('m', '2021-Q1', 1), obs('m', '2021-Q3', 3), obs('m', '2021-Q3', 33)];
    const latest: IndicatorRule = { kind: 'compare', metric: 'm', aggregate: 'latest', op: '<=', value: 5 };
    expect(evaluateRule(latest, v, { period: '2021' })).toMatchObject({ verdict: 'met', figures: [{ value: 4 }] });
    expect(evaluateRule(latest, v, { period: '2021-Q3' })).toMatchObject({ verdict: 'not-met', figures: [{ value: 33 }] });
  });

  it('no observations: no-data, except count which is 0', () => {
    expect(evaluateRule(rule('sum', 1), values, { period: '2022' })).toEqual({
      verdict: 'no-data', figures: [{ label: 'sum benefit.households [service=sansheng] 2022', value: null, target: '>= 1' }],
    });
    expect(evaluateRule(rule('count', 1), values, { period: '2022' })).toMatchObject({ verdict: 'not-met', figures: [{ value: 0 }] });
  });

  it('each comparator, and percentages as plain numbers (所有用户报装项目均能够实现线上办电: ≥ 100%)', () => {
    const v = [obs('connection.onlineShare', '2020', 100, {}, '%'), obs('connection.onlineShare', '2020', 99.5, {}, '%')];
    const c = (op: '<=' | '>=' | '=' | '<' | '>', value: number, aggregate: 'min' | 'max' = 'min') =>
      evaluateRule({ kind: 'compare', metric: 'connection.onlineShare', aggregate, op, value }, v, { period: '2020' }).verdict;
    expect(c('>=', 100)).toBe('not-met');
    expect(c('>=', 100, 'max')).toBe('met');
    expect([c('<=', 99.5), c('<', 99.5), c('=', 99.5), c('>', 99), c('>', 99.5)]).toEqual(['met', 'not-met', 'met', 'met', 'not-met']);
  });

  it('rounds computed figures before comparing (0.1 + 0.2 = 0.3)', () => {
    const v = [obs('m', '2021', 0.1), obs('m', '2021', 0.2)];
    expect(evaluateRule({ kind: 'compare', metric: 'm', aggregate: 'sum', op: '=', value: 0.3 }, v, { period: '2021' }).verdict).toBe('met');
  });
});

// Cà Mau's "ít nhất 28 - 30 tổ chức" is an at-least rule (tests/unit/programmes/source-meanings.test.ts); a plain
// between binds both ends.
describe('between: an inclusive range, both ends binding', () => {
  const rule: IndicatorRule = { kind: 'between', metric: 'ocop.organisations', aggregate: 'sum', min: 28, max: 30 };
  it.each([[27, 'not-met'], [28, 'met'], [29, 'met'], [30, 'met'], [31, 'not-met']])('%d organisations: %s', (n, verdict) => {
    expect(evaluateRule(rule, [obs('ocop.organisations', '2022', n as number)], { period: '2022' }))
      .toEqual({ verdict, figures: [{ label: 'sum ocop.organisations 2022', value: n, target: '28–30' }] });
  });
});

describe('change against the previous year: NEA task 11 (≤ 11 h, or 同比压缩8%以上)', () => {
  const where = { cityClass: 'major', area: 'rural' };
  const rural: IndicatorRule = {
    kind: 'any',
    rules: [
      { kind: 'compare', metric: 'reliability.outageHours', where, aggregate: 'latest', op: '<=', value: 11 },
      { kind: 'change', metric: 'reliability.outageHours', where, aggregate: 'latest', baseline: 'previous-year', op: '<=', percent: -8 },
    ],
  };
  const hours = (y2020: number | null, y2021: number): MetricValue[] => [
    ...(y2020 === null ? [] : [obs('reliability.outageHours', '2020', y2020, where, 'h')]),
    obs('reliability.outageHours', '2021', y2021, where, 'h'),
    obs('reliability.outageHours', '2021', 1, { cityClass: 'major', area: 'central' }, 'h'),
  ];

  it('met by the hours alone', () => {
    expect(evaluateRule(rural, hours(null, 10.5), { period: '2021' })).toEqual({
      verdict: 'met',
      figures: [{ label: 'latest reliability.outageHours [cityClass=major,area=rural] 2021', value: 10.5, target: '<= 11', unit: 'h' }],
    });
  });

  it('met by a reduction of 8% or more against one year earlier', () => {
    expect(evaluateRule(rural, hours(13.5, 12), { period: '2021' })).toEqual({
      verdict: 'met',
      figures: [
        { label: 'latest reliability.outageHours [cityClass=major,area=rural] 2021', value: 12, target: null, unit: 'h' },
        { label: 'latest reliability.outageHours [cityClass=major,area=rural] 2020', value: 13.5, target: null, unit: 'h' },
        { label: 'change %', value: -11.1111111111, target: '<= -8%' },
      ],
    });
  });

  it('exactly −8% counts (11 h → 10.12 h is −8% despite floating point)', () => {
    const change: IndicatorRule = { kind: 'change', metric: 'reliability.outageHours', where, aggregate: 'latest', baseline: 'previous-year', op: '<=', percent: -8 };
    expect(evaluateRule(change, hours(12.5, 11.5), { period: '2021' }).verdict).toBe('met');
    expect(evaluateRule(change, [obs('reliability.outageHours', '2020', 11, where), obs('reliability.outageHours', '2021', 10.12, where)], { period: '2021' }))
      .toMatchObject({ verdict: 'met', figures: [{}, {}, { value: -8 }] });
  });

  it('not met: above the hours and reduced by less than 8%; figures of both alternatives', () => {
    const r = evaluateRule(rural, hours(13, 12.5), { period: '2021' });
    expect(r.verdict).toBe('not-met');
    expect(r.figures.map((f) => f.value)).toEqual([12.5, 12.5, 13, -3.84615384615]);
  });

  it('no baseline, or a baseline of 0: the change is no-data, so is the `any` when the hours fail', () => {
    expect(evaluateRule(rural, hours(null, 12), { period: '2021' }).verdict).toBe('no-data');
    expect(evaluateRule(rural, hours(0, 12), { period: '2021' }).verdict).toBe('no-data');
  });

  it('half-year against the previous year\'s same half, or an explicit baseline period', () => {
    const change: IndicatorRule = { kind: 'change', metric: 'm', aggregate: 'sum', baseline: 'previous-year', op: '>=', percent: 10 };
    const v = [obs('m', '2020-H1', 100), obs('m', '2020-H2', 50), obs('m', '2021-H1', 110)];
    expect(evaluateRule(change, v, { period: '2021-H1' })).toMatchObject({ verdict: 'met', figures: [{ value: 110 }, { value: 100 }, { value: 10 }] });
    expect(evaluateRule(change, v, { period: '2021-H1', previousPeriod: '2020-H2' })).toMatchObject({ verdict: 'met', figures: [{}, { value: 50 }, { value: 120 }] });
  });

  it('all of the areas must pass', () => {
    const all: IndicatorRule = {
      kind: 'all',
      rules: [rural, { kind: 'compare', metric: 'reliability.outageHours', where: { cityClass: 'major', area: 'central' }, aggregate: 'latest', op: '<=', value: 1 }],
    };
    expect(evaluateRule(all, hours(13.5, 12), { period: '2021' }).verdict).toBe('met');
    const failing = evaluateRule(all, [...hours(13.5, 12), obs('reliability.outageHours', '2021', 1.2, { cityClass: 'major', area: 'central' }, 'h')], { period: '2021' });
    expect(failing).toEqual({
      verdict: 'not-met',
      figures: [{ label: 'latest reliability.outageHours [cityClass=major,area=central] 2021', value: 1.2, target: '<= 1', unit: 'h' }],
    });
  });
});

describe('`where` lists: any of the allowed values ("đạt 3 - 4 sao", "từ 3 sao trở lên")', () => {
  const rated = [
    obs('ocop.rated', '2022', 5, { stars: '2', kind: 'new' }),
    obs('ocop.rated', '2022', 20, { stars: '3', kind: 'new' }),
    obs('ocop.rated', '2022', 8, { stars: '4', kind: 'new' }),
    obs('ocop.rated', '2022', 1, { stars: '5', kind: 'new' }),
    obs('ocop.rated', '2022', 4, { stars: '4', kind: 'upgraded' }),
  ];
  const rule = (stars: string | string[], value = 28): IndicatorRule =>
    ({ kind: 'compare', metric: 'ocop.rated', where: { kind: 'new', stars }, aggregate: 'sum', op: '>=', value });

  it('sums the observations whose value is in the list, and names the list in the figure', () => {
    expect(evaluateRule(rule(['3', '4']), rated, { period: '2022' })).toEqual({
      verdict: 'met',
      figures: [{ label: 'sum ocop.rated [kind=new,stars=3|4] 2022', value: 28, target: '>= 28' }],
    });
    expect(evaluateRule(rule(['3', '4', '5'], 30), rated, { period: '2022' }).figures[0].value).toBe(29);
    expect(evaluateRule(rule(['3', '4', '5'], 30), rated, { period: '2022' }).verdict).toBe('not-met');
  });

  it('a one-value list is the value itself; an empty list matches nothing', () => {
    expect(evaluateRule(rule(['4']), rated, { period: '2022' }).figures[0].value).toBe(evaluateRule(rule('4'), rated, { period: '2022' }).figures[0].value);
    expect(evaluateRule(rule([]), rated, { period: '2022' })).toMatchObject({ verdict: 'no-data', figures: [{ value: null }] });
  });

  it('latest over several series: the sum of each series’ latest value in the last period (a stock by stars)', () => {
    const stock = [
      obs('ocop.products', '2022-Q3', 10, { stars: '3' }),
      obs('ocop.products', '2022-Q3', 4, { stars: '4' }),
      obs('ocop.products', '2022-Q4', 12, { stars: '3' }),
      obs('ocop.products', '2022-Q4', 5, { stars: '4' }),
      obs('ocop.products', '2022-Q4', 6, { stars: '4' }),
      obs('ocop.products', '2022-Q4', 1, { stars: '5' }),
    ];
    const latest = (where?: Record<string, string | string[]>) =>
      evaluateRule({ kind: 'compare', metric: 'ocop.products', where, aggregate: 'latest', op: '>=', value: 0 }, stock, { period: '2022' }).figures[0].value;
    expect(latest()).toBe(19); // 12 + 6 (the later 4-star figure) + 1
    expect(latest({ stars: ['3', '4'] })).toBe(18);
    expect(latest({ stars: '4' })).toBe(6);
  });
});

describe('ratio: "10% sản phẩm được nâng hạng" (An Giang)', () => {
  const rule: IndicatorRule = {
    kind: 'ratio',
    numerator: { metric: 'ocop.products', where: { change: 'upgraded' }, aggregate: 'count' },
    denominator: { metric: 'ocop.products', aggregate: 'count' },
    op: '>=', percent: 10,
  };
  const products = (upgraded: number, total: number): MetricValue[] => Array.from({ length: total }, (_, i) =>
    obs('ocop.products', '2022', 1, { change: i < upgraded ? 'upgraded' : 'none' }));

  it('met at 10%, not met below, no-data without products', () => {
    expect(evaluateRule(rule, products(3, 30), { period: '2022' })).toEqual({
      verdict: 'met',
      figures: [
        { label: 'count ocop.products [change=upgraded] 2022', value: 3, target: null },
        { label: 'count ocop.products 2022', value: 30, target: null },
        { label: 'ratio %', value: 10, target: '>= 10%' },
      ],
    });
    expect(evaluateRule(rule, products(2, 30), { period: '2022' })).toMatchObject({ verdict: 'not-met', figures: [{}, {}, { value: 6.66666666667 }] });
    expect(evaluateRule(rule, [], { period: '2022' }).verdict).toBe('no-data');
  });
});

describe('any / all with missing data', () => {
  const met: IndicatorRule = { kind: 'compare', metric: 'a', aggregate: 'sum', op: '>=', value: 1 };
  const notMet: IndicatorRule = { kind: 'compare', metric: 'a', aggregate: 'sum', op: '>=', value: 10 };
  const noData: IndicatorRule = { kind: 'compare', metric: 'b', aggregate: 'sum', op: '>=', value: 1 };
  const v = [obs('a', '2021', 5)];
  const verdict = (kind: 'any' | 'all', rules: IndicatorRule[]) => evaluateRule({ kind, rules }, v, { period: '2021' }).verdict;

  it('any: met if one is met, not-met only if all are not-met', () => {
    expect([verdict('any', [notMet, met]), verdict('any', [notMet, notMet]), verdict('any', [notMet, noData])]).toEqual(['met', 'not-met', 'no-data']);
  });

  it('all: not-met if one is not-met, met only if all are met', () => {
    expect([verdict('all', [met, met]), verdict('all', [met, notMet, noData]), verdict('all', [met, noData])]).toEqual(['met', 'not-met', 'no-data']);
  });
});

describe('evaluateIndicator', () => {
  const deadline: Deadline = { kind: 'end-of-year', year: 2022, text: '2022年底前' };
  const rule: IndicatorRule = { kind: 'compare', metric: 'a', aggregate: 'sum', op: '>=', value: 10 };

  it('met counts as met before the deadline; otherwise not yet due until it passes', () => {
    expect(evaluateIndicator({ rule, deadline }, [obs('a', '2021', 12)], { period: '2021', asOfDate: '2022-01-15' }))
      .toMatchObject({ verdict: 'met', basis: 'rule', provisional: 'met', due: '2022-12-31' });
    expect(evaluateIndicator({ rule, deadline }, [obs('a', '2021', 5)], { period: '2021', asOfDate: '2022-01-15' }))
      .toMatchObject({ verdict: 'not-yet-due', provisional: 'not-met', figures: [{ value: 5 }] });
    expect(evaluateIndicator({ rule, deadline }, [obs('a', '2022', 5)], { period: '2022', asOfDate: '2022-12-31' }).verdict).toBe('not-yet-due');
    expect(evaluateIndicator({ rule, deadline }, [obs('a', '2022', 5)], { period: '2022', asOfDate: '2023-01-01' }).verdict).toBe('not-met');
    expect(evaluateIndicator({ rule, deadline }, [], { period: '2022', asOfDate: '2023-01-15' }).verdict).toBe('no-data');
  });

  it('a qualitative standard (no rule) takes the manual assessment, else no-data once due', () => {
    const qualitative = { deadline: { kind: 'end-of-year', year: 2020, text: '2020年底前' } as Deadline };
    expect(evaluateIndicator(qualitative, [], { period: '2020', asOfDate: '2021-01-15', manual: { verdict: 'met', by: 'nea-regulator' } }))
      .toEqual({ verdict: 'met', basis: 'manual', provisional: 'met', due: '2020-12-31', figures: [] });
    expect(evaluateIndicator(qualitative, [], { period: '2020', asOfDate: '2021-01-15', manual: { verdict: 'not-met' } }).verdict).toBe('not-met');
    expect(evaluateIndicator(qualitative, [], { period: '2020', asOfDate: '2021-01-15' }).verdict).toBe('no-data');
    expect(evaluateIndicator(qualitative, [], { period: '2020-H1', asOfDate: '2020-07-15' }).verdict).toBe('not-yet-due');
  });

  it('ongoing indicators (持续推进) are due at the end of the evaluated period; yearly ones in its year; conditions never', () => {
    const ongoing: Deadline = { kind: 'ongoing', every: 'half-year', text: '持续推进' };
    expect(evaluateIndicator({ deadline: ongoing }, [], { period: '2021-H1', asOfDate: '2021-06-30' })).toMatchObject({ verdict: 'not-yet-due', due: '2021-06-30' });
    expect(evaluateIndicator({ deadline: ongoing }, [], { period: '2021-H1', asOfDate: '2021-07-15' }).verdict).toBe('no-data');
    const yearly: Deadline = { kind: 'yearly', month: 1, day: 30, text: 'Định kỳ trước ngày 30/01 hằng năm' };
    expect(evaluateIndicator({ deadline: yearly }, [], { period: '2027', asOfDate: '2027-01-15' }).due).toBe('2027-01-30');
    const condition: Deadline = { kind: 'condition', text: 'sau khi có kinh phí TW' };
    expect(evaluateIndicator({ deadline: condition, rule }, [], { period: '2022', asOfDate: '2022-01-01' })).toMatchObject({ verdict: 'no-data', due: null });
  });
});
