import { TaskStatusQuery } from '../../ledgers/queries/task-status.query';
import { commonFields, type ReportDataProvider } from './report-context';

/** Task status report: tasks × responsible units with status, due and completion dates, and the late flag. */
export const taskStatusData: ReportDataProvider = async (context) => {
  const status = await context.queries.execute(new TaskStatusQuery(context.ledger.ledgerId, context.asOf));
  const texts = new Map(context.ledger.programme.tasks.map((t) => [t.number, t.text]));
  return {
    asOf: context.instant,
    language: context.ledger.programme.language,
    fields: commonFields(context),
    lists: {
      tasks: status.rows.map((row) => ({
        number: row.task,
        text: texts.get(row.task) ?? '',
        unit: row.unitName,
        status: row.status,
        due: row.due,
        completedOn: row.completedOn,
        late: row.status === 'completed-late' || row.status === 'overdue',
      })),
    },
  };
};
