import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { taskStatus, type ProgressReport } from '../../../src/programmes/deadline';
import { evaluateIndicator, evaluateRule, type MetricValue } from '../../../src/programmes/indicator-rules';
import type { Deadline, IndicatorRule, ProgrammeTemplate } from '../../../src/programmes/template';

const programme = (id: string) => parse(readFileSync(join(__dirname, `../../../templates/programmes/${id}.yaml`), 'utf8')) as ProgrammeTemplate;
const CA_MAU = { years: { from: 2022, to: 2022 }, timeZone: 'Asia/Ho_Chi_Minh' };
const report = (status: ProgressReport['status'], on: string): ProgressReport => ({ status, on, recordedAt: `${on}T02:00:00Z` });
const status = (deadline: Deadline, asOf: string, submissions: ProgressReport[] = []) => taskStatus({ deadline, programme: CA_MAU, asOf, submissions });

describe('"Dự kiến trước ngày 30/6, 30/9" (Cà Mau IV.5.4): two rounds, each with its own due date', () => {
  const d = programme('camau-ocop-2022').tasks.find((t) => t.number === 'IV.5.4')!.deadline;

  it('the first round is judged until its day, 30/6; from 1/7 the second, due 30/9', () => {
    expect(status(d, '2022-06-20T00:00:00Z')).toMatchObject({ status: 'not-started', due: '2022-06-30', period: 'round 1/2' });
    expect(status(d, '2022-06-30T16:59:59Z')).toMatchObject({ due: '2022-06-30', period: 'round 1/2' });
    expect(status(d, '2022-06-30T17:00:00Z')).toMatchObject({ status: 'not-started', due: '2022-09-30', period: 'round 2/2' });
  });

  it('a round done by its date is on time; the second round counts only reports after 30/6', () => {
    const done = [report('completed', '2022-06-28')];
    expect(status(d, '2022-06-29T00:00:00Z', done)).toMatchObject({ status: 'completed-on-time', period: 'round 1/2' });
    expect(status(d, '2022-10-01T00:00:00Z', done)).toMatchObject({ status: 'overdue', due: '2022-09-30', period: 'round 2/2' });
    expect(status(d, '2022-10-05T00:00:00Z', [...done, report('completed', '2022-09-30')])).toMatchObject({ status: 'completed-on-time', completedOn: '2022-09-30' });
    expect(status(d, '2022-10-05T00:00:00Z', [...done, report('completed', '2022-10-02')])).toMatchObject({ status: 'completed-late' });
  });
});

describe('"Dự kiến tháng 5/2022 và tháng 8/2022" (Cà Mau IV.5.1): two months, not May–August', () => {
  const d = programme('camau-ocop-2022').tasks.find((t) => t.number === 'IV.5.1')!.deadline;

  it('is due at the end of May, then at the end of August', () => {
    expect(status(d, '2022-05-10T00:00:00Z')).toMatchObject({ due: '2022-05-31', period: 'round 1/2' });
    // From 1 June the August round is judged (a May–August window would have been one deadline, 31 August).
    expect(status(d, '2022-05-31T17:00:00Z')).toMatchObject({ status: 'not-started', due: '2022-08-31' });
    expect(status(d, '2022-05-31T16:59:59Z', [report('in-progress', '2022-05-02')])).toMatchObject({ status: 'due-soon', due: '2022-05-31' });
  });
});

describe('"Tháng 5/2022 (hoặc sau khi Trung ương có hướng dẫn mới)" (Cà Mau I.6): the date holds, the condition is kept', () => {
  const d = programme('camau-ocop-2022').tasks.find((t) => t.number === 'I.6')!.deadline;

  it('is due 31/5/2022 and overdue on 1/6 when not done, with the condition beside it', () => {
    expect(d).toMatchObject({ condition: 'hoặc sau khi Trung ương có hướng dẫn mới' });
    expect(status(d, '2022-05-31T16:00:00Z')).toMatchObject({ status: 'due-soon', due: '2022-05-31' });
    expect(status(d, '2022-05-31T17:00:00Z')).toMatchObject({ status: 'overdue', due: '2022-05-31' });
  });
});

