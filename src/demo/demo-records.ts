import { uuidFromKey } from '../event-sourcing/key-uuid';
import type { LedgerDefinition } from '../ledgers/ledger-directory';
import { calendarEntryFor, dueDate } from '../programmes/calendar';
import { fixedDueDate } from '../programmes/deadline';
import { addDays } from '../programmes/local-time';
import { periodsOfKind } from '../programmes/period';
import type { Metric, ProgrammeTemplate, Task } from '../programmes/template';
import { chance, pick } from './demo-random';

type DemoRecord = Record<string, unknown> & { id: string; type: string; ledger: string; unit: string };

const NOTES: Record<string, string[]> = {
  'zh-CN': ['已制定实施方案并按计划推进', '已完成，相关文件已印发', '正在组织实施，部分地市已完成', '因配套资金未到位，进度滞后'],
  vi: ['Đã ban hành kế hoạch và triển khai theo tiến độ', 'Đã hoàn thành, có văn bản kèm theo', 'Đang triển khai, một số địa phương đã hoàn thành', 'Chậm tiến độ do chưa bố trí kinh phí'],
};

/** A note that says what the status says: the plan under way, done, partly done, or what blocks it; none before the start. */
function noteFor(status: string, language: string, key: string, on: string): { note?: string } {
  const [planned, done, partly, blocked] = NOTES[language];
  if (status === 'not-started') return {};
  return { note: status === 'completed' ? done : status === 'blocked' ? blocked : pick([planned, partly], key, on) };
}

const minDate = (a: string, b: string) => (a < b ? a : b);

/**
 * The demo's history is back-filled (recorded today, about past years), so each record declares the
 * day it was originally reported (`reportedOn`, which the demo may, as the system acts as admin):
 * progress within a week of the day it is about; figures mostly in the days before their due date,
 * one in eight some days late. Timeliness figures then read as a real season would.
 */
function figureReportedOn(due: string, key: string, today: string): string {
  const late = chance(key, 'late') < 0.125;
  return minDate(addDays(due, late ? 1 + Math.floor(chance(key, 'days') * 30) : -Math.floor(chance(key, 'days') * 12)), today);
}

/** The last day a task may be reported on in the demo: its due date, or the programme's last year, never after today. */
function reportDay(task: Task, template: ProgrammeTemplate, today: string, key: string): string {
  const due = fixedDueDate(task.deadline) ?? `${Math.min(template.years.to, Number(today.slice(0, 4)))}-06-30`;
  const late = chance(key, 'late') < 0.2 ? 20 + Math.floor(chance(key, 'days') * 60) : -Math.floor(chance(key, 'days') * 90);
  const day = addDays(due, late);
  const start = `${template.years.from}-01-15`;
  return day < start ? start : day > today ? today : day;
}

/** The days a unit reports a task on: once for a one-off task, every period (or year) for a recurring one, never after today. */
function reportDays(task: Task, template: ProgrammeTemplate, today: string, key: string): string[] {
  const lastYear = Math.min(template.years.to, Number(today.slice(0, 4)));
  if (task.deadline.kind === 'ongoing') {
    const kind = task.deadline.every;
    const periods = Array.from({ length: lastYear - template.years.from + 1 }, (_, i) => periodsOfKind(kind, template.years.from + i)).flat();
    return periods
      .filter((p) => p.start <= today)
      .map((p) => addDays(p.end < today ? p.end : today, -Math.floor(chance(key, p.id) * 10)))
      .filter((day) => day >= `${template.years.from}-01-01`);
  }
  if (task.deadline.kind === 'yearly') {
    const { month, day } = task.deadline;
    return Array.from({ length: lastYear - template.years.from + 1 }, (_, i) => template.years.from + i)
      .map((year) => addDays(`${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, 28)).padStart(2, '0')}`, -Math.floor(chance(key, year) * 20)))
      .filter((day) => day <= today);
  }
  return [reportDay(task, template, today, key)];
}

