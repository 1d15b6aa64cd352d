import type { TaskStatusRow } from '../../../src/ledgers/queries/task-status.query';
import { byUrgency, DUE_SOON_DAYS, lightOf } from '../../../src/web/units/task-lights';

type Row = Pick<TaskStatusRow, 'status' | 'progress' | 'daysLeft' | 'due' | 'task'>;
const row = (task: string, status: TaskStatusRow['status'], extra: Partial<Row> = {}): Row => ({ task, status, progress: null, daysLeft: null, due: null, ...extra });

describe('the 督办 light of a task', () => {
  it('lights overdue red, due within 15 days amber, blocked and unreported ongoing tasks as behind, finished ones by whether they were on time', () => {
    expect(lightOf(row('1', 'overdue', { progress: 'blocked', daysLeft: -3 }))).toBe('late');
    expect(lightOf(row('1', 'in-progress', { progress: 'in-progress', daysLeft: DUE_SOON_DAYS }))).toBe('soon');
    expect(lightOf(row('1', 'due-soon', { daysLeft: 0 }))).toBe('soon');
    expect(lightOf(row('1', 'in-progress', { progress: 'in-progress', daysLeft: DUE_SOON_DAYS + 1 }))).toBe('idle');
    expect(lightOf(row('1', 'blocked', { progress: 'blocked', daysLeft: 40 }))).toBe('blocked');
    expect(lightOf(row('1', 'not-reported', { daysLeft: 60 }))).toBe('behind');
    expect(lightOf(row('1', 'reported', { progress: 'in-progress', daysLeft: 60 }))).toBe('ok');
    expect(lightOf(row('1', 'completed-on-time', { progress: 'completed', daysLeft: -100 }))).toBe('ok');
    expect(lightOf(row('1', 'completed-late', { progress: 'completed', daysLeft: -100 }))).toBe('done-late');
    expect(lightOf(row('1', 'not-started'))).toBe('idle');
  });

  it('sorts the most urgent first: overdue by how long past due, then due soon by the nearest date, then the rest, task numbers in natural order', () => {
    const rows = [
      row('10', 'completed-on-time', { progress: 'completed', due: '2021-06-30' }),
      row('2', 'not-started', { due: '2021-12-31', daysLeft: 100 }),
      row('9', 'due-soon', { due: '2021-07-10', daysLeft: 5 }),
      row('3', 'overdue', { due: '2021-05-01', daysLeft: -50 }),
      row('1.10', 'overdue', { due: '2021-03-01', daysLeft: -100 }),
      row('1.9', 'overdue', { due: '2021-03-01', daysLeft: -100 }),
      row('4', 'not-reported', { due: '2021-12-31', daysLeft: 100 }),
    ];
    expect([...rows].sort(byUrgency).map((r) => r.task)).toEqual(['1.9', '1.10', '3', '9', '4', '2', '10']);
  });
});
