import type { HistoryEntry, HistoryFilter } from '../ledgers/queries/history.query';
import type { Moment } from '../audit/moments';
import type { LedgerDefinition } from '../ledgers/ledger-directory';
import { localDateOf, localDateTimeOf } from '../programmes/local-time';
import { displayActor, type KnownActors } from './display-actor';
import { writtenDate } from './data/written-date';
import { langOfTag } from '../i18n/languages';
import { t } from '../i18n/translate';
import { dateIn, eventContent, type ContentWords } from './history-content';
import { loadReportLayout } from './load-layout';
import { renderPdf } from './render-pdf';
import { renderXlsx } from './render-xlsx';
import { resolveReport } from './resolve';

/** What the 内容 column says of an event: a correction by the facts it states, in the terms of the event it corrects. */
function content(type: string, data: Record<string, unknown>, words: ContentWords): string {
  return type === 'SubmissionCorrected' ? eventContent(String(data.correctedType), (data.facts ?? {}) as Record<string, unknown>, words) : eventContent(type, data, words);
}

/** A caller's role as the web names it (管理员, Quản trị viên); a role the catalogue does not know, as recorded. */
function roleLabel(role: string, words: ContentWords): string {
  const label = t(words.lang, `role.${role}`);
  return label === `role.${role}` ? role : label;
}

/** Back-filled history, in the programme's language: the declared date, when it was recorded, and by whom. */
function backfilled(entry: HistoryEntry, words: ContentWords, known: KnownActors): string {
  return t(words.lang, 'history.backfilled', {
    reported: dateIn(words.lang, entry.data.reportedOn),
    recorded: dateIn(words.lang, localDateOf(entry.recordedAt, words.programme.timeZone)),
    by: displayActor(entry.actor, known),
  });
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
 * ledger-history layout: units by name, event labels (the catalogue's `event.*`) and contents (history-content.ts)
 * in the programme's language, times in its zone, actors by displayActor; every page footer and the file's metadata carry its pin (HistoryReportQuery).
 */
export async function renderHistory(
  entries: HistoryEntry[], ledger: LedgerDefinition, moment: Moment, filter: HistoryFilter, format: 'xlsx' | 'pdf', known: KnownActors, products: ReadonlyMap<string, string>, pin: string,
): Promise<Buffer> {
  const { language, timeZone } = ledger.programme;
  const words: ContentWords = { lang: langOfTag(language), programme: ledger.programme, units: ledger.units, products };
  const separator = t(words.lang, 'history.partSeparator');
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
        type: t(words.lang, `event.${e.type}`),
        unit: e.unit === null ? null : ledger.units.get(e.unit)?.name ?? e.unit,
        actor: displayActor(e.actor, known),
        role: e.role === null ? null : roleLabel(e.role, words),
        facts: [content(e.type, e.data, words), typeof e.data.reportedOn === 'string' ? backfilled(e, words, known) : ''].filter(Boolean).join(separator),
        before: e.replaced ? content(e.replaced.type, e.replaced.data, words) : null,
        reason: typeof e.data.reason === 'string' ? e.data.reason : null,
        supersededBy: e.supersededBy,
        late: e.data.late ? 'true' : 'false',
      })),
    },
    pin,
  });
  return format === 'xlsx' ? renderXlsx(resolved) : renderPdf(resolved);
}
