import type { OcopProductRow, OcopRatingChange, OcopRatingRow, OcopSupportRow } from '../../../projections/ocop.projection';
import { producerKey } from '../../../projections/ocop.projection';
import {
  districtTargets,
  ocopChanges,
  ocopCounts,
  ocopGoals,
  ocopMetricValues,
  standings,
  type OcopRows,
} from '../../../src/ocop/queries/ocop-figures';
import { evaluateRule, type MetricValue } from '../../../src/programmes/indicator-rules';
import { periodOf } from '../../../src/programmes/period';
import type { IndicatorRule, ProgrammeTemplate } from '../../../src/programmes/template';
import { loadProgramme } from '../../support/ledger-log';

const CAMAU = loadProgramme('camau-ocop-2022').template;
const ANGIANG = loadProgramme('angiang-ocop-2022').template;
const L = 'camau-2022';

let position = 0;
const stamp = () => {
  position++;
  return { position, recorded_at: new Date(Date.UTC(2022, 11, 1, 0, position)).toISOString() };
};

function product(id: string, district: string, producer: string, registeredOn: string, recognised?: { stars: number; year: number }): OcopProductRow {
  return {
    event_id: `reg-${id}`, ledger_id: L, product_id: id, unit_id: 'cm-unit', name: id, producer, producer_key: producerKey(producer), address: null, representative: null,
    business_type: 'Hợp tác xã', category: 'Ngành: Thực phẩm Nhóm: Thực phẩm chế biến', sector: 'Thực phẩm', group_name: 'Thực phẩm chế biến', subgroup: null,
    district, registered_on: registeredOn, registration: recognised ? 'upgrade' : 'new', recognised_stars: recognised?.stars ?? null,
    recognised_level: recognised ? 'province' : null, recognised_year: recognised?.year ?? null, ...stamp(), superseded_position: null, superseded_at: null,
  };
}

function rating(productId: string, change: OcopRatingChange, stars: number, on: string, from?: number): OcopRatingRow {
  const certified = change === 'recognised' || change === 'upgraded' || change === 'downgraded' || (change === 'rated' && stars >= 3);
  return {
    event_id: `${change}-${productId}-${on}`, ledger_id: L, product_id: productId, unit_id: 'cm-unit', track: change === 'assessed' ? 'assessment' : 'certificate', change,
    level: change === 'assessed' ? 'district' : 'province', stars, from_stars: from ?? null, from_level: from ? 'province' : null, certified: certified ? 1 : 0,
    round: null, council: null, decision: null, reason: null, on_date: on, ...stamp(), superseded_position: null, superseded_at: null,
  };
}

const support = (productId: string, on: string): OcopSupportRow => ({ event_id: `sup-${productId}-${on}`, ledger_id: L, product_id: productId, unit_id: 'cm-ttxt', on_date: on, activity: 'Hội chợ', ...stamp() });

// Năm Căn: p1, p2 new of producer X, u1 (X) and u3 (V) registered for upgrading; Cái Nước: p3 (Y), p4 (Z, registered in 2021), u2 (W).
const NC = 'Huyện Năm Căn';
const CN = 'Huyện Cái Nước';
const rows: OcopRows = {
  products: [
    product('p4', CN, 'HTX Z', '2021-12-10'),
    product('p1', NC, 'HTX X', '2022-02-25'),
    product('p2', NC, 'HTX  x', '2022-02-25'),
    product('p3', CN, 'HTX Y', '2022-03-01'),
    product('u1', NC, 'HTX X', '2022-03-01', { stars: 3, year: 2020 }),
    product('u2', CN, 'Cty W', '2022-03-01', { stars: 3, year: 2021 }),
    product('u3', NC, 'Cty V', '2022-03-02', { stars: 4, year: 2021 }),
  ],
  ratings: [
    rating('u1', 'recognised', 3, '2020-12-31'),
    rating('u2', 'recognised', 3, '2021-12-31'),
    rating('u3', 'recognised', 4, '2021-12-31'),
    rating('p1', 'assessed', 3, '2022-06-20'),
    rating('p2', 'assessed', 4, '2022-06-20'),
    rating('p3', 'assessed', 2, '2022-06-20'),
    rating('u1', 'assessed', 4, '2022-06-20'),
    rating('p1', 'rated', 3, '2022-08-25'),
    rating('p4', 'rated', 3, '2022-08-25'),
    rating('u1', 'upgraded', 4, '2022-08-25', 3),
    rating('u2', 'revoked', 3, '2022-09-15', 3),
    rating('u3', 'downgraded', 3, '2022-09-15', 4),
    rating('p2', 'rated', 4, '2022-11-25'),
  ],
  supports: [support('p1', '2022-10-05'), support('p1', '2022-11-01'), support('u1', '2022-10-05')],
};

