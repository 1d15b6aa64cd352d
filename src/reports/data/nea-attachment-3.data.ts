import { heldAt } from '../../audit/as-of';
import { bindingKey } from '../bindings';
import { periodFields } from '../period-fields';
import { commonFields, type ReportDataProvider } from './report-context';

const METRICS = ['benefit.households', 'benefit.investmentSaved', 'benefit.salesAdded', 'benefit.capacityAdded'];

/** Attachment 3: each cell the sum over the ledger's units of a benefit metric and service for the period, corrections applied. */
export const neaAttachment3Data: ReportDataProvider = async (context) => {
  const held = heldAt(context.asOf);
  const rows = context.db
    .prepare(
      `SELECT metric_id, json_extract(dimensions, '$.service') AS service, SUM(value) AS total
       FROM metric_values_v2
       WHERE ledger_id = ? AND period = ? AND metric_id IN (${METRICS.map(() => '?').join(',')}) AND ${held.sql}
       GROUP BY metric_id, service`,
    )
    .all(context.ledger.ledgerId, context.period.id, ...METRICS, ...held.params) as { metric_id: string; service: string; total: number }[];
  const values: Record<string, number> = {};
  for (const row of rows) values[bindingKey({ key: row.metric_id, where: { service: row.service } })] = Math.round(row.total * 1e6) / 1e6;
  return { asOf: context.instant, fields: { ...commonFields(context), ...periodFields(context.period.id) }, values };
};
