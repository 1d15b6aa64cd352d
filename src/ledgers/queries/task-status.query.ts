import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { heldAt, type AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { taskStatus, type ProgressReport, type ProgressStatus, type TaskStatus } from '../../programmes/deadline';
import { localDateOf } from '../../programmes/local-time';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { LedgerDirectory } from '../ledger-directory';
import { assertKnownIds } from '../known-ids';

export interface TaskStatusRow {
  task: string;
  section: string | null;
  unit: string;
  unitName: string;
  role: string;
  responsibility: 'lead' | 'cooperating';
  status: TaskStatus;
  /** The latest progress reported (not-started, in-progress, completed, blocked). */
  progress: ProgressStatus | null;
  deadline: string;
  due: string | null;
  completedOn: string | null;
  period: string | null;
  lastReportOn: string | null;
  /** The latest report's note (for a blocked task: what blocks it) and evidence references. */
  note: string | null;
  evidence: readonly string[];
  /** Set when the latest report is back-filled history: the date it was declared originally reported. */
  reportedOn: string | null;
  daysLeft: number | null;
}

/** A progress row as read: task, unit, status, on, recorded at, note, evidence (JSON), back-filled as reported on. */
type ProgressTuple = [string, string, string, string, string, string | null, string, string | null];

const NO_EVIDENCE: readonly string[] = Object.freeze([]);

export interface TaskStatusReport {
  ledgerId: string;
  programmeId: string;
  programmeVersion: number;
  asOf: string;
  /** The local date the statuses are for: the as-of date, or the end of the period asked for if earlier. */
  statusOn: string;
  rows: TaskStatusRow[];
}

/**
 * Status per (task, responsible unit) at a moment: the deadline rules over the progress reports in
 * force then. `filter.until` (a local date) gives the state at the end of that day instead, as
 * known at the moment: a periodic report's state at the end of its period.
 */
export class TaskStatusQuery extends Query<TaskStatusReport> {
  constructor(
    readonly ledgerId: string,
    readonly asOf: AsOf = { kind: 'now' },
    readonly filter: { unit?: string; task?: string; until?: string } = {},
  ) {
    super();
  }
}

@QueryHandler(TaskStatusQuery)
export class TaskStatusHandler implements IQueryHandler<TaskStatusQuery, TaskStatusReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly runner: ProjectionRunner,
    private readonly moments: Moments,
  ) {}

  async execute({ ledgerId, asOf, filter }: TaskStatusQuery): Promise<TaskStatusReport> {
    await this.runner.catchUp();
    const ledger = await this.directory.get(ledgerId, asOf);
    assertKnownIds(ledger, filter);
    const instant = await this.moments.instantOf(asOf);
    const held = heldAt(asOf, 'p');
    // Reports by task, then unit: one read of the ledger's rows as arrays (no object per row).
    const reports = new Map<string, Map<string, ProgressReport[]>>();
    const rows = this.db
      .prepare(
        `SELECT p.task, p.unit_id, p.status, p.on_date, p.recorded_at, p.note, p.evidence, b.reported_on FROM progress_v2 p
         LEFT JOIN backfills_v1 b ON b.event_id = p.event_id
         WHERE p.ledger_id = ? AND (? IS NULL OR p.unit_id = ?) AND (? IS NULL OR p.task = ?) AND ${held.sql} ORDER BY p.position`,
      )
      .raw()
      // A unit's or a task's page reads its own reports, not the whole ledger's.
      .all(ledgerId, filter.unit ?? null, filter.unit ?? null, filter.task ?? null, filter.task ?? null, ...held.params) as ProgressTuple[];
    for (const [task, unit, status, on, recordedAt, note, evidence, reportedOn] of rows) {
      const byUnit = reports.get(task) ?? reports.set(task, new Map()).get(task)!;
      const list = byUnit.get(unit) ?? byUnit.set(unit, []).get(unit)!;
      list.push({ status: status as ProgressStatus, on, recordedAt, note, evidence: evidence === '[]' ? NO_EVIDENCE : (JSON.parse(evidence) as string[]), reportedOn });
    }
    const today = localDateOf(instant, ledger.programme.timeZone);
    // A period that has ended is shown as its last day left it: what was due that day and not done is overdue.
    const dayEnded = filter.until !== undefined && filter.until < today;
    const asOfDate = dayEnded ? filter.until! : today;
    const units = [...ledger.units.values()].filter((u) => !u.retired && (!filter.unit || u.id === filter.unit));
    const result: TaskStatusRow[] = [];
    for (const task of ledger.programme.tasks) {
      if (filter.task && task.number !== filter.task) continue;
      const statusOf = (submissions: ProgressReport[]) => taskStatus({ deadline: task.deadline, programme: ledger.programme, submissions, asOf: instant, asOfDate, dayEnded });
      // Most pairs of a big ledger have no report yet, and those all stand alike: worked out once a task.
      let unreported: ReturnType<typeof taskStatus> | undefined;
      const reportsOfTask = reports.get(task.number);
      for (const unit of units) {
        const responsibility = task.lead.includes(unit.role) ? 'lead' : task.cooperating.includes(unit.role) ? 'cooperating' : null;
        if (!responsibility) continue;
        const submissions = reportsOfTask?.get(unit.id);
        const status = submissions ? statusOf(submissions) : (unreported ??= statusOf([]));
        result.push({
          task: task.number,
          section: task.section ?? null,
          unit: unit.id,
          unitName: unit.name,
          role: unit.role,
          responsibility,
          status: status.status,
          progress: status.progress,
          deadline: task.deadline.text,
          due: status.due,
          completedOn: status.completedOn,
          period: status.period,
          lastReportOn: status.lastReportOn,
          note: status.note,
          evidence: status.evidence,
          reportedOn: status.reportedOn,
          daysLeft: status.daysLeft,
        });
      }
    }
    return { ledgerId, programmeId: ledger.programme.id, programmeVersion: ledger.programmeVersion, asOf: instant, statusOn: asOfDate, rows: result };
  }
}
