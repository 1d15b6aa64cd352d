/**
 * OCOP figures, pure over the rows of the OCOP read model (already cut to an "as of" moment by the
 * reader): product standings on a date, counts by stars / level / district, what changed in a
 * period, the metric values the programmes' goals read (`derivedFrom: ocop`), the goals' verdicts,
 * and the per-district actual against the allocated targets.
 *
 * Periods count facts by the local date they are about (`on`), not by when they were recorded.
 */
import type { OcopProductRow, OcopRatingRow, OcopSupportRow } from '../../../projections/ocop.projection';
import { evaluateIndicator, type IndicatorResult, type MetricValue } from '../../programmes/indicator-rules';
import { previousYearPeriod, type Period } from '../../programmes/period';
import type { Goal, LocalDate, Metric, ProgrammeTemplate } from '../../programmes/template';

export interface OcopRows {
  products: readonly OcopProductRow[];
  ratings: readonly OcopRatingRow[];
  supports: readonly OcopSupportRow[];
}

export type OcopStatus = 'registered' | 'assessed' | 'rated' | 'certified' | 'revoked';
export type StarsKey = '1' | '2' | '3' | '4' | '5';
export type LevelKey = 'district' | 'province' | 'national';

export interface ProductStanding {
  product: OcopProductRow;
  /**
   * registered: nothing rated yet; assessed: only district assessments; rated: its latest province
   * result is below 3 stars (no certificate); certified: holds a certificate; revoked: its
   * certificate was revoked and nothing awarded since.
   */
  status: OcopStatus;
  /** The certificate held, if any. */
  certificate: { stars: number; level: 'province' | 'national'; since: LocalDate } | null;
  /** The latest fact of the certificate track (recognised, rated, upgraded, downgraded, revoked). */
  latest: OcopRatingRow | null;
  /** The latest district assessment. */
  assessment: OcopRatingRow | null;
}

const inPeriod = (date: string, period: Period) => period.start <= date && date <= period.end;
const zeroStars = (): Record<StarsKey, number> => ({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 });

/** Each registered product's standing on a date (all facts known to the rows when no date is given). */
export function standings(rows: OcopRows, date?: LocalDate): ProductStanding[] {
  const latest = new Map<string, { certificate?: OcopRatingRow; assessment?: OcopRatingRow }>();
  for (const row of rows.ratings) {
    if (date !== undefined && row.on_date > date) continue;
    const entry = latest.get(row.product_id) ?? latest.set(row.product_id, {}).get(row.product_id)!;
    const current = entry[row.track];
    if (!current || current.position < row.position) entry[row.track] = row;
  }
  return rows.products
    .filter((p) => date === undefined || p.registered_on <= date)
    .map((product) => {
      const { certificate: last = null, assessment = null } = latest.get(product.product_id) ?? {};
      const status: OcopStatus = last
        ? last.change === 'revoked' ? 'revoked' : last.certified ? 'certified' : 'rated'
        : assessment ? 'assessed' : 'registered';
      const certificate = last && status === 'certified' ? { stars: last.stars, level: last.level as 'province' | 'national', since: last.on_date } : null;
      return { product, status, certificate, latest: last, assessment };
    });
}

export interface DistrictCounts {
  district: string;
  products: number;
  registeredNew: number;
  registeredUpgrade: number;
  certified: number;
  /** Certified products by stars. */
  byStars: Record<StarsKey, number>;
  revoked: number;
}

export interface OcopCounts {
  /** The date the standings are taken on, or null for everything the rows know. */
  date: LocalDate | null;
  products: number;
  byStatus: Record<OcopStatus, number>;
  /** Products by the stars of their standing result: the certificate (3–5) or a province result below 3. */
  byStars: Record<StarsKey, number>;
  /** Products by the level of their standing result: certificate or province result; district for those only assessed. */
  byLevel: Record<LevelKey | 'none', number>;
  byDistrict: DistrictCounts[];
}

