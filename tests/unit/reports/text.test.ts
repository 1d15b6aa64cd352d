import { cleanSum, formatDate, formatNumber, naturalCompare, numberFormatCode, parseText } from '../../../src/reports/text';
import { TextWrapper } from '../../../src/reports/pdf-wrap';

describe('report texts', () => {
  it('parses placeholders, maps and escaped braces', () => {
    expect(parseText('{{x}} {period.fromYear}年{status|statuses}')).toEqual([
      { literal: '{x} ' }, { name: 'period.fromYear' }, { literal: '年' }, { name: 'status', map: 'statuses' },
    ]);
    expect(() => parseText('a } b')).toThrow('unmatched "}" at character 3');
    expect(() => parseText('{a b}')).toThrow('malformed placeholder at character 1');
  });

  it('rounds half away from zero on the decimal value, as Excel displays it', () => {
    expect(formatNumber(1.005, 2, false)).toBe('1.01');
    expect(formatNumber(2.675, 2, true)).toBe('2.68');
    expect(formatNumber(-1.005, 2, false)).toBe('-1.01');
    expect(formatNumber(-0.004, 2, false)).toBe('0.00');
    expect(formatNumber(1234567.5, 0, true)).toBe('1,234,568');
    expect(formatNumber(0.1 + 0.2, 2, true)).toBe('0.30');
    expect(numberFormatCode(2, true)).toBe('#,##0.00');
    expect(numberFormatCode(0, false)).toBe('0');
  });

  it('sums without binary noise and formats local dates', () => {
    expect(cleanSum([0.1, 0.2])).toBe(0.3);
    expect(formatDate('2021-06-30', 'dd/mm/yyyy')).toBe('30/06/2021');
    expect(formatDate('2021-06-30', 'yyyy年mm月dd日')).toBe('2021年06月30日');
  });

  it('orders task numbers naturally and independently of locale', () => {
    const numbers = ['1.10', '1.2', 'II.3', '10', '2', 'I.1', '1.9'];
    expect([...numbers].sort(naturalCompare)).toEqual(['1.2', '1.9', '1.10', '2', '10', 'I.1', 'II.3']);
    expect([3, '1', null, 2].sort(naturalCompare)).toEqual([2, 3, '1', null]);
  });
});

describe('PDF line breaking', () => {
  const font = (w: string) => require.resolve(`@expo-google-fonts/noto-sans-sc/${w}/NotoSansSC_${w}.ttf`);
  const wrapper = new TextWrapper(font('400Regular'), font('700Bold'));

  it('breaks Chinese between characters but never before closing punctuation', () => {
    const lines = wrapper.lines('各省级能源（电力）主管部门牵头，国家能源局各派出机构，各供电企业按职责分工负责', 100, 9, false);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join('')).toBe('各省级能源（电力）主管部门牵头，国家能源局各派出机构，各供电企业按职责分工负责');
    for (const l of lines.slice(1)) expect(l).not.toMatch(/^[，。、）”]/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(Math.floor(100 / 9));
  });

  it('breaks Vietnamese at spaces, keeps newlines, and splits a word wider than the cell', () => {
    const text = 'Sở Nông nghiệp và Phát triển nông thôn';
    const lines = wrapper.lines(text, 80, 9, false);
    expect(lines.join(' ')).toBe(text);
    expect(lines.every((l) => !l.startsWith(' ') && !l.endsWith(' '))).toBe(true);
    expect(wrapper.lines('a\n\nb', 80, 9, false)).toEqual(['a', '', 'b']);
    expect(wrapper.lines('', 80, 9, false)).toEqual(['']);
    expect(wrapper.lines('0123456789012345678901234567890123456789', 40, 9, true).length).toBeGreaterThan(3);
  });
});