const Y2022 = periodOf('2022');
const value = (values: MetricValue[], metric: string, dimensions: Record<string, string> = {}) =>
  values.filter((v) => v.metric === metric && Object.entries(dimensions).every(([k, x]) => v.dimensions[k] === x)).reduce((n, v) => n + v.value, 0);

describe('standings on a date', () => {
  it('each product’s status and certificate on the day', () => {
    const on = (date?: string) => standings(rows, date).map((s) => `${s.product.product_id}:${s.status}${s.certificate ? `:${s.certificate.stars}` : ''}`);
    expect(on('2022-03-01')).toEqual(['p4:registered', 'p1:registered', 'p2:registered', 'p3:registered', 'u1:certified:3', 'u2:certified:3']);
    expect(on('2022-07-01')).toEqual(['p4:registered', 'p1:assessed', 'p2:assessed', 'p3:assessed', 'u1:certified:3', 'u2:certified:3', 'u3:certified:4']);
    expect(on()).toEqual(['p4:certified:3', 'p1:certified:3', 'p2:certified:4', 'p3:assessed', 'u1:certified:4', 'u2:revoked', 'u3:certified:3']);
  });
});

describe('counts', () => {
  it('by status, stars, level and district', () => {
    const counts = ocopCounts(rows, '2022-12-31');
    expect(counts).toMatchObject({
      date: '2022-12-31',
      products: 7,
      byStatus: { registered: 0, assessed: 1, rated: 0, certified: 5, revoked: 1 },
      byStars: { '1': 0, '2': 0, '3': 3, '4': 2, '5': 0 },
      byLevel: { district: 1, province: 5, national: 0, none: 1 },
    });
    expect(counts.byDistrict).toEqual([
      { district: CN, products: 3, registeredNew: 2, registeredUpgrade: 1, certified: 1, byStars: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 0 }, revoked: 1 },
      { district: NC, products: 4, registeredNew: 2, registeredUpgrade: 2, certified: 4, byStars: { '1': 0, '2': 0, '3': 2, '4': 2, '5': 0 }, revoked: 0 },
    ]);
    expect(ocopCounts(rows, '2021-12-31')).toMatchObject({ products: 1, byStatus: { registered: 1 } });
  });

  it('what changed in a period: new vs upgraded vs downgraded vs revoked', () => {
    expect(ocopChanges(rows, Y2022)).toEqual({
      period: '2022', registered: { new: 3, upgrade: 3 }, assessed: 4, rated: 3, new: 3, upgraded: 1, downgraded: 1, revoked: 1, supported: 2,
      awardedByStars: { '1': 0, '2': 0, '3': 2, '4': 2, '5': 0 },
    });
    expect(ocopChanges(rows, periodOf('2022-Q3'))).toMatchObject({ registered: { new: 0, upgrade: 0 }, assessed: 0, rated: 2, new: 2, upgraded: 1, downgraded: 1, revoked: 1, supported: 0 });
    expect(ocopChanges(rows, periodOf('2022-Q4'))).toMatchObject({ rated: 1, new: 1, supported: 2 });
  });
});

