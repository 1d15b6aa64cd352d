import { taskStatus, yearlyDueDate, fixedDueDate, type ProgressReport, type TaskStatusInput } from '../../../src/programmes/deadline';
import type { Deadline } from '../../../src/programmes/template';

const NEA = { years: { from: 2020, to: 2022 }, timeZone: 'Asia/Shanghai' };
const DONG_THAP = { years: { from: 2026, to: 2030 }, timeZone: 'Asia/Ho_Chi_Minh' };
const CA_MAU = { years: { from: 2022, to: 2022 }, timeZone: 'Asia/Ho_Chi_Minh' };

const report = (status: ProgressReport['status'], on: string, recordedAt = `${on}T02:00:00Z`): ProgressReport => ({ status, on, recordedAt });

function status(deadline: Deadline, programme: TaskStatusInput['programme'], asOf: string, submissions: ProgressReport[] = [], dueSoonDays?: number) {
  return taskStatus({ deadline, programme, asOf, submissions, dueSoonDays });
}

describe('a fixed date: 2021年4月底前 (NEA task 52)', () => {
  const d: Deadline = { kind: 'date', date: '2021-04-30', text: '2021年4月底前' };

  it('is not started, with the due date and days left', () => {
    expect(status(d, NEA, '2021-03-01T00:00:00Z')).toEqual({
      status: 'not-started', due: '2021-04-30', completedOn: null, period: null, progress: null, lastReportOn: null, note: null, evidence: [], reportedOn: null, daysLeft: 60, asOfDate: '2021-03-01',
    });
  });

  it('is in progress, then due soon within 7 days (or the days given), then overdue the day after', () => {
    const subs = [report('in-progress', '2021-04-01')];
    expect(status(d, NEA, '2021-04-20T00:00:00Z', subs).status).toBe('in-progress');
    expect(status(d, NEA, '2021-04-23T00:00:00Z', subs)).toMatchObject({ status: 'due-soon', daysLeft: 7, progress: 'in-progress' });
    expect(status(d, NEA, '2021-04-20T00:00:00Z', subs, 10).status).toBe('due-soon');
    expect(status(d, NEA, '2021-04-30T15:59:59.999Z', subs)).toMatchObject({ status: 'due-soon', daysLeft: 0, asOfDate: '2021-04-30' });
    expect(status(d, NEA, '2021-04-30T16:00:00Z', subs)).toMatchObject({ status: 'overdue', daysLeft: -1, asOfDate: '2021-05-01' });
  });

  it('is completed on time on the day written, late after it', () => {
    expect(status(d, NEA, '2021-06-01T00:00:00Z', [report('completed', '2021-04-30')])).toMatchObject({ status: 'completed-on-time', completedOn: '2021-04-30' });
    expect(status(d, NEA, '2021-06-01T00:00:00Z', [report('completed', '2021-05-02')])).toMatchObject({ status: 'completed-late', completedOn: '2021-05-02' });
  });

  it('is blocked while not yet due, and overdue once due even if blocked', () => {
    const subs = [report('blocked', '2021-03-10')];
    expect(status(d, NEA, '2021-03-15T00:00:00Z', subs).status).toBe('blocked');
    expect(status(d, NEA, '2021-05-15T00:00:00Z', subs)).toMatchObject({ status: 'overdue', progress: 'blocked' });
  });
});

describe('end of a year: 2020年底前, in the programme time zone', () => {
  const d: Deadline = { kind: 'end-of-year', year: 2020, text: '2020年底前' };

  it('is due on 12-31', () => {
    expect(fixedDueDate(d)).toBe('2020-12-31');
  });

  it('at 2020-12-31T17:00Z it is already 2021-01-01 in Asia/Shanghai: overdue', () => {
    expect(status(d, NEA, '2020-12-31T15:59:59Z')).toMatchObject({ status: 'due-soon', asOfDate: '2020-12-31', daysLeft: 0 });
    expect(status(d, NEA, '2020-12-31T17:00:00Z')).toMatchObject({ status: 'overdue', asOfDate: '2021-01-01', daysLeft: -1 });
  });

  it('a completion recorded 2020-12-31T17:00Z is about 2021-01-01 in Asia/Shanghai: late', () => {
    const late = [report('completed', '2021-01-01', '2020-12-31T17:00:00Z')];
    expect(status(d, NEA, '2020-12-31T17:00:00Z', late)).toMatchObject({ status: 'completed-late', completedOn: '2021-01-01' });
    const onTime = [report('completed', '2020-12-31', '2020-12-31T15:30:00Z')];
    expect(status(d, NEA, '2021-01-15T00:00:00Z', onTime)).toMatchObject({ status: 'completed-on-time', completedOn: '2020-12-31' });
  });
});

