import type { OcopRatingRow } from '../../../projections/ocop.projection';
import { districtTargets, ocopChanges, ocopGoals, standings, type OcopRows, type ProductStanding } from '../../ocop/queries/ocop-figures';
import { readOcopRows } from '../../ocop/queries/ocop-read-model';
import { indicatorDueDate, type Figure } from '../../programmes/indicator-rules';
import { periodOf, type Period } from '../../programmes/period';
import type { Goal, LocalDate } from '../../programmes/template';
import { bindingKey } from '../bindings';
import { periodFields } from '../period-fields';
import type { Scalar } from '../text';
import { commonFields, reportDateOf, type ReportContext, type ReportDataProvider } from './report-context';
import { writtenDate } from './written-date';
import { periodNameFields } from './submission-timeliness.data';

/** The columns of Cà Mau's Phụ lục 4 the layout lays out (allocation column keys, in the source's order). */
export const DISTRICT_COLUMNS = ['registered', 'registeredNew', 'registeredUpgrade', 'target', 'targetNew', 'targetUpgrade'] as const;

export type GoalVerdict = 'met' | 'not-met' | 'not-yet-due' | 'no-data';

/**
 * OCOP programme progress for a reporting period (templates/reports/ocop-progress.yaml), pure over
 * the OCOP read model as it stood at the report's moment (every fact recorded by then; facts are
 * dated, periods count by the date a fact is about). Three scopes:
 *
 * - `period`: what happened in the report's period (registrations, assessments, new certificates by
 *   stars, upgrades, downgrades, revocations, organisations entering, products first supported);
 * - `ytd`: the same from 1 January of the period's year to the period's last day. The programme's
 *   goals (I. MỤC TIÊU) and Phụ lục 4's allocation are annual, so their actual figures are this
 *   year-to-date count (a quarter's figures against a year's target would say nothing);
 * - `now`: standings at the moment (products registered, certificates held by stars, producers,
 *   products ever supported) and the list of rated products with their latest result.
 *
 * Goal verdicts: met as soon as the year-to-date figure meets the rule; otherwise `not-yet-due`
 * while the goal's due date (its deadline, or the last day of the year) is after the period's last
 * day or not yet past at the moment; after that the rule's verdict (not-met, or no-data: no figure,
 * a qualitative goal, a ratio over nothing).
 */
export const ocopProgressData: ReportDataProvider = async (context) => {
  const { programme } = context.ledger;
  const period = context.period;
  const year = periodOf(String(period.year).padStart(4, '0'));
  const rows = readOcopRows(context.db, context.ledger.ledgerId, context.asOf);
  const ytdRows = upTo(rows, period.end);
  const now = standings(rows);

  const values: Record<string, number> = {};
  const put = (key: string, where: Record<string, string>, value: number) => { values[bindingKey({ key, where })] = value; };
  for (const [scope, tally] of [['period', tallyOf(rows, period)], ['ytd', tallyOf(ytdRows, year)]] as const) {
    for (const [kind, n] of Object.entries(tally.registered)) put('ocop.registered', { kind, scope }, n);
    for (const [stars, n] of Object.entries(tally.newlyCertified)) put('ocop.newlyCertified', { stars, scope }, n);
    for (const key of ['assessed', 'upgraded', 'downgraded', 'revoked', 'organisations', 'supported'] as const) put(`ocop.${key}`, { scope }, tally[key]);
  }
  const certified = now.filter((s) => s.certificate);
  put('ocop.registered', { kind: 'all', scope: 'now' }, rows.products.length);
  put('ocop.registered', { kind: 'new', scope: 'now' }, rows.products.filter((p) => p.registration === 'new').length);
  put('ocop.registered', { kind: 'upgrade', scope: 'now' }, rows.products.filter((p) => p.registration === 'upgrade').length);
  put('ocop.certified', { stars: 'all', scope: 'now' }, certified.length);
  for (const stars of [3, 4, 5]) put('ocop.certified', { stars: String(stars), scope: 'now' }, certified.filter((s) => s.certificate!.stars === stars).length);
  put('ocop.organisations', { scope: 'now' }, new Set(rows.products.map((p) => p.producer_key)).size);
  put('ocop.supported', { scope: 'now' }, new Set(rows.supports.map((s) => s.product_id)).size);

  const goals = goalRows(context, programme.goals ?? [], ytdRows, year);
  const targets = districtTargets(programme, ytdRows, year);
  const districts = (targets?.rows ?? []).map((row, i) => {
    const item: Record<string, Scalar> = { index: i + 1, district: row.district };
    for (const key of DISTRICT_COLUMNS) {
      const column = row.columns.find((c) => c.key === key);
      item[`${key}Plan`] = column?.allocated ?? null;
      item[`${key}Actual`] = column?.actual ?? null;
    }
    return item;
  });
  const order = new Map((targets?.rows ?? []).map((r, i) => [r.district.normalize('NFC'), i]));
  const products = ratedProducts(now, order);

  // The place-and-date line carries the date the report is dated: the sign-off's report date once signed.
  const [y, m, d] = reportDateOf(context).split('-').map(Number);
  return {
    asOf: context.instant,
    language: 'vi',
    fields: {
      ...commonFields(context),
      ...periodFields(period.id),
      ...periodNameFields(period),
      programmeTitle: programme.title,
      periodStart: writtenDate(period.start, 'vi'),
      periodEnd: writtenDate(period.end, 'vi'),
      yearStart: writtenDate(year.start, 'vi'),
      asOfDate: writtenDate(context.asOfDate, 'vi'),
      reportDay: d,
      reportMonth: m,
      reportYear: y,
      goalsTable: goals.length > 0 ? 'goals' : 'none',
      districtTable: targets ? 'allocated' : (localLevel(programme) === 'commune' ? 'none-commune' : 'none'),
      localLevel: localLevel(programme),
    },
    values,
    lists: { goals, districts, products },
  };
};

