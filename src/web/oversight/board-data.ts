import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import type { LedgerDefinition } from '../../ledgers/ledger-directory';
import { TaskStatusQuery, type TaskStatusReport } from '../../ledgers/queries/task-status.query';
import { localDateOf } from '../../programmes/local-time';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { ReportDataQuery } from '../../reports/data/report-data.query';
import type { ReportData } from '../../reports/resolved';

export interface BoardData {
  status: TaskStatusReport;
  timeliness: ReportData;
  /** The programme's local date at the moment. */
  asOfDate: string;
}

/** The board's data and the instant of the moment asked (a kept board may have been worked out earlier at the same position). */
export type BoardAt = BoardData & { instant: string };

/** Boards kept: a regulator paging through a 1,000-unit board, a few ledgers or moments open at once. */
const KEPT = 8;

/**
 * What the status board draws from: every (task, unit) status and the reporting rates, as of a
 * moment. Both are fixed by the log position the moment stands at and the local date there (the
 * statuses move with the date, the rates' "missing" at the end of a due day), so they are worked
 * out once per (ledger, position, date) and kept for the next pages of the same board: the
 * 1,000-unit board is 20 pages of 50 units over the same 40,000 statuses.
 */
@Injectable()
export class BoardDataCache {
  private readonly kept = new Map<string, Promise<BoardData>>();

  constructor(
    private readonly queries: QueryBus,
    private readonly runner: ProjectionRunner,
    private readonly moments: Moments,
  ) {}

  async read(ledger: LedgerDefinition, asOf: AsOf): Promise<BoardAt> {
    await this.runner.catchUp();
    const moment = this.moments.resolve(asOf);
    const asOfDate = localDateOf(moment.instant, ledger.programme.timeZone);
    const key = `${ledger.ledgerId}\u0000${moment.position}\u0000${asOfDate}`;
    const known = this.kept.get(key);
    if (known) {
      // Most recently used last, so the oldest goes first.
      this.kept.delete(key);
      this.kept.set(key, known);
      return { ...(await known), instant: moment.instant };
    }
    const data = this.compute(ledger.ledgerId, asOf, asOfDate);
    this.kept.set(key, data);
    data.catch(() => this.kept.delete(key));
    while (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return { ...(await data), instant: moment.instant };
  }

  private async compute(ledgerId: string, asOf: AsOf, asOfDate: string): Promise<BoardData> {
    const status: TaskStatusReport = await this.queries.execute(new TaskStatusQuery(ledgerId, asOf));
    const timeliness: ReportData = await this.queries.execute(new ReportDataQuery(ledgerId, 'submission-timeliness', asOfDate.slice(0, 4), asOf));
    return { status, timeliness, asOfDate };
  }
}