describe('a fixed date: Trước ngày 15/7/2026 (Đồng Tháp 1.2)', () => {
  const d: Deadline = { kind: 'date', date: '2026-07-15', text: 'Trước ngày 15/7/2026' };

  it('the day written is the last day allowed, in Asia/Ho_Chi_Minh', () => {
    const done = [report('completed', '2026-07-15', '2026-07-15T16:30:00Z')];
    expect(status(d, DONG_THAP, '2026-08-01T00:00:00Z', done).status).toBe('completed-on-time');
    expect(status(d, DONG_THAP, '2026-07-15T16:59:59Z').status).toBe('due-soon');
    expect(status(d, DONG_THAP, '2026-07-15T17:00:00Z')).toMatchObject({ status: 'overdue', asOfDate: '2026-07-16' });
  });
});

describe('a month window: Tháng 4 - 5/2022 (Cà Mau IV.3)', () => {
  const d: Deadline = { kind: 'window', from: '2022-04-01', to: '2022-05-31', text: 'Tháng 4 - 5/2022' };

  it('is due at the end of its last month', () => {
    expect(status(d, CA_MAU, '2022-03-15T00:00:00Z')).toMatchObject({ status: 'not-started', due: '2022-05-31' });
    expect(status(d, CA_MAU, '2022-05-25T00:00:00Z', [report('in-progress', '2022-04-10')]).status).toBe('due-soon');
    expect(status(d, CA_MAU, '2022-06-01T00:00:00Z', [report('in-progress', '2022-04-10')]).status).toBe('overdue');
    expect(status(d, CA_MAU, '2022-07-01T00:00:00Z', [report('completed', '2022-05-20')]).status).toBe('completed-on-time');
    expect(status(d, CA_MAU, '2022-07-01T00:00:00Z', [report('completed', '2022-06-03')]).status).toBe('completed-late');
  });
});

describe('a yearly date: Định kỳ trước ngày 30/01 hằng năm (Đồng Tháp 1.1)', () => {
  const d: Deadline = { kind: 'yearly', month: 1, day: 30, text: 'Định kỳ trước ngày 30/01 hằng năm' };
  const subs = [report('completed', '2026-01-20'), report('in-progress', '2027-01-05')];

  it('judges the occurrence due this year, counting only reports about this year', () => {
    expect(status(d, DONG_THAP, '2026-03-01T00:00:00Z', subs)).toMatchObject({ status: 'completed-on-time', period: '2026', due: '2026-01-30', completedOn: '2026-01-20' });
    expect(status(d, DONG_THAP, '2027-01-02T00:00:00Z', subs)).toMatchObject({ status: 'not-started', period: '2027', due: '2027-01-30', progress: null });
    expect(status(d, DONG_THAP, '2027-01-10T00:00:00Z', subs)).toMatchObject({ status: 'in-progress', period: '2027', daysLeft: 20 });
    expect(status(d, DONG_THAP, '2027-01-25T00:00:00Z', subs)).toMatchObject({ status: 'due-soon', period: '2027' });
    expect(status(d, DONG_THAP, '2027-01-31T00:00:00Z', subs)).toMatchObject({ status: 'overdue', period: '2027' });
    const late = [...subs, report('completed', '2027-02-03')];
    expect(status(d, DONG_THAP, '2027-03-01T00:00:00Z', late)).toMatchObject({ status: 'completed-late', completedOn: '2027-02-03' });
  });

  it('keeps to the programme years (or firstYear/lastYear)', () => {
    expect(status(d, DONG_THAP, '2025-06-01T00:00:00Z')).toMatchObject({ period: '2026', due: '2026-01-30', status: 'not-started' });
    expect(status(d, DONG_THAP, '2031-06-01T00:00:00Z')).toMatchObject({ period: '2030', status: 'overdue' });
    expect(status({ ...d, firstYear: 2027, lastYear: 2028 }, DONG_THAP, '2026-06-01T00:00:00Z')).toMatchObject({ period: '2027' });
  });

  it('clamps 29 February to the month end', () => {
    expect(yearlyDueDate(2, 29, 2027)).toBe('2027-02-28');
    expect(yearlyDueDate(2, 29, 2028)).toBe('2028-02-29');
  });
});

