import type { HistoryEntry, HistoryFilter } from '../ledgers/queries/history.query';
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

const SCOPE_WORDS: Record<'zh-CN' | 'vi', Record<keyof HistoryFilter, string> & { all: string; separator: string }> = {
  'zh-CN': { unit: '单位', task: '任务', metric: '指标', product: '产品', all: '全部事件', separator: '，' },
  vi: { unit: 'Đơn vị', task: 'Nhiệm vụ', metric: 'Chỉ tiêu', product: 'Sản phẩm', all: 'Mọi sự kiện', separator: '; ' },
};

/** What a (filtered) history covers, in the programme's language: units and metrics by name. */
function scopeWords(filter: HistoryFilter, ledger: LedgerDefinition): string {
  const words = SCOPE_WORDS[ledger.programme.language] ?? SCOPE_WORDS['zh-CN'];
  const named = (key: keyof HistoryFilter, value: string) =>
    key === 'unit' ? ledger.units.get(value)?.name ?? value : key === 'metric' ? ledger.programme.metrics?.find((m) => m.id === value)?.label ?? value : value;
  const parts = (['unit', 'task', 'metric', 'product'] as const).filter((k) => filter[k]).map((k) => `${words[k]} ${named(k, filter[k]!)}`);
  return parts.length ? parts.join(words.separator) : words.all;
}

/**
 * A ledger's history (already filtered and paged by HistoryQuery) as an xlsx or PDF in the
 * ledger-history layout: units by name, event labels in the programme's language, times in its zone,
 * actors by displayActor; every page footer and the file's metadata carry its pin (HistoryReportQuery).
 */
export async function renderHistory(
  entries: HistoryEntry[], ledger: LedgerDefinition, moment: Moment, filter: HistoryFilter, format: 'xlsx' | 'pdf', known: KnownActors, pin: string,
): Promise<Buffer> {
  const { language, timeZone } = ledger.programme;
  const resolved = resolveReport(loadReportLayout('ledger-history'), {
    asOf: moment.instant,
    language,
    fields: {
      ledgerName: ledger.name,
      asOfDate: writtenDate(localDateOf(moment.instant, ledger.programme.timeZone), language),
      scope: scopeWords(filter, ledger),
      timeZone,
      reportPin: pin,
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
    pin,
  });
  return format === 'xlsx' ? renderXlsx(resolved) : renderPdf(resolved);
}