describe('"Năm 2022 trở về sau" (Cà Mau I.3): every year from 2022 on', () => {
  const d = programme('camau-ocop-2022').tasks.find((t) => t.number === 'I.3')!.deadline;

  it('owes one report a year, 2022 and after the plan\'s year too', () => {
    expect(status(d, '2022-06-01T00:00:00Z')).toMatchObject({ status: 'not-reported', due: '2022-12-31', period: '2022' });
    expect(status(d, '2022-06-01T00:00:00Z', [report('in-progress', '2022-03-15')])).toMatchObject({ status: 'reported', period: '2022' });
    expect(status(d, '2024-03-01T00:00:00Z', [report('in-progress', '2022-03-15')])).toMatchObject({ status: 'not-reported', due: '2024-12-31', period: '2024' });
  });

  it('owes nothing before 2022', () => {
    expect(status(d, '2021-12-01T00:00:00Z')).toMatchObject({ status: 'not-started', period: '2022', due: '2022-12-31' });
  });
});

describe('"ít nhất 28 - 30 tổ chức" and "từ 50 - 70 sản phẩm": met from the lower figure, never capped', () => {
  const organisations = programme('camau-ocop-2022').goals!.find((g) => g.id === 'economic-organisations')!.rule!;
  const products = programme('angiang-ocop-2022').goals!.find((g) => g.id === 'new-products-3-stars')!.rule!;
  const verdict = (rule: IndicatorRule, values: MetricValue[]) => evaluateRule(rule, values, { period: '2022' }).verdict;
  const organisationsAt = (value: number): MetricValue[] => [{ metric: 'ocop.organisations', period: '2022', dimensions: {}, value }];
  const productsAt = (value: number): MetricValue[] => [{ metric: 'ocop.rated', period: '2022', dimensions: { kind: 'new', stars: '3' }, value }];

  it('Cà Mau: 27 is not met, 28 and 30 are met, and so is 31', () => {
    expect([27, 28, 30, 31].map((n) => verdict(organisations, organisationsAt(n)))).toEqual(['not-met', 'met', 'met', 'met']);
    expect(evaluateRule(organisations, organisationsAt(31), { period: '2022' }).figures[0].target).toBe('>= 28 (28–30)');
  });

  it('An Giang: 49 is not met, 50 is met, and more than 70 is met too', () => {
    expect([49, 50, 70, 71, 90].map((n) => verdict(products, productsAt(n)))).toEqual(['not-met', 'met', 'met', 'met', 'met']);
  });

  it('a plain between still binds both ends', () => {
    const between: IndicatorRule = { kind: 'between', metric: 'ocop.organisations', aggregate: 'sum', min: 28, max: 30 };
    expect(verdict(between, organisationsAt(31))).toBe('not-met');
  });
});

describe('NEA indicators judged on the dates their standards write', () => {
  const nea = programme('nea-2021-37');
  const indicator = (n: string) => nea.indicators!.find((i) => i.number === n)!;

  it('30 "2021年4月30日前完成机制的建立" is due 2021-04-30: not met on 1 May, not "not yet due" until 31 December', () => {
    const at = (asOfDate: string) => evaluateIndicator(indicator('30'), [], { period: '2021', asOfDate, manual: { verdict: 'not-met' } });
    expect(at('2021-04-30')).toMatchObject({ verdict: 'not-yet-due', due: '2021-04-30' });
    expect(at('2021-05-01')).toMatchObject({ verdict: 'not-met', due: '2021-04-30' });
    expect(indicator('33').deadline).toMatchObject({ kind: 'date', date: '2021-04-30' });
  });

  it('31 and 32 "2021年5月15日前" are due 2021-05-15', () => {
    for (const n of ['31', '32']) {
      expect(evaluateIndicator(indicator(n), [], { period: '2021', asOfDate: '2021-05-16', manual: { verdict: 'not-met' } })).toMatchObject({ verdict: 'not-met', due: '2021-05-15' });
    }
  });

  it('"除不可抗力外" is kept as the exceptions of indicators 6, 7, 22 and 34', () => {
    expect(nea.indicators!.filter((i) => i.exceptions).map((i) => [i.number, i.exceptions])).toEqual([
      ['6', '除不可抗力外'], ['7', '除不可抗力外'], ['22', '除不可抗力外'], ['34', '除不可抗力外'],
    ]);
  });
});