describe('ongoing: reported / not reported in the current period', () => {
  it('持续推进 every half-year (NEA task 13)', () => {
    const d: Deadline = { kind: 'ongoing', every: 'half-year', text: '持续推进' };
    expect(status(d, NEA, '2021-08-10T00:00:00Z', [report('in-progress', '2021-06-30')])).toEqual({
      status: 'not-reported', due: '2021-12-31', completedOn: null, period: '2021-H2', progress: null, lastReportOn: null, note: null, evidence: [], reportedOn: null, daysLeft: 143, asOfDate: '2021-08-10',
    });
    expect(status(d, NEA, '2021-08-10T00:00:00Z', [report('in-progress', '2021-06-30'), report('in-progress', '2021-07-05')]))
      .toMatchObject({ status: 'reported', period: '2021-H2', progress: 'in-progress', lastReportOn: '2021-07-05' });
    // the half-year changes at local midnight in Asia/Shanghai
    expect(status(d, NEA, '2021-06-30T16:00:00Z').period).toBe('2021-H2');
  });

  it('Thường xuyên every quarter (An Giang), any status counts as a report', () => {
    const d: Deadline = { kind: 'ongoing', every: 'quarter', text: 'Thường xuyên' };
    const AN_GIANG = { years: { from: 2022, to: 2022 }, timeZone: 'Asia/Ho_Chi_Minh' };
    expect(status(d, AN_GIANG, '2022-05-10T00:00:00Z', [report('not-started', '2022-04-02')])).toMatchObject({ status: 'reported', period: '2022-Q2', progress: 'not-started' });
    expect(status(d, AN_GIANG, '2022-07-01T00:00:00Z', [report('completed', '2022-06-30')])).toMatchObject({ status: 'not-reported', period: '2022-Q3' });
  });

  it('Hàng năm every year (Đồng Tháp 2.1), kept to the programme years', () => {
    const d: Deadline = { kind: 'ongoing', every: 'year', text: 'Hàng năm' };
    const subs = [report('completed', '2027-11-30')];
    expect(status(d, DONG_THAP, '2027-12-01T00:00:00Z', subs)).toMatchObject({ status: 'reported', period: '2027', completedOn: '2027-11-30' });
    expect(status(d, DONG_THAP, '2028-01-01T00:00:00Z', subs)).toMatchObject({ status: 'not-reported', period: '2028' });
    expect(status(d, DONG_THAP, '2032-03-01T00:00:00Z')).toMatchObject({ period: '2030' });
    expect(status(d, DONG_THAP, '2025-03-01T00:00:00Z')).toMatchObject({ period: '2026' });
  });
});

describe('a condition: "Định kỳ và đột xuất theo đề nghị của Sở …" (Đồng Tháp 3.1)', () => {
  const d: Deadline = { kind: 'condition', text: 'Định kỳ và đột xuất theo đề nghị của Sở Nông nghiệp và Môi trường' };

  it('has no due date: status from the submissions only', () => {
    expect(status(d, DONG_THAP, '2040-01-01T00:00:00Z')).toMatchObject({ status: 'not-started', due: null, daysLeft: null });
    expect(status(d, DONG_THAP, '2040-01-01T00:00:00Z', [report('in-progress', '2027-01-01')]).status).toBe('in-progress');
    expect(status(d, DONG_THAP, '2040-01-01T00:00:00Z', [report('blocked', '2027-01-01')]).status).toBe('blocked');
    expect(status(d, DONG_THAP, '2040-01-01T00:00:00Z', [report('completed', '2027-01-01')])).toMatchObject({ status: 'completed', completedOn: '2027-01-01' });
  });
});

