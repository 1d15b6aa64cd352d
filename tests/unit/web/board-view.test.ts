import type { TaskStatusRow } from '../../../src/ledgers/queries/task-status.query';
import type { TaskStatus } from '../../../src/programmes/deadline';
import { boardView, STATUS_TONES } from '../../../src/web/oversight/board-view';
import { describeFacts } from '../../../src/web/oversight/history.controller';
import { parseGrantLines } from '../../../src/web/oversight/admin-people.controller';

const row = (task: string, unit: string, status: TaskStatus, extra: Partial<TaskStatusRow> = {}): TaskStatusRow => ({
  task,
  section: task.startsWith('1') ? 'A' : 'B',
  unit,
  unitName: unit.toUpperCase(),
  role: 'r',
  responsibility: 'lead',
  status,
  progress: null,
  deadline: '2020年底前',
  due: '2020-12-31',
  completedOn: null,
  period: null,
  lastReportOn: null,
  note: null,
  evidence: [],
  reportedOn: null,
  daysLeft: null,
  ...extra,
});

describe('the status board view', () => {
  const rows = [
    row('1', 'a', 'overdue', { daysLeft: -3 }),
    row('1', 'b', 'completed-on-time'),
    row('2', 'a', 'overdue', { daysLeft: -30 }),
    row('2', 'c', 'not-reported'),
    row('10', 'c', 'due-soon'),
  ];

  it('lists the overdue pairs most days late first, then by task number as the programme counts (2 before 12)', () => {
    const overdue = [row('12', 'a', 'overdue', { daysLeft: -5 }), row('2', 'b', 'overdue', { daysLeft: -5 }), row('3', 'c', 'overdue', { daysLeft: -9 })];
    expect(boardView(overdue, {}, { offset: 0, limit: 10 }).overdue.map((r) => r.task)).toEqual(['3', '2', '12']);
  });

  it('counts every pair by status, keeps the tasks in order as columns and pages the units', () => {
    const view = boardView(rows, {}, { offset: 1, limit: 1 });
    expect(view.pairs).toBe(5);
    expect(view.counts.overdue).toBe(2);
    expect(view.counts['not-reported']).toBe(1);
    expect(view.tasks).toEqual(['1', '2', '10']);
    expect(view.units).toBe(3);
    expect(view.page.map((u) => u.unit)).toEqual(['b']);
    // The overdue list is over the whole board, most days late first.
    expect(view.overdue.map((r) => `${r.task}/${r.unit}`)).toEqual(['2/a', '1/a']);
  });

  it('filters by unit, task, section and status together', () => {
    expect(boardView(rows, { status: 'overdue' }, { offset: 0, limit: 10 }).page.map((u) => [u.unit, [...u.cells.keys()]])).toEqual([['a', ['1', '2']]]);
    expect(boardView(rows, { section: 'A' }, { offset: 0, limit: 10 }).tasks).toEqual(['1', '10']);
    expect(boardView(rows, { unit: 'c', task: '10' }, { offset: 0, limit: 10 }).pairs).toBe(1);
    expect(boardView(rows, { unit: 'b', status: 'overdue' }, { offset: 0, limit: 10 }).pairs).toBe(0);
  });

  it('gives every status a colour and a glyph, done late apart from done on time', () => {
    expect(STATUS_TONES['completed-late'].tone).not.toBe(STATUS_TONES['completed-on-time'].tone);
    expect(new Set(Object.values(STATUS_TONES).map((t) => t.glyph)).size).toBeGreaterThan(6);
  });
});

describe('the history and people helpers', () => {
  it('spells an event’s facts out, leaving ids and empty lists aside', () => {
    expect(describeFacts({ ledgerId: 'gd', unitId: 'x', metric: 'm', dimensions: { service: 'sansheng' }, value: 3, evidence: [] })).toEqual(['metric: m', 'dimensions: service=sansheng', 'value: 3']);
    // Lists of records (a ledger's units, a report's files) are spelled out, never "[object Object]".
    expect(describeFacts({ units: [{ id: 'gd-grid', role: 'grid' }, { id: 'gz-grid', role: 'grid' }] })).toEqual(['units: id=gd-grid, role=grid; id=gz-grid, role=grid']);
  });

  it('reads grants one a line and names a malformed line', () => {
    expect(parseGrantLines('regulator gd-energy gd-2021\n\nadmin it *\nsubmitter x')).toEqual({
      grants: [
        { role: 'regulator', unit: 'gd-energy', ledger: 'gd-2021' },
        { role: 'admin', unit: 'it', ledger: null },
      ],
      problems: ['4: "submitter x"'],
    });
  });
});