export function ocopCounts(rows: OcopRows, date?: LocalDate): OcopCounts {
  const all = standings(rows, date);
  const byStatus: Record<OcopStatus, number> = { registered: 0, assessed: 0, rated: 0, certified: 0, revoked: 0 };
  const byStars = zeroStars();
  const byLevel: Record<LevelKey | 'none', number> = { district: 0, province: 0, national: 0, none: 0 };
  const districts = new Map<string, DistrictCounts>();
  for (const s of all) {
    byStatus[s.status]++;
    if (s.status === 'certified' || s.status === 'rated') {
      byStars[String(s.latest!.stars) as StarsKey]++;
      byLevel[s.latest!.level]++;
    } else if (s.status === 'assessed') byLevel.district++;
    else byLevel.none++;
    const d = districts.get(s.product.district) ?? districts.set(s.product.district, {
      district: s.product.district, products: 0, registeredNew: 0, registeredUpgrade: 0, certified: 0, byStars: zeroStars(), revoked: 0,
    }).get(s.product.district)!;
    d.products++;
    if (s.product.registration === 'new') d.registeredNew++;
    else d.registeredUpgrade++;
    if (s.certificate) {
      d.certified++;
      d.byStars[String(s.certificate.stars) as StarsKey]++;
    }
    if (s.status === 'revoked') d.revoked++;
  }
  return {
    date: date ?? null,
    products: all.length,
    byStatus,
    byStars,
    byLevel,
    byDistrict: [...districts.values()].sort((a, b) => a.district.localeCompare(b.district, 'vi')),
  };
}

export interface OcopChanges {
  period: string;
  registered: { new: number; upgrade: number };
  /** District assessments. */
  assessed: number;
  /** Province results for products without a certificate, and of those the ones awarding one (new recognitions). */
  rated: number;
  new: number;
  upgraded: number;
  downgraded: number;
  revoked: number;
  /** Products supported for the first time. */
  supported: number;
  /** New recognitions and upgrades by the stars awarded. */
  awardedByStars: Record<StarsKey, number>;
}

/** What happened in a period: registrations, assessments, new recognitions vs upgrades vs downgrades vs revocations. */
export function ocopChanges(rows: OcopRows, period: Period): OcopChanges {
  const changes: OcopChanges = {
    period: period.id, registered: { new: 0, upgrade: 0 }, assessed: 0, rated: 0, new: 0, upgraded: 0, downgraded: 0, revoked: 0, supported: 0,
    awardedByStars: zeroStars(),
  };
  for (const p of rows.products) if (inPeriod(p.registered_on, period)) changes.registered[p.registration]++;
  for (const r of rows.ratings) {
    if (!inPeriod(r.on_date, period)) continue;
    switch (r.change) {
      case 'assessed': changes.assessed++; break;
      case 'rated':
        changes.rated++;
        if (r.certified) {
          changes.new++;
          changes.awardedByStars[String(r.stars) as StarsKey]++;
        }
        break;
      case 'upgraded':
        changes.upgraded++;
        changes.awardedByStars[String(r.stars) as StarsKey]++;
        break;
      case 'downgraded': changes.downgraded++; break;
      case 'revoked': changes.revoked++; break;
      case 'recognised': break;
    }
  }
  changes.supported = firstDates(rows.supports.map((s) => [s.product_id, s.on_date])).filter((d) => inPeriod(d, period)).length;
  return changes;
}

/** The first date of each key. */
function firstDates(pairs: [string, string][]): string[] {
  const first = new Map<string, string>();
  for (const [key, date] of pairs) if (!first.has(key) || date < first.get(key)!) first.set(key, date);
  return [...first.values()];
}

/** One counted fact: its dimensions (all it knows; each metric keeps those it declares) and its weight. */
type Fact = Record<string, string>;

/**
 * The facts behind each OCOP metric in a period, with every dimension a template may declare:
 * - ocop.registered {kind: new|upgraded}: products registered in the period (upgraded = registered
 *   for upgrading, holding a certificate);
 * - ocop.rated {stars, kind: new|upgraded|downgraded, level}: province and national results in the
 *   period: a rating (new), an upgrade, a downgrade; district assessments are not counted here;
 * - ocop.upgraded {from, to, stars, level}: upgrades in the period (stars = to);
 * - ocop.downgraded {from, to, stars}: downgrades; ocop.assessed {stars}: district assessments;
 * - ocop.revoked {stars, level}: certificates revoked in the period;
 * - ocop.products {stars, level}: certificates held on the period's last day (a stock);
 * - ocop.organisations: producers counted once, in the period of their first registration;
 * - ocop.supported: products counted once, in the period of their first support.
 */
