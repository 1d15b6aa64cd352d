import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { calendarEntryFor, dueDate, owedReports, reportsDueBetween } from '../../../src/programmes/calendar';
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

  it('An Giang: 6-monthly before 30/5 and yearly before 30/11, quarterly after each quarter', () => {
    const angiang = programme('angiang-ocop-2022');
    const due = Object.fromEntries(owedReports(angiang).map((r) => [r.period.id, r.due]));
    expect(due['2022-H1']).toBe('2022-05-30');
    expect(due['2022']).toBe('2022-11-30');
    expect(Object.keys(due).filter((id) => /Q\d$/.test(id))).toEqual(['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4']);
  });

  it('Cà Mau: monthly, quarterly, 6-monthly, 9-monthly and yearly reports', () => {
    const owed = owedReports(programme('camau-ocop-2022'));
    const kinds = new Map<string, number>();
    owed.forEach((r) => kinds.set(r.period.kind, (kinds.get(r.period.kind) ?? 0) + 1));
    expect(Object.fromEntries(kinds)).toEqual({ month: 12, quarter: 4, 'half-year': expect.any(Number), 'nine-months': 1, year: 1 });
    expect(owed.map((r) => r.due)).toEqual([...owed.map((r) => r.due)].sort());
  });

  it('lists the reports that fell due in a window, so a scheduler catches up what it missed', () => {
    expect(reportsDueBetween(nea, '2021-07-15', '2022-07-15').map((r) => `${r.period.id}@${r.due}`)).toEqual(['2021@2022-01-15', '2022-H1@2022-07-15']);
    expect(reportsDueBetween(nea, null, '2021-07-14').map((r) => r.period.id)).toEqual(['2020-H1', '2020']);
  });
});
