import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { calendarEntryFor, dueDate, owedReports, owesReport, reportsDueBetween } from '../../../src/programmes/calendar';
import { periodOf } from '../../../src/programmes/period';
import type { ProgrammeTemplate } from '../../../src/programmes/template';

const programme = (id: string) => parse(readFileSync(join(__dirname, `../../../templates/programmes/${id}.yaml`), 'utf8')) as ProgrammeTemplate;

describe('reporting calendar', () => {
  const nea = programme('nea-2021-37');

  it('NEA: the half-year report (H1 only) is due 15 July, the annual one 15 January of the next year', () => {
    expect(dueDate(calendarEntryFor(nea, periodOf('2021-H1'))!, periodOf('2021-H1'))).toBe('2021-07-15');
    expect(calendarEntryFor(nea, periodOf('2021-H2'))).toBeUndefined();
    expect(dueDate(calendarEntryFor(nea, periodOf('2021'))!, periodOf('2021'))).toBe('2022-01-15');
  });

  it('An Giang: yearly before 30/11, quarterly after each quarter, from the plan of June 2022 on', () => {
    const angiang = programme('angiang-ocop-2022');
    const due = Object.fromEntries(owedReports(angiang).map((r) => [r.period.id, r.due]));
    // The plan is dated "ngày tháng 6 năm 2022": Q1 (ended 31/3) and the 6-month report (due 30/5) fell before it.
    expect(due['2022-H1']).toBeUndefined();
    expect(due['2022']).toBe('2022-11-30');
    expect(Object.keys(due).filter((id) => /Q\d$/.test(id))).toEqual(['2022-Q2', '2022-Q3', '2022-Q4']);
    expect(due['2022-Q2']).toBe('2022-07-10');
  });

  it('Cà Mau: monthly, quarterly, 6-monthly, 9-monthly and yearly reports, from the plan of 02/3/2022 on', () => {
    // "Kế hoạch số: 47 /KH-UBND ngày 02/3/2022": no January or February report; "06 tháng" is H1 only (the year covers H2).
    const owed = owedReports(programme('camau-ocop-2022'));
    const kinds = new Map<string, number>();
    owed.forEach((r) => kinds.set(r.period.kind, (kinds.get(r.period.kind) ?? 0) + 1));
    expect(Object.fromEntries(kinds)).toEqual({ month: 10, quarter: 4, 'half-year': 1, 'nine-months': 1, year: 1 });
    expect(owed.filter((r) => r.period.kind === 'month')[0].period.id).toBe('2022-03');
    expect(owed.map((r) => r.due)).toEqual([...owed.map((r) => r.due)].sort());
  });

  it('lists the reports that fell due in a window, so a scheduler catches up what it missed', () => {
    expect(reportsDueBetween(nea, '2021-07-15', '2022-07-15').map((r) => `${r.period.id}@${r.due}`)).toEqual(['2021@2022-01-15', '2022-H1@2022-07-15']);
    // The notice is dated 2021-03-29: nothing for 2020 (H1 due 2020-07-15, the year due 2021-01-15) is owed.
    expect(reportsDueBetween(nea, null, '2021-07-14').map((r) => r.period.id)).toEqual([]);
    expect(reportsDueBetween(nea, null, '2021-07-15').map((r) => r.period.id)).toEqual(['2021-H1']);
  });

  it('NEA: only 各省级能源(电力)主管部门 owe the reports, sent to the NEA and copied to its regional office', () => {
    // "各省级能源(电力)主管部门……于每年7月15日前向国家能源局报送……同时抄送国家能源局相关派出机构。"
    for (const entry of nea.calendar) {
      expect(entry.owedBy).toEqual(['energy-authority']);
      expect(entry.recipients).toEqual({ to: ['国家能源局'], copy: ['国家能源局相关派出机构'] });
      const responsible = new Set(nea.tasks.flatMap((t) => [...t.lead, ...t.cooperating]));
      expect(owesReport(entry, 'energy-authority', responsible)).toBe(true);
      expect(owesReport(entry, 'supply-company', responsible)).toBe(false);
    }
  });

  it('a period that ended, or fell due, before the programme was issued is owed by nobody', () => {
    const base = { years: { from: 2022, to: 2022 }, calendar: [{ period: 'quarter' as const, due: { kind: 'after-end' as const, days: 10 }, text: 'x' }] };
    const ids = (date?: string) => owedReports({ ...base, source: { date } }).map((r) => r.period.id);
    expect(ids(undefined)).toEqual(['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4']);
    expect(ids('2022-03-31')).toEqual(['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4']); // Q1 ends the day it is issued
    expect(ids('2022-04-01')).toEqual(['2022-Q2', '2022-Q3', '2022-Q4']);
  });
});