function facts(rows: OcopRows, period: Period): Map<string, Fact[]> {
  const out = new Map<string, Fact[]>();
  const add = (metric: string, fact: Fact) => (out.get(metric) ?? out.set(metric, []).get(metric)!).push(fact);
  for (const p of rows.products) if (inPeriod(p.registered_on, period)) add('ocop.registered', { kind: p.registration === 'new' ? 'new' : 'upgraded' });
  for (const r of rows.ratings) {
    if (!inPeriod(r.on_date, period)) continue;
    const stars = String(r.stars);
    if (r.change === 'rated') add('ocop.rated', { stars, kind: 'new', level: r.level });
    if (r.change === 'upgraded') {
      add('ocop.rated', { stars, kind: 'upgraded', level: r.level });
      add('ocop.upgraded', { from: String(r.from_stars), to: stars, stars, level: r.level });
    }
    if (r.change === 'downgraded') {
      add('ocop.rated', { stars, kind: 'downgraded', level: r.level });
      add('ocop.downgraded', { from: String(r.from_stars), to: stars, stars });
    }
    if (r.change === 'assessed') add('ocop.assessed', { stars });
    if (r.change === 'revoked') add('ocop.revoked', { stars, level: r.level });
  }
  for (const s of standings(rows, period.end)) if (s.certificate) add('ocop.products', { stars: String(s.certificate.stars), level: s.certificate.level });
  const producers = firstDates(rows.products.map((p) => [p.producer_key, p.registered_on]));
  for (const date of producers) if (inPeriod(date, period)) add('ocop.organisations', {});
  for (const date of firstDates(rows.supports.map((s) => [s.product_id, s.on_date]))) if (inPeriod(date, period)) add('ocop.supported', {});
  return out;
}

/** Every combination of a metric's declared dimension values (none: one empty combination). */
function combinations(metric: Metric): Fact[] {
  return (metric.dimensions ?? []).reduce<Fact[]>(
    (acc, d) => acc.flatMap((c) => d.values.map((v) => ({ ...c, [d.id]: v.id }))),
    [{}],
  );
}

const key = (fact: Fact) => JSON.stringify(Object.entries(fact).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * The values of the programme's `derivedFrom: ocop` metrics for a period, as indicator rules read
 * them: one value per combination of the metric's declared dimension values (0 where nothing was
 * counted: the ledger knows every fact, so nothing counted is a zero, not missing data). A fact
 * whose value of a declared dimension is not among the declared values (Cà Mau declares no
 * `downgraded` kind) is left out. Metrics this module does not count are left out.
 */
export function ocopMetricValues(template: ProgrammeTemplate, rows: OcopRows, period: Period): MetricValue[] {
  const counted = facts(rows, period);
  const values: MetricValue[] = [];
  for (const metric of template.metrics ?? []) {
    if (metric.derivedFrom !== 'ocop' || !KNOWN_METRICS.includes(metric.id)) continue;
    const dims = metric.dimensions ?? [];
    const totals = new Map(combinations(metric).map((c) => [key(c), { dimensions: c, value: 0 }]));
    for (const fact of counted.get(metric.id) ?? []) {
      const projected: Fact = Object.fromEntries(dims.map((d) => [d.id, fact[d.id]]));
      const total = totals.get(key(projected));
      if (total) total.value++;
    }
    for (const { dimensions, value } of totals.values()) values.push({ metric: metric.id, period: period.id, dimensions, value, unit: metric.unit });
  }
  return values;
}

/** The metric ids this module counts. */
export const KNOWN_METRICS: readonly string[] = [
  'ocop.registered', 'ocop.rated', 'ocop.upgraded', 'ocop.downgraded', 'ocop.assessed', 'ocop.revoked', 'ocop.products', 'ocop.organisations', 'ocop.supported',
];

export interface GoalResult extends IndicatorResult {
  id: string;
  text: string;
}

/**
 * The programme's goals for a period as of a date: each rule over the OCOP metric values of the
 * period (and of the same period a year earlier, for `change` rules); a goal without a rule is
 * qualitative (`manual`, no-data until assessed).
 */