/**
 * The local level the programme reports by: Việt Nam has had two levels of local government (tỉnh
 * and xã/phường) since 1 July 2025, so a programme that starts after that names no cấp huyện.
 */
export function localLevel(programme: { years: { from: number } }): 'district' | 'commune' {
  return programme.years.from >= 2026 ? 'commune' : 'district';
}

/** The rows of facts dated on or before a day (registrations, ratings, supports). */
function upTo(rows: OcopRows, date: LocalDate): OcopRows {
  return {
    products: rows.products.filter((p) => p.registered_on <= date),
    ratings: rows.ratings.filter((r) => r.on_date <= date),
    supports: rows.supports.filter((s) => s.on_date <= date),
  };
}

interface Tally {
  registered: { all: number; new: number; upgrade: number };
  assessed: number;
  /** Products awarded their first certificate (a province result of 3 stars or more), by stars. */
  newlyCertified: { all: number; '3': number; '4': number; '5': number };
  upgraded: number;
  downgraded: number;
  revoked: number;
  /** Producers (chủ thể) counted once, in the period of their first registration. */
  organisations: number;
  /** Products counted once, in the period of their first support. */
  supported: number;
}

/** What happened in a period: ocopChanges, with new certificates by stars and organisations entering. */
function tallyOf(rows: OcopRows, period: Period): Tally {
  const changes = ocopChanges(rows, period);
  const inPeriod = (date: string) => period.start <= date && date <= period.end;
  const fresh = rows.ratings.filter((r) => r.change === 'rated' && r.certified && inPeriod(r.on_date));
  const firstRegistration = new Map<string, string>();
  for (const p of rows.products) {
    const known = firstRegistration.get(p.producer_key);
    if (known === undefined || p.registered_on < known) firstRegistration.set(p.producer_key, p.registered_on);
  }
  const byStars = (n: number) => fresh.filter((r) => r.stars === n).length;
  return {
    registered: { all: changes.registered.new + changes.registered.upgrade, new: changes.registered.new, upgrade: changes.registered.upgrade },
    assessed: changes.assessed,
    newlyCertified: { all: fresh.length, '3': byStars(3), '4': byStars(4), '5': byStars(5) },
    upgraded: changes.upgraded,
    downgraded: changes.downgraded,
    revoked: changes.revoked,
    organisations: [...firstRegistration.values()].filter(inPeriod).length,
    supported: changes.supported,
  };
}

const prettyTarget = (target: string): string => target.replace(/>=/g, '≥').replace(/<=/g, '≤').replace(/(\d)–(-?\d)/g, '$1 – $2');

/** Each goal as written, its target, the year-to-date figure that decides it, and the verdict. */
function goalRows(context: ReportContext, goals: Goal[], ytdRows: OcopRows, year: Period): Record<string, Scalar>[] {
  const results = ocopGoals(context.ledger.programme, ytdRows, year, context.asOfDate);
  return goals.map((goal, i) => {
    const result = results[i];
    const due = indicatorDueDate(goal.deadline, year) ?? year.end;
    const verdict: GoalVerdict =
      result.provisional === 'met' ? 'met' : context.period.end < due || context.asOfDate <= due ? 'not-yet-due' : result.provisional;
    const targeted = result.figures.filter((f): f is Figure & { target: string } => f.target !== null);
    const deciding = targeted[targeted.length - 1];
    return {
      index: i + 1,
      text: goal.text,
      target: targeted.length > 0 ? targeted.map((f) => prettyTarget(f.target)).join('; ') : null,
      actual: deciding?.value ?? null,
      unit: deciding ? (deciding.unit ?? (deciding.target.endsWith('%') ? '%' : null)) : null,
      verdict,
    };
  });
}

/** The result a product's latest certificate-track fact stands for. */
function resultOf(latest: OcopRatingRow): string {
  if (latest.change === 'rated') return latest.certified ? 'new' : 'below';
  return latest.change;
}

/**
 * Products with a result on the certificate track at the moment (certified, rated below 3 stars,
 * or revoked): their latest result. In district order (Phụ lục 4's, then the others), then stars
 * (most first), then name; numbered in that order.
 */
function ratedProducts(now: ProductStanding[], districtOrder: Map<string, number>): Record<string, Scalar>[] {
  const rank = (district: string) => districtOrder.get(district.normalize('NFC')) ?? districtOrder.size;
  const codeOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return now
    .filter((s) => s.latest !== null)
    .sort((a, b) =>
      rank(a.product.district) - rank(b.product.district) || codeOrder(a.product.district, b.product.district)
      || b.latest!.stars - a.latest!.stars || codeOrder(a.product.name, b.product.name) || codeOrder(a.product.product_id, b.product.product_id))
    .map((s, i) => {
      const latest = s.latest!;
      return {
        index: i + 1,
        productId: s.product.product_id,
        name: s.product.name,
        producer: s.product.producer,
        district: s.product.district,
        stars: latest.stars,
        level: latest.level,
        result: resultOf(latest),
        decision: [latest.decision, latest.round].filter((x) => x).join('; ') || null,
        on: latest.on_date,
        status: s.status,
      };
    });
}
