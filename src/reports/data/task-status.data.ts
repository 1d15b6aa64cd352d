import { TaskStatusQuery, type TaskStatusRow } from '../../ledgers/queries/task-status.query';
import { commonFields, type ReportDataProvider } from './report-context';
import { writtenDate } from './written-date';
import { periodNameFields } from './submission-timeliness.data';

/**
 * Task status report for a period: tasks × responsible units in the state at the end of the period
 * (or at the as-of date, if the period has not ended), as known at the as-of moment; each row with
 * the latest progress the unit reported, its note (for a blocked task, what blocks it) and evidence.
 */
export const taskStatusData: ReportDataProvider = async (context) => {
  const status = await context.queries.execute(new TaskStatusQuery(context.ledger.ledgerId, context.asOf, { until: context.period.end }));
  const texts = new Map(context.ledger.programme.tasks.map((t) => [t.number, t.text]));
  const language = context.ledger.programme.language;
  return {
    asOf: context.instant,
    language,
    fields: { ...commonFields(context), ...periodNameFields(context.period), statusOnDate: writtenDate(status.statusOn, language) },
    lists: {
      tasks: status.rows.map((row) => ({
        number: row.task,
        text: texts.get(row.task) ?? '',
        unit: row.unitName,
        status: row.status,
        progress: row.progress,
        detail: detail(row, language),
        due: row.due,
        completedOn: row.completedOn,
        late: row.status === 'completed-late' || row.status === 'overdue',
        flag: flag(row),
      })),
    },
  };
};

/** The note and the evidence references, as the unit wrote them; for back-filled history, the date it was declared reported. */
function detail(row: TaskStatusRow, language: string): string | null {
  const vi = language === 'vi';
  const evidence = row.evidence.length === 0 ? '' : vi ? ` (minh chứng: ${row.evidence.join('; ')})` : `（佐证材料：${row.evidence.join('；')}）`;
  const reported = writtenDate(row.reportedOn, language);
  const backfill = reported === null ? '' : vi ? ` (bổ sung, báo cáo ngày ${reported})` : `（补录，原报送日期${reported}）`;
  return `${row.note ?? ''}${evidence}${backfill}`.trim() || null;
}

/** The 督办 colour of a row: overdue, due soon, or behind (blocked — also an ongoing or late task whose unit reports it blocked — or not reported this period). */
function flag(row: TaskStatusRow): string | null {
  if (row.status === 'overdue' || row.status === 'due-soon') return row.status;
  return row.status === 'blocked' || row.status === 'not-reported' || row.progress === 'blocked' ? 'behind' : null;
}