export function ocopGoals(template: ProgrammeTemplate, rows: OcopRows, period: Period, asOfDate: LocalDate): GoalResult[] {
  const values = [...ocopMetricValues(template, rows, period), ...ocopMetricValues(template, rows, previousYearPeriod(period))];
  return (template.goals ?? []).map((goal: Goal) => ({ id: goal.id, text: goal.text, ...evaluateIndicator(goal, values, { period: period.id, asOfDate }) }));
}

export interface TargetColumn {
  key: string;
  label: string;
  allocated: number;
  /** Counted from the ledger; null for a column this module does not know how to count. */
  actual: number | null;
  met: boolean | null;
}

export interface DistrictTarget {
  district: string;
  columns: TargetColumn[];
}

export interface DistrictTargets {
  table: string;
  period: string;
  rows: DistrictTarget[];
  /** Districts with registered products but no allocation row (none when registrations are checked against the table). */
  unallocated: string[];
}

/**
 * Cà Mau's Phụ lục 4 ("Phân bổ chỉ tiêu số lượng sản phẩm tham gia đánh giá, phân hạng sản phẩm của
 * cấp huyện"), actual against allocated, per district, for a period:
 * - registered / registeredNew / registeredUpgrade: products of the district registered in the
 *   period (new / for upgrading);
 * - target / targetNew / targetUpgrade ("phấn đấu đạt"): products of the district that reached the
 *   level striven for in the period: a new product assessed at district level with 3 stars or more,
 *   or awarded a certificate at province level; a product registered for upgrading assessed above
 *   the stars it held, or upgraded. Each product counted once.
 */
export function districtTargets(template: ProgrammeTemplate, rows: OcopRows, period: Period, table = 'district-targets'): DistrictTargets | null {
  const allocation = template.allocations?.[table];
  if (!allocation) return null;
  const byDistrict = new Map<string, Record<string, Set<string>>>();
  const bucket = (district: string) =>
    byDistrict.get(district) ?? byDistrict.set(district, { registeredNew: new Set(), registeredUpgrade: new Set(), targetNew: new Set(), targetUpgrade: new Set() }).get(district)!;
  const products = new Map(rows.products.map((p) => [p.product_id, p]));
  for (const p of rows.products) {
    if (inPeriod(p.registered_on, period)) bucket(p.district)[p.registration === 'new' ? 'registeredNew' : 'registeredUpgrade'].add(p.product_id);
  }
  for (const r of rows.ratings) {
    const p = products.get(r.product_id);
    if (!p || !inPeriod(r.on_date, period)) continue;
    if (p.registration === 'new') {
      if ((r.change === 'assessed' && r.stars >= 3) || (r.change === 'rated' && r.certified)) bucket(p.district).targetNew.add(p.product_id);
    } else if ((r.change === 'assessed' && r.stars > (p.recognised_stars ?? 5)) || r.change === 'upgraded') {
      bucket(p.district).targetUpgrade.add(p.product_id);
    }
  }
  const actualOf = (district: string, column: string): number | null => {
    const b = byDistrict.get(district);
    const n = (k: string) => b?.[k].size ?? 0;
    switch (column) {
      case 'registered': return n('registeredNew') + n('registeredUpgrade');
      case 'registeredNew': return n('registeredNew');
      case 'registeredUpgrade': return n('registeredUpgrade');
      case 'target': return n('targetNew') + n('targetUpgrade');
      case 'targetNew': return n('targetNew');
      case 'targetUpgrade': return n('targetUpgrade');
      default: return null;
    }
  };
  const allocated = new Set(allocation.rows.map((r) => r.unit.normalize('NFC')));
  return {
    table,
    period: period.id,
    rows: allocation.rows.map((row) => ({
      district: row.unit,
      columns: Object.entries(allocation.columns).map(([column, label]) => {
        const actual = actualOf(row.unit.normalize('NFC'), column);
        const figure = row.figures[column] ?? 0;
        return { key: column, label, allocated: figure, actual, met: actual === null ? null : actual >= figure };
      }),
    })),
    unallocated: [...byDistrict.keys()].filter((d) => !allocated.has(d)).sort(),
  };
}
