import type { Lang } from '../i18n/languages';
import { t, type MessageParams } from '../i18n/translate';
import { localDateTimeOf } from '../programmes/local-time';
import type { ProgrammeTemplate } from '../programmes/template';
import { writtenDate } from './data/written-date';

/** What an event's content is written with: the language, the programme that names tasks and metrics, the ledger's units and OCOP products by name. */
export interface ContentWords {
  lang: Lang;
  programme: Pick<ProgrammeTemplate, 'tasks' | 'metrics' | 'timeZone'>;
  units: ReadonlyMap<string, { name: string }>;
  products: ReadonlyMap<string, string>;
}

type Data = Record<string, unknown>;

/** A task's text is a paragraph: the content names it by its first words. */
const TITLE_LENGTH = 30;

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** A local date as the language writes it: 2021年7月10日, 10/07/2021, 2021-07-10. */
export function dateIn(lang: Lang, date: unknown): string {
  if (typeof date !== 'string' || date === '') return '';
  return lang === 'en' ? date : (writtenDate(date, lang === 'vi' ? 'vi' : 'zh-CN') ?? date);
}

/** 2021-H1 → 2021年上半年 / 6 tháng đầu năm 2021 / H1 2021; a month as 2021年7月. */
export function periodIn(lang: Lang, period: unknown): string {
  const m = /^(\d{4})(?:-(\w+))?$/.exec(text(period));
  if (!m) return text(period);
  const [, year, suffix] = m;
  if (!suffix) return t(lang, 'history.period.year', { year });
  if (/^\d{2}$/.test(suffix)) return t(lang, 'history.period.month', { year, month: lang === 'en' ? suffix : Number(suffix) });
  return t(lang, `history.period.${suffix}`, { year });
}

function taskWords(words: ContentWords, number: unknown): string {
  const task = words.programme.tasks.find((x) => x.number === number);
  const chars = [...(task?.text ?? '')];
  const title = chars.length > TITLE_LENGTH ? `${chars.slice(0, TITLE_LENGTH).join('')}…` : chars.join('');
  return title ? t(words.lang, 'history.task', { number: text(number), title }) : text(number);
}

function metricWords(words: ContentWords, data: Data): string {
  const metric = words.programme.metrics?.find((m) => m.id === data.metric);
  const dims = Object.entries((data.dimensions ?? {}) as Record<string, string>).map(([dim, value]) => {
    const dimension = metric?.dimensions?.find((d) => d.id === dim);
    return dimension?.values.find((v) => v.id === value)?.label ?? value;
  });
  return t(words.lang, 'history.metric', {
    metric: metric?.label ?? text(data.metric),
    dimensions: dims.length ? t(words.lang, 'history.dimensions', { list: dims.join(t(words.lang, 'history.listSeparator')) }) : '',
    period: periodIn(words.lang, data.period),
    value: metric?.unit ? `${text(data.value)} ${metric.unit}` : text(data.value),
  });
}

function progressWords(words: ContentWords, data: Data): string {
  const { lang } = words;
  const evidence = Array.isArray(data.evidence) ? data.evidence.map(text).filter(Boolean) : [];
  return [
    t(lang, 'history.progress', { task: taskWords(words, data.task), status: t(lang, `progress.${text(data.status)}`), on: dateIn(lang, data.on) }),
    data.note ? t(lang, 'history.note', { note: text(data.note) }) : '',
    evidence.length ? t(lang, 'history.evidence', { evidence: evidence.join(t(lang, 'history.listSeparator')) }) : '',
  ].filter(Boolean).join(t(lang, 'history.partSeparator'));
}

const unitNames = (lang: Lang, units: unknown): MessageParams => {
  const list = Array.isArray(units) ? (units as { name?: unknown; id?: unknown }[]) : [];
  return { count: list.length, units: list.map((u) => text(u.name ?? u.id)).join(t(lang, 'history.listSeparator')) };
};

/** A report by the name the web gives it (the catalogue's oversight.report.<id>), its id where the catalogue has none, and its period. */
function reportWords(lang: Lang, data: Data): string {
  const key = `oversight.report.${text(data.reportId)}`;
  const name = t(lang, key);
  return t(lang, 'history.report', { report: name === key ? text(data.reportId) : name, period: periodIn(lang, data.period) });
}

function productWords(lang: Lang, data: Data, name: string | undefined): string {
  return name ? t(lang, 'history.product', { id: text(data.productId), name }) : text(data.productId);
}