/** A season of progress: most lead units and some co-operating units report, most complete; some are late, some blocked. */
function progress(ledger: LedgerDefinition, today: string): DemoRecord[] {
  const template = ledger.programme;
  const records: DemoRecord[] = [];
  for (const task of template.tasks) {
    for (const unit of ledger.units.values()) {
      const lead = task.lead.includes(unit.role);
      if (!lead && !task.cooperating.includes(unit.role)) continue;
      const key = `${ledger.ledgerId}/${task.number}/${unit.id}`;
      const roll = chance(key);
      if (roll < (lead ? 0.08 : 0.5)) continue;
      const recurring = task.deadline.kind === 'ongoing' || task.deadline.kind === 'yearly';
      for (const on of reportDays(task, template, today, key)) {
        const status = recurring ? (chance(key, on) < 0.8 ? 'completed' : 'in-progress') : roll < 0.7 ? 'completed' : roll < 0.9 ? 'in-progress' : roll < 0.96 ? 'blocked' : 'not-started';
        records.push({
          id: uuidFromKey('demo', `${key}/progress/${on}`),
          type: 'progress',
          ledger: ledger.ledgerId,
          unit: unit.id,
          task: task.number,
          status,
          on,
          ...noteFor(status, template.language, key, on),
          evidence: status === 'completed' ? [`${template.language === 'vi' ? 'Văn bản số' : '文号'} ${100 + Math.floor(chance(key, on, 'doc') * 900)}/${on.slice(0, 4)}`] : [],
          reportedOn: minDate(addDays(on, Math.floor(chance(key, on, 'lag') * 8)), today),
        });
      }
    }
  }
  return records;
}

/** Figures for every submitted metric, each period of the programme's calendar up to today, from every supply company (NEA) . */
function metrics(ledger: LedgerDefinition, today: string): DemoRecord[] {
  const template = ledger.programme;
  const reporters = [...ledger.units.values()].filter((u) => u.role === 'supply-company');
  const records: DemoRecord[] = [];
  const kinds = [...new Set(template.calendar.map((c) => c.period))];
  for (const metric of template.metrics ?? []) {
    if (metric.derivedFrom) continue;
    for (let year = template.years.from; year <= Math.min(template.years.to, Number(today.slice(0, 4))); year++) {
      for (const period of kinds.flatMap((kind) => periodsOfKind(kind, year)).filter((p) => p.end < today && calendarEntryFor(template, p))) {
        for (const unit of reporters) {
          for (const dimensions of combinations(metric)) {
            const key = `${ledger.ledgerId}/${metric.id}/${period.id}/${unit.id}/${JSON.stringify(dimensions)}`;
            records.push({
              id: uuidFromKey('demo', key),
              type: 'metric',
              ledger: ledger.ledgerId,
              unit: unit.id,
              period: period.id,
              metric: metric.id,
              dimensions,
              value: sampleValue(metric, key, period.kind === 'year' ? 2 : 1),
              reportedOn: figureReportedOn(dueDate(calendarEntryFor(template, period)!, period), key, today),
            });
          }
        }
      }
    }
  }
  return records;
}

function combinations(metric: Metric): Record<string, string>[] {
  return (metric.dimensions ?? []).reduce<Record<string, string>[]>(
    (all, dimension) => all.flatMap((partial) => dimension.values.map((v) => ({ ...partial, [dimension.id]: v.id }))),
    [{}],
  );
}

function sampleValue(metric: Metric, key: string, scale: number): number {
  const r = chance(key);
  if (metric.unit.includes('%') || /share/i.test(metric.id)) return Math.round(90 + r * 10);
  if (metric.id === 'reliability.outageHours') return Math.round((0.5 + r * 12) * 100) / 100;
  if (/days|steps/i.test(metric.id)) return 1 + Math.floor(r * 6);
  const base = metric.integer ? Math.round(200 + r * 3000) : Math.round((20 + r * 800) * 100) / 100;
  return metric.integer ? base * scale : Math.round(base * scale * 100) / 100;
}

/** A few corrections of earlier figures, each with its reason, as units send them after a review. */
function corrections(figures: DemoRecord[], language: string): DemoRecord[] {
  return figures
    .filter((f) => chance(f.id, 'correct') < 0.01)
    .map((f) => ({
      id: uuidFromKey('demo', `${f.id}/correction`),
      type: 'correction',
      ledger: f.ledger,
      unit: f.unit,
      corrects: f.id,
      reason: language === 'vi' ? 'Điều chỉnh số liệu sau khi rà soát' : '经核查更正统计口径',
      value: typeof f.value === 'number' ? Math.round(f.value * 0.95 * 100) / 100 : f.value,
    }))
    .map((c) => (Number.isInteger(figures.find((f) => f.id === c.corrects)!.value) ? { ...c, value: Math.round(c.value as number) } : c));
}

/** Every demo record of a ledger, in the order a season would bring them. */
export function demoRecords(ledger: LedgerDefinition, today: string): DemoRecord[] {
  const figures = metrics(ledger, today);
  return [...progress(ledger, today), ...figures, ...corrections(figures, ledger.programme.language)];
}
