import { calendarEntryFor, dueDate } from '../../programmes/calendar';
import { localDateOf } from '../../programmes/local-time';
import type { ReportContext } from './report-context';
import { writtenDate } from './written-date';

/**
 * The back-fill footnote: a period's report that fell due before its ledger was opened can only be
 * drawn afterwards, from what was recorded since (back-filled history included); the report says so.
 * Empty otherwise, so the footnote is left out.
 */
export function backfillNote(context: ReportContext): string {
  const { programme } = context.ledger;
  const entry = calendarEntryFor(programme, context.period);
  const row = context.db.prepare('SELECT opened_at FROM ledgers_v1 WHERE ledger_id = ?').get(context.ledger.ledgerId) as { opened_at: string } | undefined;
  if (!entry || !row) return '';
  const due = dueDate(entry, context.period);
  const opened = localDateOf(row.opened_at, programme.timeZone);
  if (due >= opened) return '';
  const [d, o, a] = [due, opened, context.asOfDate].map((x) => writtenDate(x, programme.language));
  return programme.language === 'vi'
    ? `Ghi chú: báo cáo kỳ này đến hạn ngày ${d}, trước ngày lập sổ theo dõi (${o}); đây là báo cáo lập bổ sung, tính đến ngày ${a}.`
    : `注：本期报表应于${d}报送，早于本台账建立日期（${o}）；本表为建账后补生成，数据截至${a}。`;
}
