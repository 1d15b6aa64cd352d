import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { HistoryRow } from '../../../projections/history.projection';
import { asOfCondition, type AsOf } from '../../audit/as-of';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { LedgerDirectory } from '../ledger-directory';
import { assertKnownIds } from '../known-ids';

export interface HistoryEntry {
  position: number;
  eventId: string;
  type: string;
  stream: string;
  revision: number;
  unit: string | null;
  recordedAt: string;
  actor: string | null;
  role: string | null;
  correlationId: string | null;
  data: Record<string, unknown>;
  /** For a correction: the event it replaced and that event's facts (the "before"; `data.facts` is the "after"). */
  replaced: { eventId: string; type: string; recordedAt: string; actor: string | null; data: Record<string, unknown> } | null;
  /** The correction that superseded this event, if any by the moment asked. */
  supersededBy: string | null;
}

export interface HistoryPage {
  ledgerId: string;
  entries: HistoryEntry[];
  /** Pass as `after` to read the next page; null at the end. */
  next: number | null;
  /** Pass as `before` to read the previous page; null at the start. */
  previous: number | null;
}

/** Which events of a ledger: those of one unit, about one task, one metric, one OCOP product (all optional). */
export interface HistoryFilter {
  unit?: string;
  task?: string;
  metric?: string;
  product?: string;
}

/** SQL conditions for the filter over history_v1 rows aliased `h` (a correction counts for the task or metric of its facts). */
function filterSql(filter: HistoryFilter): { sql: string; params: string[] } {
  const conditions: [string, string[]][] = [];
  if (filter.unit) conditions.push(['h.unit_id = ?', [filter.unit]]);
  if (filter.task) conditions.push([`(json_extract(h.data, '$.task') = ? OR json_extract(h.data, '$.facts.task') = ?)`, [filter.task, filter.task]]);
  if (filter.metric) conditions.push([`(json_extract(h.data, '$.metric') = ? OR json_extract(h.data, '$.facts.metric') = ?)`, [filter.metric, filter.metric]]);
  if (filter.product) conditions.push([`json_extract(h.data, '$.productId') = ?`, [filter.product]]);
  return { sql: conditions.map(([sql]) => `AND ${sql}`).join(' '), params: conditions.flatMap(([, params]) => params) };
}

/** The events of a ledger (optionally filtered) in log order, corrections shown with what they replaced. */
export class HistoryQuery extends Query<HistoryPage> {
  constructor(
    readonly ledgerId: string,
    /** `after` a position reads forward from it; `before` a position reads the page that ends just before it. */
    readonly options: HistoryFilter & { after?: number; before?: number; limit?: number; asOf?: AsOf } = {},
  ) {
    super();
  }
}

type JoinedRow = HistoryRow & {
  r_event_id: string | null;
  r_type: string | null;
  r_recorded_at: string | null;
  r_actor: string | null;
  r_data: string | null;
  superseded_by: string | null;
};

@QueryHandler(HistoryQuery)
export class HistoryHandler implements IQueryHandler<HistoryQuery, HistoryPage> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, options }: HistoryQuery): Promise<HistoryPage> {
    await this.runner.catchUp();
    assertKnownIds(await this.directory.get(ledgerId), { unit: options.unit, task: options.task, metric: options.metric });
    const limit = Math.min(Math.max(options.limit ?? 1000, 1), 10000);
    const moment = asOfCondition(options.asOf ?? { kind: 'now' }, 'h.position', 'h.recorded_at');
    const later = asOfCondition(options.asOf ?? { kind: 'now' }, 's.position', 's.recorded_at');
    const filter = filterSql(options);
    const backward = options.before !== undefined;
    const fetched = this.db
      .prepare(
        `SELECT h.*, r.event_id AS r_event_id, r.type AS r_type, r.recorded_at AS r_recorded_at, r.actor AS r_actor, r.data AS r_data,
           (SELECT s.event_id FROM history_v1 s WHERE s.corrects = h.event_id AND ${later.sql} ORDER BY s.position LIMIT 1) AS superseded_by
         FROM history_v1 h LEFT JOIN history_v1 r ON r.event_id = h.corrects
         WHERE h.ledger_id = ? AND ${backward ? 'h.position < ?' : 'h.position > ?'} ${filter.sql} AND ${moment.sql}
         ORDER BY h.position ${backward ? 'DESC' : ''} LIMIT ?`,
      )
      .all(...later.params, ledgerId, backward ? options.before : (options.after ?? 0), ...filter.params, ...moment.params, limit + 1) as JoinedRow[];
    const more = fetched.length > limit;
    const page = backward ? fetched.slice(0, limit).reverse() : fetched.slice(0, limit);
    // Whether any entry comes before the page (read backward, the extra row says so).
    const earlier = backward
      ? more
      : page.length > 0 &&
        this.db
          .prepare(`SELECT 1 FROM history_v1 h WHERE h.ledger_id = ? AND h.position < ? ${filter.sql} AND ${moment.sql} LIMIT 1`)
          .get(ledgerId, page[0].position, ...filter.params, ...moment.params) !== undefined;
    return {
      ledgerId,
      entries: page.map((row) => ({
        position: row.position,
        eventId: row.event_id,
        type: row.type,
        stream: row.stream,
        revision: row.revision,
        unit: row.unit_id,
        recordedAt: row.recorded_at,
        actor: row.actor,
        role: row.role,
        correlationId: row.correlation_id,
        data: JSON.parse(row.data),
        replaced: row.r_event_id
          ? { eventId: row.r_event_id, type: row.r_type!, recordedAt: row.r_recorded_at!, actor: row.r_actor, data: JSON.parse(row.r_data!) }
          : null,
        supersededBy: row.superseded_by,
      })),
      next: (backward ? page.length > 0 : more) ? page[page.length - 1].position : null,
      previous: earlier ? page[0].position : null,
    };
  }
}
