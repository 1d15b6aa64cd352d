import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AsOf } from '../../audit/as-of';
import { DomainError } from '../../event-sourcing/domain-error';
import { DEFAULT_DUE_SOON_DAYS } from '../../programmes/deadline';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { LedgerDirectory } from '../ledger-directory';
import { TaskStatusQuery, type TaskStatusRow } from './task-status.query';
import { assertKnownIds } from '../known-ids';
import { problem } from '../../i18n/problem';

export const DEADLINE_LISTS = ['due-soon', 'behind', 'overdue'] as const;
export type DeadlineList = (typeof DEADLINE_LISTS)[number];

/** One (task, responsible unit) pair on a list, with the deadline facts that put it there. */
export interface DeadlineItem {
  task: string;
  section: string | null;
  responsibility: 'lead' | 'cooperating';
  /** The task status at the moment (TaskStatusQuery), and the latest progress reported. */
  status: TaskStatusRow['status'];
  progress: TaskStatusRow['progress'];
  deadline: string;
  due: string | null;
  daysLeft: number | null;
  period: string | null;
  lastReportOn: string | null;
}

export interface UnitDeadlines {
  unit: string;
  unitName: string;
  role: string;
  dueSoon: DeadlineItem[];
  behind: DeadlineItem[];
  overdue: DeadlineItem[];
}

export interface DeadlinesReport {
  ledgerId: string;
  programmeId: string;
  programmeVersion: number;
  asOf: string;
  /** Days ahead that count as due soon. */
  within: number;
  totals: { dueSoon: number; behind: number; overdue: number };
  /** The units with at least one pair on a list, in unit order. */
  units: UnitDeadlines[];
}

export interface DeadlinesFilter {
  unit?: string;
  task?: string;
  /** Only this list (the others come back empty). */
  list?: DeadlineList;
  /** Days ahead that count as due soon (default 7, the task-status rule's). */
  within?: number;
}

/**
 * Who is late, per unit, from the task status at a moment (督办): each (task, responsible unit)
 * pair that is not completed lands on at most one list, the most urgent that applies —
 * overdue (past its due date), due soon (its due date, or an ongoing task's period end, within
 * `within` days), behind (progress reported as blocked, or an ongoing task not reported this period).
 */
export class DeadlinesQuery extends Query<DeadlinesReport> {
  constructor(
    readonly ledgerId: string,
    readonly asOf: AsOf = { kind: 'now' },
    readonly filter: DeadlinesFilter = {},
  ) {
    super();
  }
}

const DONE = new Set<TaskStatusRow['status']>(['completed', 'completed-on-time', 'completed-late', 'reported']);

/** Which list a pair belongs on, if any. */
export function deadlineListOf(row: TaskStatusRow, within: number): DeadlineList | null {
  if (row.status === 'overdue') return 'overdue';
  if (DONE.has(row.status)) return null;
  if (row.daysLeft !== null && row.daysLeft >= 0 && row.daysLeft <= within) return 'due-soon';
  if (row.progress === 'blocked' || row.status === 'not-reported') return 'behind';
  return null;
}

@QueryHandler(DeadlinesQuery)
export class DeadlinesHandler implements IQueryHandler<DeadlinesQuery, DeadlinesReport> {
  constructor(
    private readonly queries: QueryBus,
    private readonly directory: LedgerDirectory,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, asOf, filter }: DeadlinesQuery): Promise<DeadlinesReport> {
    const within = filter.within ?? DEFAULT_DUE_SOON_DAYS;
    if (!Number.isInteger(within) || within < 0 || within > 366) throw new DomainError('invalid', [problem('within', 'problem.daysUpTo', { max: 366 })]);
    if (filter.list !== undefined && !DEADLINE_LISTS.includes(filter.list)) throw new DomainError('invalid', [problem('list', 'problem.mustBeOneOf', { allowed: DEADLINE_LISTS.join(', ') })]);
    await this.runner.catchUp();
    const ledger = await this.directory.get(ledgerId, asOf);
    assertKnownIds(ledger, { unit: filter.unit, task: filter.task });
    // TaskStatusQuery catches the projections up and reads the progress rows that held at the moment.
    const status = await this.queries.execute(new TaskStatusQuery(ledgerId, asOf, { unit: filter.unit, task: filter.task }));
    const byUnit = new Map<string, UnitDeadlines>();
    const totals = { dueSoon: 0, behind: 0, overdue: 0 };
    for (const row of status.rows) {
      const list = deadlineListOf(row, within);
      if (list === null || (filter.list !== undefined && list !== filter.list)) continue;
      let entry = byUnit.get(row.unit);
      if (!entry) byUnit.set(row.unit, (entry = { unit: row.unit, unitName: row.unitName, role: row.role, dueSoon: [], behind: [], overdue: [] }));
      const item: DeadlineItem = {
        task: row.task,
        section: row.section,
        responsibility: row.responsibility,
        status: row.status,
        progress: row.progress,
        deadline: row.deadline,
        due: row.due,
        daysLeft: row.daysLeft,
        period: row.period,
        lastReportOn: row.lastReportOn,
      };
      const key = list === 'due-soon' ? 'dueSoon' : list;
      entry[key].push(item);
      totals[key]++;
    }
    return {
      ledgerId,
      programmeId: status.programmeId,
      programmeVersion: status.programmeVersion,
      asOf: status.asOf,
      within,
      totals,
      units: [...byUnit.values()].sort((a, b) => a.unit.localeCompare(b.unit)),
    };
  }
}
