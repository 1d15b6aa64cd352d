import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { ProgressRow } from '../../../projections/submissions.projection';
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
    const reports = new Map<string, ProgressReport[]>();
    const rows = this.db
      .prepare(
        `SELECT p.task, p.unit_id, p.status, p.on_date, p.recorded_at, p.note, p.evidence, b.reported_on FROM progress_v2 p
         LEFT JOIN backfills_v1 b ON b.event_id = p.event_id
         WHERE p.ledger_id = ? AND (? IS NULL OR p.unit_id = ?) AND (? IS NULL OR p.task = ?) AND ${held.sql} ORDER BY p.position`,
      )
      // A unit's or a task's page reads its own reports, not the whole ledger's.
      .all(ledgerId, filter.unit ?? null, filter.unit ?? null, filter.task ?? null, filter.task ?? null, ...held.params) as (Pick<ProgressRow, 'task' | 'unit_id' | 'status' | 'on_date' | 'recorded_at' | 'note' | 'evidence'> & { reported_on: string | null })[];
    for (const row of rows) {
      const key = `${row.task}\u0000${row.unit_id}`;
      const list = reports.get(key) ?? reports.set(key, []).get(key)!;
      list.push({ status: row.status as ProgressStatus, on: row.on_date, recordedAt: row.recorded_at, note: row.note, evidence: JSON.parse(row.evidence) as string[], reportedOn: row.reported_on });
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
      for (const unit of units) {
        const responsibility = task.lead.includes(unit.role) ? 'lead' : task.cooperating.includes(unit.role) ? 'cooperating' : null;
        if (!responsibility) continue;
        const submissions = reports.get(`${task.number}\u0000${unit.id}`);
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
