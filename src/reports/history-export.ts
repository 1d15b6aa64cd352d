import type { HistoryEntry } from '../ledgers/queries/history.query';
import type { Moment } from '../audit/moments';
import type { LedgerDefinition } from '../ledgers/ledger-directory';
import { localDateOf, localDateTimeOf } from '../programmes/local-time';
import { displayActor, type KnownActors } from './display-actor';
import { writtenDate } from './data/written-date';
import { loadReportLayout } from './load-layout';
import { renderPdf } from './render-pdf';
import { renderXlsx } from './render-xlsx';
import { resolveReport } from './resolve';

/** An event's facts as `name=value` pairs (nested objects flattened), the ids the row already shows left out. */
function facts(data: Record<string, unknown>): string {
  const { ledgerId: _l, unitId: _u, reason: _r, corrects: _c, correctedType: _t, late: _late, reportedOn: _o, ...rest } = data;
  const flat = (value: unknown, prefix: string): string[] =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k))
      : [`${prefix}=${Array.isArray(value) ? value.join(', ') : String(value)}`];
  return flat(rest.facts ?? rest, '').join('; ');
}

/** Back-filled history, in the programme's language: the declared date, when it was recorded, and by whom. */
function backfilled(entry: HistoryEntry, ledger: LedgerDefinition, known: KnownActors): string {
  const { language, timeZone } = ledger.programme;
  const [reported, recorded] = [String(entry.data.reportedOn), localDateOf(entry.recordedAt, timeZone)].map((d) => writtenDate(d, language));
  const by = displayActor(entry.actor, known);
  return language === 'vi' ? ` (bổ sung: báo cáo ngày ${reported}, ghi nhận ngày ${recorded}, người nhập ${by})` : `（补录：${reported}报送，${recorded}录入，录入人 ${by}）`;
}

/**
 * A ledger's history (already filtered and paged by HistoryQuery) as an xlsx or PDF in the
 * ledger-history layout: units by name, event labels in the programme's language, times in its zone,
 * actors by displayActor.
 */
export async function renderHistory(
  entries: HistoryEntry[], ledger: LedgerDefinition, moment: Moment, scope: string, format: 'xlsx' | 'pdf', known: KnownActors,
): Promise<Buffer> {
  const { language, timeZone } = ledger.programme;
  const resolved = resolveReport(loadReportLayout('ledger-history'), {
    asOf: moment.instant,
    language,
    fields: {
      ledgerName: ledger.name,
      asOfDate: writtenDate(localDateOf(moment.instant, ledger.programme.timeZone), language),
      scope,
      timeZone,
      logPosition: moment.position,
      logDigest: `sha256:${moment.digest}`,
    },
    lists: {
      entries: entries.map((e) => ({
        position: e.position,
        recordedAt: localDateTimeOf(e.recordedAt, timeZone),
        type: e.type,
        unit: e.unit === null ? null : ledger.units.get(e.unit)?.name ?? e.unit,
        actor: displayActor(e.actor, known),
        role: e.role,
        facts: facts(e.data) + (typeof e.data.reportedOn === 'string' ? backfilled(e, ledger, known) : ''),
        before: e.replaced ? facts(e.replaced.data) : null,
        reason: typeof e.data.reason === 'string' ? e.data.reason : null,
        supersededBy: e.supersededBy,
        late: e.data.late ? 'true' : 'false',
      })),
    },
  });
  return format === 'xlsx' ? renderXlsx(resolved) : renderPdf(resolved);
}
