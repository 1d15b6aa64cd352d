import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import {
  ocopProductDecider,
  ocopStream,
  type OcopProductEvent,
  type OcopProductState,
  type OcopSetting,
} from '../../../src/ocop/ocop-product.decider';
import type { OcopRecord } from '../../../src/ocop/ocop-record-types';
import { parseTemplate } from '../../../src/programmes/load-template';
import type { ProgrammeTemplate } from '../../../src/programmes/template';

function template(name: string): ProgrammeTemplate {
  const file = join(__dirname, '../../../templates/programmes', `${name}.yaml`);
  const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`the shipped template ${name} must load: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
  return loaded.template;
}

const CAMAU = template('camau-ocop-2022');
const ANGIANG = template('angiang-ocop-2022');
const DONGTHAP = template('dongthap-ocop-2026-2030');
const NEA = template('nea-2021-37');

const LEDGER = 'camau-2022';
const PRODUCT = 'nc-banh-phong-tom';
const TODAY = '2022-12-20';

type Unit = OcopSetting['unit'];
const U = {
  namCan: { id: 'cm-district-7', name: 'Huyện Năm Căn', role: 'ubnd-cap-huyen' },
  caiNuoc: { id: 'cm-district-2', name: 'Huyện Cái Nước', role: 'ubnd-cap-huyen' },
  allDistricts: { id: 'cm-ubnd-cap-huyen', name: 'Ủy ban nhân dân các huyện, thành phố Cà Mau', role: 'ubnd-cap-huyen' },
  districtCouncil: { id: 'cm-hd-huyen', name: 'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện', role: 'hoi-dong-cap-huyen' },
  provinceCouncil: { id: 'cm-hd-tinh', name: 'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh', role: 'hoi-dong-cap-tinh' },
  so: { id: 'cm-so-nn', name: 'Sở Nông nghiệp và Phát triển nông thôn', role: 'so-nong-nghiep-ptnt' },
  promotion: { id: 'cm-ttxt', name: 'Trung tâm Xúc tiến đầu tư và Hỗ trợ doanh nghiệp', role: 'trung-tam-xuc-tien' },
  health: { id: 'cm-so-y-te', name: 'Sở Y tế', role: 'so-y-te' },
} satisfies Record<string, Unit>;

const setting = (unit: Unit, over: Partial<OcopSetting> = {}): OcopSetting => ({ programme: CAMAU, unit, today: TODAY, ...over });
const base = (type: OcopRecord['type'], unit: Unit) => ({ type, ledger: LEDGER, unit: unit.id });

const PRODUCT_FIELDS = {
  id: PRODUCT,
  name: 'Bánh phồng tôm',
  producer: 'Công ty Cổ phần Xuất nhập khẩu Vĩnh Hòa Phát',
  address: 'Áp 2, xã Hàng Vịnh',
  representative: 'Mai Sáu',
  businessType: 'Công ty',
  category: 'Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến từ thủy, hải sản',
  district: 'Huyện Năm Căn',
};

type Step = [OcopRecord, Unit];
const registered = (over: Record<string, unknown> = {}, product: Record<string, unknown> = {}, unit: Unit = U.namCan): Step =>
  [{ ...base('ocop-registered', unit), product: { ...PRODUCT_FIELDS, ...product }, on: '2022-02-25', ...over } as OcopRecord, unit];
const recognised = (stars = 3, year = 2020) => registered({ recognised: { stars, year } });
const rated = (stars: number, level: string, on: string, unit: Unit = level === 'district' ? U.districtCouncil : U.provinceCouncil, over: Record<string, unknown> = {}): Step =>
  [{ ...base('ocop-rated', unit), product: PRODUCT, stars, level, round: 'Đợt 1/2022', on, council: unit.name, ...over } as OcopRecord, unit];
const upgraded = (stars: number, level: string, on: string, unit: Unit = level === 'national' ? U.so : U.provinceCouncil): Step =>
  [{ ...base('ocop-upgraded', unit), product: PRODUCT, stars, level, round: 'Đợt 2/2022', on, council: unit.name } as OcopRecord, unit];
const downgraded = (stars: number, on: string, unit: Unit = U.so): Step =>
  [{ ...base('ocop-downgraded', unit), product: PRODUCT, stars, on, reason: 'Kiểm tra: nhãn mác không đảm bảo', decision: 'Quyết định số 12/QĐ-SNN' } as OcopRecord, unit];
const revoked = (on: string, unit: Unit = U.so): Step =>
  [{ ...base('ocop-revoked', unit), product: PRODUCT, on, reason: 'Vi phạm an toàn thực phẩm', decision: 'Quyết định số 34/QĐ-UBND' } as OcopRecord, unit];
const supported = (on: string, unit: Unit = U.promotion): Step =>
  [{ ...base('ocop-supported', unit), product: PRODUCT, on, activity: 'Hội chợ OCOP Cà Mau 2022' } as OcopRecord, unit];

/** Folds the events the decider itself decides for each step (so every history is one the rules allow). */
function given(steps: Step[], over: Partial<OcopSetting> = {}): { events: OcopProductEvent[]; state: OcopProductState } {
  let state = ocopProductDecider.initialState();
  const events: OcopProductEvent[] = [];
  for (const [record, unit] of steps) {
    for (const event of ocopProductDecider.decide({ record, setting: setting(unit, over) }, state)) {
      events.push(event);
      state = ocopProductDecider.evolve(state, event);
    }
  }
  return { events, state };
}

const when = ([record, unit]: Step, history: Step[] = [], over: Partial<OcopSetting> = {}) =>
  ocopProductDecider.decide({ record, setting: setting(unit, over) }, given(history, over).state);

function refused(run: () => unknown): DomainError {
  let accepted: unknown;
  try {
    accepted = run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`expected a DomainError, got ${String(error)}`);
  }
  throw new Error(`expected a DomainError, but the command was accepted: ${JSON.stringify(accepted)}`);
}

function expectProblem(run: () => unknown, code: DomainError['code'], field: string, reason: RegExp) {
  const error = refused(run);
  expect({ code: error.code, field: error.problems[0]?.field, problems: error.problems.length }).toEqual({ code, field, problems: 1 });
  expect(error.problems[0].reason).toMatch(reason);
}

const ids = { ledgerId: LEDGER, productId: PRODUCT };

describe('OCOP product stream', () => {
  it('is one stream per (ledger, product)', () => {
    expect(ocopStream('camau-2022', 'nc-banh-phong-tom')).toBe('ocop-camau-2022.nc-banh-phong-tom');
  });
});

describe('ocop-registered', () => {
  it('registers a new product with its facts (NFC, single spaces) and its category read into sector, group, sub-group', () => {
    const nfd = 'Bánh phồng  tôm '.normalize('NFD');
    expect(when(registered({}, { name: nfd }))).toEqual([{
      type: 'OcopProductRegistered',
      data: {
        ...ids, unitId: U.namCan.id,
        name: 'Bánh phồng tôm', producer: 'Công ty Cổ phần Xuất nhập khẩu Vĩnh Hòa Phát', address: 'Áp 2, xã Hàng Vịnh', representative: 'Mai Sáu',
        businessType: 'Công ty', category: 'Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến từ thủy, hải sản',
        sector: 'Thực phẩm', group: 'Thực phẩm chế biến', subgroup: 'Chế biến từ thủy, hải sản',
        district: 'Huyện Năm Căn', on: '2022-02-25', recognised: null,
      },
    }]);
  });

  it('keeps a missing address and representative as null', () => {
    const [event] = when(registered({}, { address: undefined, representative: undefined }));
    expect(event.data).toMatchObject({ address: null, representative: null });
  });

  it('registers a product for upgrading with the certificate it holds (Phụ lục 3): 3–4 stars province, 5 national', () => {
    expect(when(recognised(3, 2020))[0].data).toMatchObject({ recognised: { stars: 3, level: 'province', year: 2020 } });
    expect(when(recognised(5, 2021))[0].data).toMatchObject({ recognised: { stars: 5, level: 'national', year: 2021 } });
  });

  it('registering twice is a conflict', () => {
    expectProblem(() => when(registered(), [registered()]), 'conflict', 'product.id', /already registered in ledger "camau-2022" \(on 2022-02-25, Huyện Năm Căn\)/);
  });

  it('a recognised certificate below 3 stars, or from a year after the registration, is refused', () => {
    expectProblem(() => when(recognised(2, 2020)), 'invalid', 'recognised.stars', /awarded from 3 stars/);
    expectProblem(() => when(recognised(3, 2023)), 'invalid', 'recognised.year', /2023 is after the registration/);
  });

  it('the district must be one of the programme’s (Phụ lục 4) where it has them', () => {
    expectProblem(() => when(registered({}, { district: 'Huyện Châu Thành' }, U.allDistricts)), 'invalid', 'product.district', /not a district of programme camau-ocop-2022/);
    expect(when(registered({}, { district: 'Huyện Châu Thành' }, { id: 'ag-huyen', name: 'UBND huyện Châu Thành', role: 'district-people-committee' }), [], { programme: ANGIANG })[0].data)
      .toMatchObject({ district: 'Huyện Châu Thành' });
  });

  it('a district registers its own products only; a unit for all districts registers any', () => {
    expectProblem(() => when(registered({}, {}, U.caiNuoc)), 'forbidden', 'product.district', /registers the products of its own district, not of Huyện Năm Căn/);
    expect(when(registered({}, {}, U.allDistricts))[0].data).toMatchObject({ unitId: U.allDistricts.id, district: 'Huyện Năm Căn' });
  });

  it('only the roles the programme gives registration may register', () => {
    expectProblem(() => when(registered({}, {}, U.health)), 'forbidden', 'unit', /role "so-y-te" may not register OCOP products in programme camau-ocop-2022: only roles ubnd-cap-huyen/);
    expectProblem(() => when(registered({}, {}, { id: 'gd-grid', name: '广东电网', role: 'supply-company' }), [], { programme: NEA }), 'forbidden', 'type', /programme nea-2021-37 gives no unit OCOP duties/);
  });

  it('the date is real and not in the future', () => {
    expectProblem(() => when(registered({ on: '2022-12-21' })), 'invalid', 'on', /2022-12-21 is in the future \(today is 2022-12-20 in Asia\/Ho_Chi_Minh\)/);
    expectProblem(() => when(registered({ on: '2022-02-30' })), 'invalid', 'on', /"2022-02-30" is not a real date/);
  });

  it('a category the appendix does not know is refused, naming the choices', () => {
    expectProblem(() => when(registered({}, { category: 'Ngành: Thảo dược Nhóm: Trà' })), 'invalid', 'product.category', /unknown Ngành "Thảo dược"; one of: Thực phẩm; Đồ uống/);
  });
});

describe('every other record needs a registered product', () => {
  it.each([
    ['ocop-rated', rated(3, 'province', '2022-08-25')],
    ['ocop-upgraded', upgraded(4, 'province', '2022-08-25')],
    ['ocop-downgraded', downgraded(3, '2022-08-25')],
    ['ocop-revoked', revoked('2022-08-25')],
    ['ocop-supported', supported('2022-08-25')],
  ] as [string, Step][])('%s of an unregistered product: not found', (_type, step) => {
    expectProblem(() => when(step), 'not-found', 'product', /no product "nc-banh-phong-tom" registered in ledger "camau-2022"; register it first/);
  });
});

describe('ocop-rated', () => {
  it('a district council’s assessment awards no certificate', () => {
    expect(when(rated(3, 'district', '2022-06-20'), [registered()])).toEqual([{
      type: 'OcopProductRated',
      data: { ...ids, unitId: U.districtCouncil.id, stars: 3, level: 'district', round: 'Đợt 1/2022', council: U.districtCouncil.name, on: '2022-06-20', decision: null, certified: false },
    }]);
  });

  it('a province council’s result of 3 or 4 stars awards the certificate; below 3 it does not', () => {
    expect(when(rated(3, 'province', '2022-08-25', U.provinceCouncil, { decision: 'Quyết định số 2345/QĐ-UBND' }), [registered()])[0].data)
      .toMatchObject({ stars: 3, level: 'province', certified: true, decision: 'Quyết định số 2345/QĐ-UBND' });
    expect(when(rated(2, 'province', '2022-08-25'), [registered()])[0].data).toMatchObject({ stars: 2, certified: false });
  });

  it('a product without a certificate may be rated again (next round), at either level', () => {
    const history = [registered(), rated(2, 'district', '2022-06-20'), rated(2, 'province', '2022-08-25')];
    expect(when(rated(3, 'district', '2022-09-20'), history)[0].data).toMatchObject({ stars: 3, level: 'district' });
    expect(when(rated(3, 'province', '2022-11-25'), history)[0].data).toMatchObject({ stars: 3, certified: true });
  });

  it('a certified product is not rated again at province level: it changes by upgrade, downgrade or revocation', () => {
    expectProblem(() => when(rated(4, 'province', '2022-11-25'), [registered(), rated(3, 'province', '2022-08-25')]), 'conflict', 'product',
      /holds a 3-star province certificate \(since 2022-08-25\): its stars change by ocop-upgraded, ocop-downgraded or ocop-revoked/);
    expectProblem(() => when(rated(4, 'province', '2022-11-25'), [recognised(3, 2020)]), 'conflict', 'product', /holds a 3-star province certificate:/);
  });

  it('a district council may assess a certified product (before its upgrade)', () => {
    expect(when(rated(4, 'district', '2022-06-20'), [recognised(3, 2020)])[0].data).toMatchObject({ stars: 4, level: 'district', certified: false });
  });

  it('national level and 5 stars are refused: 5 stars are a national upgrade of a 4-star certificate', () => {
    expectProblem(() => when(rated(5, 'national', '2022-08-25', U.so), [registered()]), 'invalid', 'level', /record it as ocop-upgraded with level national/);
    expectProblem(() => when(rated(5, 'province', '2022-08-25'), [registered()]), 'invalid', 'stars', /5 stars are awarded only by the national council/);
  });

  it('each level is recorded by the roles the programme gives it', () => {
    expectProblem(() => when(rated(3, 'province', '2022-08-25', U.districtCouncil), [registered()]), 'forbidden', 'unit',
      /may not record province-level ratings in programme camau-ocop-2022: only roles hoi-dong-cap-tinh, so-nong-nghiep-ptnt, ubnd-tinh/);
    expectProblem(() => when(rated(3, 'district', '2022-06-20', U.provinceCouncil), [registered()]), 'forbidden', 'unit', /may not record district-level ratings/);
    expect(when(rated(3, 'province', '2022-08-25', U.so), [registered()])[0].data).toMatchObject({ unitId: U.so.id });
  });

  it('Đồng Tháp has no district level: no unit records a district rating', () => {
    const commune = { id: 'dt-xa', name: 'UBND xã, phường', role: 'commune-people-committee' };
    const so = { id: 'dt-so', name: 'Sở Nông nghiệp và Môi trường', role: 'agriculture-environment-dept' };
    const history: Step[] = [registered({ on: '2026-03-01' }, { district: 'Xã Mỹ Thọ' }, commune)];
    expectProblem(() => when(rated(3, 'district', '2026-08-25', so), history, { programme: DONGTHAP, today: '2026-12-01' }), 'forbidden', 'unit', /may not record district-level ratings .*: no role/);
    expect(when(rated(3, 'province', '2026-08-25', so), history, { programme: DONGTHAP, today: '2026-12-01' })[0].data)
      .toMatchObject({ certified: true });
  });

  it('is not dated before the product’s latest fact, nor in the future', () => {
    expectProblem(() => when(rated(3, 'province', '2022-02-24'), [registered()]), 'invalid', 'on', /2022-02-24 is before the product's latest recorded fact \(2022-02-25\)/);
    expectProblem(() => when(rated(3, 'province', '2022-08-25'), [registered(), rated(3, 'district', '2022-09-20')]), 'invalid', 'on', /before the product's latest recorded fact \(2022-09-20\)/);
    expectProblem(() => when(rated(3, 'province', '2023-01-05'), [registered()]), 'invalid', 'on', /is in the future/);
  });
});

describe('ocop-upgraded', () => {
  it('raises the stars of a certificate at province level (3 → 4), naming where it came from', () => {
    expect(when(upgraded(4, 'province', '2022-11-25'), [recognised(3, 2020)])).toEqual([{
      type: 'OcopProductUpgraded',
      data: { ...ids, unitId: U.provinceCouncil.id, fromStars: 3, fromLevel: 'province', stars: 4, level: 'province', round: 'Đợt 2/2022', council: U.provinceCouncil.name, on: '2022-11-25', decision: null },
    }]);
  });

  it('5 stars at national level, from a 4-star certificate only', () => {
    expect(when(upgraded(5, 'national', '2022-12-01'), [recognised(4, 2021)])[0].data).toMatchObject({ fromStars: 4, stars: 5, level: 'national' });
    expectProblem(() => when(upgraded(5, 'national', '2022-12-01'), [recognised(3, 2021)]), 'invalid', 'stars', /rates products holding a 4-star certificate; product "nc-banh-phong-tom" holds 3 stars/);
  });

  it('national ⇔ 5 stars; no district upgrades', () => {
    expectProblem(() => when(upgraded(5, 'province', '2022-12-01'), [recognised(4, 2021)]), 'invalid', 'level', /5 stars are awarded only at national level/);
    expectProblem(() => when(upgraded(4, 'national', '2022-12-01'), [recognised(3, 2021)]), 'invalid', 'level', /the national council awards 5 stars only/);
    expectProblem(() => when(upgraded(4, 'district', '2022-12-01', U.districtCouncil), [recognised(3, 2021)]), 'invalid', 'level', /a district council assesses/);
  });

  it('needs a current certificate', () => {
    expectProblem(() => when(upgraded(4, 'province', '2022-11-25'), [registered()]), 'conflict', 'product', /needs a current OCOP certificate; .*holds no certificate yet/);
    expectProblem(() => when(upgraded(4, 'province', '2022-11-25'), [registered(), rated(3, 'district', '2022-06-20')]), 'conflict', 'product', /holds no certificate yet \(a district assessment awards none\)/);
    expectProblem(() => when(upgraded(3, 'province', '2022-11-25'), [registered(), rated(2, 'province', '2022-08-25')]), 'conflict', 'product', /latest province result is 2 stars, below the 3/);
  });

  it('needs more stars than the current ones', () => {
    expectProblem(() => when(upgraded(3, 'province', '2022-11-25'), [recognised(3, 2020)]), 'invalid', 'stars', /must award more than the current 3 stars/);
    expectProblem(() => when(upgraded(4, 'province', '2022-11-25'), [recognised(3, 2020), upgraded(4, 'province', '2022-08-25')]), 'invalid', 'stars', /more than the current 4 stars/);
  });

  it('is recorded by the roles of its level', () => {
    expectProblem(() => when(upgraded(5, 'national', '2022-12-01', U.provinceCouncil), [recognised(4, 2021)]), 'forbidden', 'unit', /may not record national-level ratings/);
    expectProblem(() => when(upgraded(4, 'province', '2022-11-25', U.namCan), [recognised(3, 2020)]), 'forbidden', 'unit', /may not record province-level ratings/);
  });

  it('is not dated before the product’s latest fact', () => {
    expectProblem(() => when(upgraded(4, 'province', '2022-02-01'), [recognised(3, 2020)]), 'invalid', 'on', /before the product's latest recorded fact \(2022-02-25\)/);
  });
});

describe('ocop-downgraded (giảm sao after an inspection)', () => {
  it('reduces the stars of a certificate, with the reason and the decision', () => {
    expect(when(downgraded(3, '2022-09-15'), [recognised(4, 2021)])).toEqual([{
      type: 'OcopProductDowngraded',
      data: { ...ids, unitId: U.so.id, fromStars: 4, fromLevel: 'province', stars: 3, level: 'province', on: '2022-09-15', reason: 'Kiểm tra: nhãn mác không đảm bảo', decision: 'Quyết định số 12/QĐ-SNN' },
    }]);
    expect(when(downgraded(4, '2022-09-15'), [recognised(5, 2021)])[0].data).toMatchObject({ fromStars: 5, fromLevel: 'national', stars: 4, level: 'province' });
  });

  it('needs fewer stars, and at least 3 (below, the certificate is revoked)', () => {
    expectProblem(() => when(downgraded(4, '2022-09-15'), [recognised(4, 2021)]), 'invalid', 'stars', /fewer than the current 4 stars/);
    expectProblem(() => when(downgraded(2, '2022-09-15'), [recognised(4, 2021)]), 'invalid', 'stars', /below 3 stars no certificate stands: record the certificate revoked/);
  });

  it('needs a current certificate and an inspecting role', () => {
    expectProblem(() => when(downgraded(3, '2022-09-15'), [registered()]), 'conflict', 'product', /a downgrade needs a current OCOP certificate/);
    expectProblem(() => when(downgraded(3, '2022-09-15', U.provinceCouncil), [recognised(4, 2021)]), 'forbidden', 'unit', /may not downgrade or revoke OCOP certificates .*only roles so-nong-nghiep-ptnt, ubnd-tinh, ban-chi-dao/);
  });
});

describe('ocop-revoked, and nothing after it but a new rating', () => {
  const revokedHistory: Step[] = [recognised(3, 2020), revoked('2022-09-15')];

  it('revokes the certificate, naming the stars and level it had', () => {
    expect(when(revoked('2022-09-15'), [recognised(3, 2020)])).toEqual([{
      type: 'OcopCertificateRevoked',
      data: { ...ids, unitId: U.so.id, stars: 3, level: 'province', on: '2022-09-15', reason: 'Vi phạm an toàn thực phẩm', decision: 'Quyết định số 34/QĐ-UBND' },
    }]);
  });

  it('needs a current certificate and an inspecting role', () => {
    expectProblem(() => when(revoked('2022-09-15'), [registered(), rated(2, 'province', '2022-08-25')]), 'conflict', 'product', /a revocation needs a current OCOP certificate/);
    expectProblem(() => when(revoked('2022-09-15', U.health), [recognised(3, 2020)]), 'forbidden', 'unit', /role "so-y-te" may not downgrade or revoke/);
  });

  it.each([
    ['ocop-upgraded', upgraded(4, 'province', '2022-11-25')],
    ['ocop-downgraded', downgraded(3, '2022-11-25')],
    ['ocop-revoked', revoked('2022-11-25')],
    ['ocop-supported', supported('2022-11-25')],
  ] as [string, Step][])('%s after the revocation: conflict', (_type, step) => {
    expectProblem(() => when(step, revokedHistory), 'conflict', 'product', /its certificate was revoked on 2022-09-15 \(Quyết định số 34\/QĐ-UBND\); only a new rating \(ocop-rated\) may follow/);
  });

  it('a new rating must be dated after the revocation; then the product may be certified again', () => {
    expectProblem(() => when(rated(3, 'district', '2022-09-15'), revokedHistory), 'invalid', 'on', /a new rating after the revocation of 2022-09-15 .* must be dated after it/);
    expect(when(rated(3, 'district', '2022-09-20'), revokedHistory)[0].data).toMatchObject({ level: 'district' });
    const { state } = given([...revokedHistory, rated(3, 'province', '2022-11-25')]);
    expect(state).toEqual({ registered: { on: '2022-02-25', district: 'Huyện Năm Căn' }, rating: { stars: 3, level: 'province', on: '2022-11-25', certified: true }, revoked: null, lastOn: '2022-11-25' });
  });
});

describe('ocop-supported (kết nối giao thương)', () => {
  it('records trade-promotion support of a certified product', () => {
    expect(when(supported('2022-10-05'), [recognised(3, 2020)])).toEqual([{ type: 'OcopProductSupported', data: { ...ids, unitId: U.promotion.id, on: '2022-10-05', activity: 'Hội chợ OCOP Cà Mau 2022' } }]);
  });

  it('needs a certificate, dated from it, and a trade-promotion role', () => {
    expectProblem(() => when(supported('2022-10-05'), [registered()]), 'conflict', 'product', /trade-promotion support of an OCOP product needs a current OCOP certificate/);
    expectProblem(() => when(supported('2022-08-01'), [registered(), rated(3, 'province', '2022-08-25')]), 'invalid', 'on', /holds its certificate from 2022-08-25; the support must not be dated before it/);
    expectProblem(() => when(supported('2022-10-05', U.namCan), [recognised(3, 2020)]), 'forbidden', 'unit', /may not record trade-promotion support/);
  });

  it('does not move the product’s latest fact date', () => {
    const { state } = given([recognised(3, 2020), supported('2022-10-05')]);
    expect(state.lastOn).toBe('2022-02-25');
    expect(when(upgraded(4, 'province', '2022-09-01'), [recognised(3, 2020), supported('2022-10-05')])[0].type).toBe('OcopProductUpgraded');
  });
});

describe('from events as read back from the log', () => {
  const events: OcopProductEvent[] = [
    {
      type: 'OcopProductRegistered',
      data: {
        ...ids, unitId: U.namCan.id, name: 'Cua biển Năm Căn', producer: 'Hợp tác xã Tân Hiệp Phát', address: null, representative: null, businessType: 'Hợp tác xã',
        category: 'Ngành: Thực phẩm Nhóm: Thực phẩm tươi sống Phân nhóm: Thịt, trứng, sữa tươi', sector: 'Thực phẩm', group: 'Thực phẩm tươi sống', subgroup: 'Thịt, trứng, sữa tươi',
        district: 'Huyện Năm Căn', on: '2022-04-15', recognised: { stars: 4, level: 'province', year: 2020 },
      },
    },
    { type: 'OcopProductRated', data: { ...ids, unitId: U.districtCouncil.id, stars: 5, level: 'district', round: 'Đợt 1/2022', council: 'HĐ huyện', on: '2022-06-20', decision: null, certified: false } },
  ];
  const state = events.reduce(ocopProductDecider.evolve, ocopProductDecider.initialState());

  it('folds them into the product’s state', () => {
    expect(state).toEqual({ registered: { on: '2022-04-15', district: 'Huyện Năm Căn' }, rating: { stars: 4, level: 'province', on: null, certified: true }, revoked: null, lastOn: '2022-06-20' });
  });

  it('then decides the national 5-star upgrade of the 4-star certificate', () => {
    const [record, unit] = upgraded(5, 'national', '2022-12-01');
    expect(ocopProductDecider.decide({ record, setting: setting(unit) }, state)).toEqual([{
      type: 'OcopProductUpgraded',
      data: { ...ids, unitId: U.so.id, fromStars: 4, fromLevel: 'province', stars: 5, level: 'national', round: 'Đợt 2/2022', council: U.so.name, on: '2022-12-01', decision: null },
    }]);
  });
});

describe('evolve', () => {
  it('folds a product’s life: recognised, assessed, upgraded, downgraded, revoked', () => {
    const steps: Step[] = [recognised(3, 2020), rated(4, 'district', '2022-06-20'), upgraded(4, 'province', '2022-08-25'), downgraded(3, '2022-09-15'), revoked('2022-10-01')];
    const states = steps.map((_, i) => given(steps.slice(0, i + 1)).state);
    expect(states.map((s) => [s.rating?.stars ?? null, s.rating?.certified ?? null, s.revoked?.on ?? null, s.lastOn])).toEqual([
      [3, true, null, '2022-02-25'],
      [3, true, null, '2022-06-20'],
      [4, true, null, '2022-08-25'],
      [3, true, null, '2022-09-15'],
      [null, null, '2022-10-01', '2022-10-01'],
    ]);
  });
});
