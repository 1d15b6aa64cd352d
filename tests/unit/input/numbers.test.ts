import { decimalsIn, metricValueProblem, parseNumberText, VALUE_LIMIT } from '../../../src/programmes/numbers';

describe('numbers written as text', () => {
  it('reads a Chinese programme’s form: comma groups thousands, point for decimals; full-width too', () => {
    expect(parseNumberText('1520', 'zh-CN')).toEqual({ value: 1520 });
    expect(parseNumberText('1,234,567.25', 'zh-CN')).toEqual({ value: 1234567.25 });
    expect(parseNumberText('１２３', 'zh-CN')).toEqual({ value: 123 });
    expect(parseNumberText('１，２３４．５', 'zh-CN')).toEqual({ value: 1234.5 });
    expect(parseNumberText(' -12.5 ', 'zh-CN')).toEqual({ value: -12.5 });
    expect(parseNumberText('−3', 'zh-CN')).toEqual({ value: -3 });
  });

  it('reads a Vietnamese programme’s form: point groups thousands, comma for decimals', () => {
    expect(parseNumberText('1520', 'vi')).toEqual({ value: 1520 });
    expect(parseNumberText('1.234.567,25', 'vi')).toEqual({ value: 1234567.25 });
    expect(parseNumberText('12,5', 'vi')).toEqual({ value: 12.5 });
    expect(parseNumberText('１．２３４，５', 'vi')).toEqual({ value: 1234.5 });
  });

  it('refuses what is ambiguous or not a number, saying how to write it', () => {
    const zh = 'write digits like 1234.5 or 1,234.5';
    const vi = 'write digits like 1234,5 or 1.234,5';
    expect(parseNumberText('1,5', 'zh-CN')).toMatchObject({ problem: `"1,5" is not a number: ${zh}` });
    expect(parseNumberText('1.5', 'vi')).toMatchObject({ problem: `"1.5" is not a number: ${vi}` });
    for (const text of ['', ' ', '1e3', 'NaN', 'Infinity', '0x10', '1,23', '12,345,67', '--1', '+', '约1500', '1 000']) {
      expect(parseNumberText(text, 'zh-CN')).toMatchObject({ problem: expect.stringContaining('is not a number') });
    }
  });

  it('reads -0 as 0', () => {
    expect(Object.is((parseNumberText('-0', 'zh-CN') as { value: number }).value, 0)).toBe(true);
  });
});

describe('values a metric accepts', () => {
  const households = { unit: '户', min: 0, max: 1e9, integer: true };
  const money = { unit: '万元', min: 0, max: 1e9, decimals: 4 };
  const free = { unit: 'h' };

  it('counts decimals as the shortest form writes them', () => {
    expect([0, 1, 0.5, 0.25, 1e-7, 0.1 + 0.2, 123456.789, 1e21].map(decimalsIn)).toEqual([0, 0, 1, 2, 7, 17, 3, 0]);
  });

  it('accepts values in range to the declared decimals', () => {
    expect(metricValueProblem(households, 0)).toBeNull();
    expect(metricValueProblem(households, 1e9)).toBeNull();
    expect(metricValueProblem(money, 12.3456)).toBeNull();
    expect(metricValueProblem(free, -999_999_999_999.99)).toBeNull();
    expect(metricValueProblem(free, 0.01)).toBeNull();
  });

  it('refuses non-finite values, out of range and imprecise ones, naming the allowed range', () => {
    expect(metricValueProblem(households, Number.NaN)?.problem).toBe('must be a finite number; allowed: 0 ≤ value ≤ 1000000000 户, a whole number');
    expect(metricValueProblem(households, Infinity)?.problem).toMatch(/^must be a finite number/);
    expect(metricValueProblem(households, '12')?.problem).toMatch(/^must be a finite number/);
    expect(metricValueProblem(households, 1e9 + 1)?.problem).toBe('1000000001 is out of range; allowed: 0 ≤ value ≤ 1000000000 户, a whole number');
    expect(metricValueProblem(households, -1)?.problem).toMatch(/^-1 is out of range/);
    expect(metricValueProblem(households, 1.5)?.problem).toBe('1.5 has more decimals than 户 takes; allowed: 0 ≤ value ≤ 1000000000 户, a whole number');
    expect(metricValueProblem(money, 12.34567)?.problem).toBe('12.34567 has more decimals than 万元 takes; allowed: 0 ≤ value ≤ 1000000000 万元, at most 4 decimals');
    expect(metricValueProblem(free, 1e308)?.problem).toBe('1e+308 is out of range; allowed: -1000000000000 < value < 1000000000000 h, at most 2 decimals');
    expect(metricValueProblem(free, 1e29)?.problem).toMatch(/^1e\+29 is out of range/);
    expect(metricValueProblem(free, VALUE_LIMIT)?.problem).toMatch(/is out of range/);
    expect(metricValueProblem(free, -VALUE_LIMIT)?.problem).toMatch(/is out of range/);
    expect(metricValueProblem(free, 0.1 + 0.2)?.problem).toMatch(/^0.30000000000000004 has more decimals/);
    expect(metricValueProblem(free, 5e-324)?.problem).toMatch(/has more decimals/);
  });
});
