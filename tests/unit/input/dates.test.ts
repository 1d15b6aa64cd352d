import { acceptedYears, dateRangeProblem, parseDateText, periodRangeProblem } from '../../../src/programmes/dates';
import { periodOf } from '../../../src/programmes/period';

const nea = { id: 'nea-2021-37', years: { from: 2020, to: 2022 } };

describe('dates written as text', () => {
  it('reads ISO everywhere, and the programme’s local form', () => {
    expect(parseDateText('2021-06-30', 'zh-CN')).toEqual({ date: '2021-06-30' });
    expect(parseDateText('2021-06-30', 'vi')).toEqual({ date: '2021-06-30' });
    expect(parseDateText('2021年6月30日', 'zh-CN')).toEqual({ date: '2021-06-30' });
    expect(parseDateText('２０２１年６月３０日', 'zh-CN')).toEqual({ date: '2021-06-30' });
    expect(parseDateText('30/06/2021', 'vi')).toEqual({ date: '2021-06-30' });
    expect(parseDateText('5/7/2022', 'vi')).toEqual({ date: '2022-07-05' });
    expect(parseDateText('２０２１－０６－３０', 'vi')).toEqual({ date: '2021-06-30' });
  });

  it('refuses other forms and unreal dates, saying what is accepted', () => {
    expect(parseDateText('30/06/2021', 'zh-CN')).toMatchObject({ problem: '"30/06/2021" is not a date: write it as YYYY-MM-DD or YYYY年M月D日' });
    expect(parseDateText('2021年6月30日', 'vi')).toMatchObject({ problem: '"2021年6月30日" is not a date: write it as YYYY-MM-DD or DD/MM/YYYY' });
    for (const text of ['2021/6/30', '2021-6-30', '20210630', '6/30/2021 ', 'tomorrow', '']) expect(parseDateText(text, 'vi')).toHaveProperty('problem');
    expect(parseDateText('31/02/2021', 'vi')).toMatchObject({ problem: '"31/02/2021" is not a real date' });
    expect(parseDateText('2021-13-01', 'zh-CN')).toMatchObject({ problem: '"2021-13-01" is not a real date' });
    expect(parseDateText('0000-01-01', 'zh-CN')).toMatchObject({ problem: '"0000-01-01" is not a real date' });
  });
});

describe('the programme’s years, with a year’s grace either side', () => {
  it('spans the year before the first to the year after the last', () => {
    expect(acceptedYears(nea)).toEqual({ from: 2019, to: 2023 });
  });

  it('refuses dates and periods outside it, naming the range', () => {
    expect(dateRangeProblem('2019-01-01', nea)).toBeNull();
    expect(dateRangeProblem('2023-12-31', nea)).toBeNull();
    expect(dateRangeProblem('0001-01-01', nea)?.problem).toBe('0001-01-01 is outside the dates this programme accepts: 2019-01-01 to 2023-12-31 (programme nea-2021-37 runs 2020–2022, with a year\'s grace either side)');
    expect(dateRangeProblem('2024-01-01', nea)?.problem).toMatch(/^2024-01-01 is outside/);
    expect(periodRangeProblem(periodOf('2021-H1'), nea)).toBeNull();
    expect(periodRangeProblem(periodOf('1900'), nea)?.problem).toMatch(/^1900 is outside the periods this programme accepts: 2019-01-01 to 2023-12-31/);
    expect(periodRangeProblem(periodOf('2025'), nea)?.problem).toMatch(/^2025 is outside/);
    expect(periodRangeProblem(periodOf('2018-Q4'), nea)?.problem).toMatch(/^2018-Q4 is outside/);
  });
});