describe('metric values of the templates’ derived metrics', () => {
  it('Cà Mau: exactly the declared metrics and dimension values, zeros included', () => {
    const values = ocopMetricValues(CAMAU, rows, Y2022);
    const declared = (CAMAU.metrics ?? []).filter((m) => m.derivedFrom === 'ocop').map((m) => m.id).sort();
    expect([...new Set(values.map((v) => v.metric))].sort()).toEqual(declared);
    for (const v of values) {
      const metric = CAMAU.metrics!.find((m) => m.id === v.metric)!;
      expect(Object.keys(v.dimensions).sort()).toEqual((metric.dimensions ?? []).map((d) => d.id).sort());
      expect(v).toMatchObject({ period: '2022', unit: metric.unit });
    }
    expect(values.filter((v) => v.metric === 'ocop.rated')).toHaveLength(10); // 5 stars × 2 kinds
    expect(values.filter((v) => v.metric === 'ocop.upgraded')).toHaveLength(16); // 4 from × 4 to
  });

  it('Cà Mau: registered, rated (no downgraded kind declared), upgraded, organisations, supported, revoked', () => {
    const values = ocopMetricValues(CAMAU, rows, Y2022);
    expect(value(values, 'ocop.registered', { kind: 'new' })).toBe(3);
    expect(value(values, 'ocop.registered', { kind: 'upgraded' })).toBe(3);
    expect(value(values, 'ocop.rated', { kind: 'new', stars: '3' })).toBe(2);
    expect(value(values, 'ocop.rated', { kind: 'new', stars: '4' })).toBe(1);
    expect(value(values, 'ocop.rated', { kind: 'upgraded', stars: '4' })).toBe(1);
    expect(value(values, 'ocop.rated')).toBe(4);
    expect(value(values, 'ocop.upgraded', { from: '3', to: '4' })).toBe(1);
    expect(value(values, 'ocop.organisations')).toBe(4); // X (once, case and spacing aside), Y, W, V; Z entered in 2021
    expect(value(values, 'ocop.supported')).toBe(2);
    expect(value(values, 'ocop.revoked')).toBe(1);
  });

  it('An Giang: downgrades counted as a kind, upgrades by stars, the certified stock by stars at the period’s end', () => {
    const values = ocopMetricValues(ANGIANG, rows, Y2022);
    expect(value(values, 'ocop.rated', { kind: 'downgraded', stars: '3' })).toBe(1);
    expect(value(values, 'ocop.upgraded', { stars: '4' })).toBe(1);
    expect([3, 4, 5].map((s) => value(values, 'ocop.products', { stars: String(s) }))).toEqual([3, 2, 0]);
    expect([3, 4, 5].map((s) => value(ocopMetricValues(ANGIANG, rows, periodOf('2022-Q2')), 'ocop.products', { stars: String(s) }))).toEqual([2, 1, 0]);
    expect(values.some((v) => v.metric === 'ocop.organisations')).toBe(false);
  });

  it('feed evaluateRule: a `where` list over stars, and `latest` summing the stock by stars', () => {
    const values = ocopMetricValues(ANGIANG, rows, Y2022);
    const newly: IndicatorRule = { kind: 'compare', metric: 'ocop.rated', where: { kind: 'new', stars: ['3', '4', '5'] }, aggregate: 'sum', op: '>=', value: 3 };
    expect(evaluateRule(newly, values, { period: '2022' })).toMatchObject({ verdict: 'met', figures: [{ value: 3 }] });
    const stock: IndicatorRule = { kind: 'compare', metric: 'ocop.products', aggregate: 'latest', op: '=', value: 5 };
    expect(evaluateRule(stock, values, { period: '2022' }).verdict).toBe('met');
  });
});