describe('which submissions count', () => {
  const d: Deadline = { kind: 'end-of-year', year: 2021, text: '2021年底前' };

  it('only those recorded at or before the as-of instant', () => {
    const subs = [report('completed', '2021-06-01', '2021-06-01T10:00:00Z')];
    expect(status(d, NEA, '2021-06-01T09:59:59Z', subs).status).toBe('not-started');
    expect(status(d, NEA, '2021-06-01T10:00:00Z', subs).status).toBe('completed-on-time');
  });

  it('not those about a later day than the as-of date', () => {
    const subs = [report('completed', '2021-06-30', '2021-06-01T00:00:00Z')];
    expect(status(d, NEA, '2021-06-10T00:00:00Z', subs).status).toBe('not-started');
    expect(status(d, NEA, '2021-07-01T00:00:00Z', subs).status).toBe('completed-on-time');
  });

  it('the report about the latest day decides; on the same day the later recorded', () => {
    const backdated = [report('completed', '2021-06-30', '2021-07-01T00:00:00Z'), report('in-progress', '2021-05-01', '2021-07-10T00:00:00Z')];
    expect(status(d, NEA, '2021-08-01T00:00:00Z', backdated).status).toBe('completed-on-time');
    const sameDay = [report('completed', '2021-06-30', '2021-07-01T00:00:00Z'), report('in-progress', '2021-06-30', '2021-07-02T00:00:00Z')];
    expect(status(d, NEA, '2021-08-01T00:00:00Z', sameDay).status).toBe('in-progress');
  });

  it('a reopened task is not completed; the completion date is the first of the final run', () => {
    const reopened = [report('completed', '2021-03-01'), report('in-progress', '2021-04-01')];
    expect(status(d, NEA, '2021-08-01T00:00:00Z', reopened)).toMatchObject({ status: 'in-progress', completedOn: null });
    const run = [report('completed', '2021-03-01'), report('in-progress', '2021-04-01'), report('completed', '2021-05-01'), report('completed', '2021-06-01')];
    expect(status(d, NEA, '2022-08-01T00:00:00Z', run)).toMatchObject({ status: 'completed-on-time', completedOn: '2021-05-01', lastReportOn: '2021-06-01' });
  });

  it('rejects malformed input', () => {
    expect(() => status(d, NEA, 'now')).toThrow('invalid ISO-8601 instant');
    expect(() => status(d, NEA, '2021-01-01T00:00:00Z', [report('completed', '2021-6-1')])).toThrow('invalid progress date');
  });
});

describe('the state at the end of a period, and what the latest report says', () => {
  const d: Deadline = { kind: 'end-of-year', year: 2021, text: '2021年底前' };

  it('on the due day a task is due soon; once that day has ended (a period report after the period), it is overdue', () => {
    const input = { deadline: d, programme: NEA, submissions: [report('in-progress', '2021-06-01')], asOf: '2022-01-20T00:00:00Z', asOfDate: '2021-12-31' };
    expect(taskStatus(input)).toMatchObject({ status: 'due-soon', daysLeft: 0 });
    expect(taskStatus({ ...input, dayEnded: true })).toMatchObject({ status: 'overdue', daysLeft: 0, progress: 'in-progress' });
    expect(taskStatus({ ...input, dayEnded: true, submissions: [report('completed', '2021-12-31')] })).toMatchObject({ status: 'completed-on-time' });
  });

  it('carries the latest report’s note (what blocks it) and evidence', () => {
    const blocked = { ...report('blocked', '2021-05-01'), note: '等待审批', evidence: ['粤能〔2021〕1号'] };
    expect(status(d, NEA, '2021-06-01T00:00:00Z', [report('in-progress', '2021-03-01'), blocked])).toMatchObject({
      status: 'blocked', progress: 'blocked', note: '等待审批', evidence: ['粤能〔2021〕1号'],
    });
  });
});