/** One value as text: a record as `name=value` pairs, never "[object Object]". */
function spelled(value: unknown): string {
  if (value === null || typeof value !== 'object') return text(value);
  if (Array.isArray(value)) return value.map(spelled).join(', ');
  return Object.entries(value as Data).map(([k, v]) => `${k}=${spelled(v)}`).join(', ');
}

/** Fields the row's own columns show, or that only name what the event is about. */
const SHOWN_ELSEWHERE = new Set(['ledgerId', 'unitId', 'reason', 'corrects', 'correctedType', 'late', 'reportedOn']);

/**
 * An event's content as a person reads it, in the language given: a task by number and first words
 * with its status label, note and evidence; a figure by the metric's name, dimension labels, period,
 * value and unit; units, reports and OCOP products by name. `type` is the event's own type (for a
 * correction: the type it corrects, `data` its facts). An event this function does not know is
 * spelled out as `name=value` pairs.
 */
export function eventContent(type: string, data: Data, words: ContentWords): string {
  const { lang } = words;
  const on = dateIn(lang, data.on);
  const product = productWords(lang, data, typeof data.name === 'string' ? data.name : words.products.get(text(data.productId)));
  const decision = data.decision ? t(lang, 'history.decision', { decision: text(data.decision) }) : '';
  const withDecision = (s: string) => [s, decision].filter(Boolean).join(t(lang, 'history.partSeparator'));
  switch (type) {
    case 'ProgressReported':
      return progressWords(words, data);
    case 'MetricReported':
      return metricWords(words, data);
    case 'LedgerOpened':
      return t(lang, 'history.ledgerOpened', { name: text(data.name), ...unitNames(lang, data.units) });
    case 'UnitsAdded':
      return t(lang, 'history.unitsAdded', unitNames(lang, data.units));
    case 'UnitRetired':
      return t(lang, 'history.unitRetired', { unit: words.units.get(text(data.unitId))?.name ?? text(data.unitId) });
    case 'ReportGenerated': {
      const files = Array.isArray(data.files) ? (data.files as { format?: unknown; sha256?: unknown }[]) : [];
      return t(lang, 'history.reportGenerated', {
        report: reportWords(lang, data),
        asOf: typeof data.asOf === 'string' ? localDateTimeOf(data.asOf, words.programme.timeZone) : '',
        trigger: t(lang, `history.trigger.${text(data.trigger)}`),
        files: files.map((f) => `${text(f.format)} sha256:${text(f.sha256).slice(0, 12)}…`).join(t(lang, 'history.listSeparator')),
      });
    }
    case 'FiguresMarkedComplete':
    case 'FiguresApproved':
    case 'FiguresReturned':
      return t(lang, 'history.review', { report: reportWords(lang, data), by: text((data.by as { name?: unknown } | undefined)?.name) });
    case 'ReportSignedOff': {
      const reviewers = Array.isArray(data.reviewers) ? (data.reviewers as { name?: unknown }[]).map((r) => text(r.name)) : [];
      return t(lang, 'history.signedOff', {
        report: reportWords(lang, data),
        reporter: text((data.reporter as { name?: unknown } | undefined)?.name),
        reviewers: reviewers.join(t(lang, 'history.listSeparator')),
        date: dateIn(lang, data.reportDate),
      });
    }
    case 'OcopProductRegistered':
      return t(lang, 'history.ocopRegistered', { product, producer: text(data.producer), district: text(data.district), category: text(data.category), on });
    case 'OcopProductRated':
      return withDecision(t(lang, 'history.ocopRated', { product, stars: text(data.stars), council: text(data.council), round: text(data.round), on }));
    case 'OcopProductUpgraded':
    case 'OcopProductDowngraded':
      return withDecision(t(lang, 'history.ocopRestarred', { product, fromStars: text(data.fromStars), stars: text(data.stars), on }));
    case 'OcopCertificateRevoked':
      return withDecision(t(lang, 'history.ocopRevoked', { product, stars: text(data.stars), on }));
    case 'OcopProductSupported':
      return t(lang, 'history.ocopSupported', { product, activity: text(data.activity), on });
    default:
      return Object.entries(data)
        .filter(([key, value]) => !SHOWN_ELSEWHERE.has(key) && value !== null && value !== '')
        .map(([key, value]) => `${key}=${spelled(value)}`)
        .join('; ');
  }
}
