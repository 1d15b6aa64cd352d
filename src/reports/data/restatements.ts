import type { ReportContext } from './report-context';

interface LateCorrection {
  unit_id: string;
  data: string;
  before: string | null;
}

/**
 * The restatement footnote of a period's report: the late corrections (made after the period
 * locked) in force at the report's moment, each with the unit, the figure before and after, and
 * the reason. Empty when there is none, so the footnote is left out.
 */
export function restatementNote(context: ReportContext): string {
  const rows = context.db
    .prepare(
      `SELECT h.unit_id, h.data, r.data AS before FROM history_v1 h LEFT JOIN history_v1 r ON r.event_id = h.corrects
       WHERE h.ledger_id = ? AND h.type = 'SubmissionCorrected' AND json_extract(h.data, '$.late') IS NOT NULL
         AND json_extract(h.data, '$.facts.period') = ? AND h.position <= ?
       ORDER BY h.position`,
    )
    .all(context.ledger.ledgerId, context.period.id, context.logPosition) as LateCorrection[];
  if (rows.length === 0) return '';
  const vi = context.ledger.programme.language === 'vi';
  const items = rows.map((row) => {
    const data = JSON.parse(row.data) as { reason: string; facts: { metric: string; dimensions: Record<string, string>; value: number } };
    const before = row.before ? (JSON.parse(row.before) as { value?: number; facts?: { value: number } }) : null;
    const was = before?.facts?.value ?? before?.value;
    const unit = context.ledger.units.get(row.unit_id)?.name ?? row.unit_id;
    const label = context.ledger.programme.metrics?.find((m) => m.id === data.facts.metric)?.label ?? data.facts.metric;
    const where = Object.values(data.facts.dimensions).join('/');
    return `${unit} ${label}${where ? `（${where}）` : ''} ${was ?? '—'} → ${data.facts.value}${vi ? ` (lý do: ${data.reason})` : `（理由：${data.reason}）`}`;
  });
  return vi
    ? `Ghi chú: số liệu kỳ này có ${rows.length} điều chỉnh sau khi khóa kỳ: ${items.join('; ')}.`
    : `注：本期数据含期间锁定后的更正 ${rows.length} 项：${items.join('；')}。`;
}