describe('goals', () => {
  it('Cà Mau 2022: each goal’s figure and verdict; a goal without a rule is left to a manual verdict', () => {
    const goals = ocopGoals(CAMAU, rows, Y2022, '2022-12-20');
    expect(goals.map((g) => [g.id, g.verdict, g.figures[0]?.value ?? null])).toEqual([
      ['new-products', 'not-met', 3],
      ['newly-rated-3-4-stars', 'not-met', 3],
      ['upgraded-3-to-4-stars', 'not-met', 1],
      ['economic-organisations', 'not-met', 4],
      ['display-points', 'no-data', null],
      ['supported-products', 'not-met', 2],
    ]);
    expect(goals[1].figures[0].label).toBe('sum ocop.rated [kind=new,stars=3|4] 2022');
    expect(goals[4].basis).toBe('manual');
  });

  it('Cà Mau with lower thresholds: the same figures meet them', () => {
    const lowered: ProgrammeTemplate = {
      ...CAMAU,
      goals: CAMAU.goals!.map((g) => (g.rule?.kind === 'compare' ? { ...g, rule: { ...g.rule, value: 1 } } : g)),
    };
    expect(ocopGoals(lowered, rows, Y2022, '2022-12-20').map((g) => g.verdict))
      .toEqual(['met', 'met', 'met', 'not-met', 'no-data', 'met']);
  });

  it('An Giang 2022: "50 - 70 … từ 3 sao trở lên" not yet due before the year ends; "10% nâng hạng" = 1 upgraded of 5 certified', () => {
    const before = ocopGoals(ANGIANG, rows, Y2022, '2022-12-20');
    expect(before.find((g) => g.id === 'new-products-3-stars')).toMatchObject({ verdict: 'not-yet-due', provisional: 'not-met', due: '2022-12-31', figures: [{ value: 3, target: '>= 50 (50–70)' }] });
    expect(before.find((g) => g.id === 'upgraded-10-percent')).toMatchObject({ verdict: 'met', figures: [{ value: 1 }, { value: 5 }, { label: 'ratio %', value: 20 }] });
    expect(ocopGoals(ANGIANG, rows, Y2022, '2023-01-02').find((g) => g.id === 'new-products-3-stars')?.verdict).toBe('not-met');
  });
});

describe('district targets (Cà Mau Phụ lục 4)', () => {
  it('actual against allocated per district and column', () => {
    const targets = districtTargets(CAMAU, rows, Y2022)!;
    expect(targets.rows.map((r) => r.district)).toHaveLength(9);
    const row = (district: string) => Object.fromEntries(targets.rows.find((r) => r.district === district)!.columns.map((c) => [c.key, [c.actual, c.allocated, c.met]]));
    expect(row(NC)).toEqual({
      registered: [4, 12, false], registeredNew: [2, 6, false], registeredUpgrade: [2, 6, false],
      target: [3, 7, false], targetNew: [2, 5, false], targetUpgrade: [1, 2, false],
    });
    expect(row(CN)).toMatchObject({ registeredNew: [1, 7, false], registeredUpgrade: [1, 6, false], targetNew: [1, 7, false], targetUpgrade: [0, 6, false] });
    expect(row('Huyện Thới Bình')).toMatchObject({ registeredUpgrade: [0, 0, true], targetUpgrade: [0, 0, true], targetNew: [0, 2, false] });
    expect(targets.rows[0].columns[0].label).toBe('Số lượng sản phẩm địa phương đăng ký năm 2022: Tổng số');
    expect(targets.unallocated).toEqual([]);
  });

  it('none for a programme without the allocation; unallocated districts are named', () => {
    expect(districtTargets(ANGIANG, rows, Y2022)).toBeNull();
    const stray = { ...rows, products: [...rows.products, product('x1', 'Huyện Châu Thành', 'HTX Q', '2022-04-01')] };
    expect(districtTargets(CAMAU, stray, Y2022)!.unallocated).toEqual(['Huyện Châu Thành']);
  });
});
