/**
 * A year of OCOP work in Cà Mau (2022), planned from the products of Phụ lục 2 and 3
 * (templates/samples/camau-ocop-2022.products.yaml): district registrations, district and province
 * rating rounds, upgrades, a revocation after an inspection, and trade-promotion support — as
 * submission records. The demo replays it; the OCOP integration test checks its figures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { uuidFromKey } from '../event-sourcing/key-uuid';
import { templatesDir } from '../config';
import type { ProgrammeTemplate } from '../programmes/template';

export interface SeasonNaming {
  ledgerId: string;
  /** Scope of the derived record ids (uuidFromKey), so two plans never share an id. */
  idScope: string;
  /** The ledger's unit for a district of Phụ lục 4, and for a role of the programme. */
  districtUnit: (district: string, districts: string[]) => string;
  roleUnit: (roleId: string) => string;
}

export interface Candidate { number: string; product: string; producer: string; address?: string; businessType: string; category?: string; representative?: string; district: string }
export interface Upgrade { number: string; product: string; producer: string; address?: string; businessType: string; representative?: string; stars: number; year: number; district: string }

export type SeasonLine = Record<string, unknown>;

/** The plan of the year for a ledger: the record lines of each phase, and the choices behind them. */
export function camauOcopSeason(naming: SeasonNaming) {
  const samples = parse(readFileSync(join(templatesDir(), 'samples/camau-ocop-2022.products.yaml'), 'utf8')) as { candidates: Candidate[]; upgrades: Upgrade[] };
  const template = parse(readFileSync(join(templatesDir(), 'programmes/camau-ocop-2022.yaml'), 'utf8')) as ProgrammeTemplate;
  const districts = template.allocations!['district-targets'].rows.map((r) => r.unit);
  const unitOfDistrict = (district: string) => naming.districtUnit(district, districts);
  const role = naming.roleUnit;
  const LEDGER = naming.ledgerId;
  // Phụ lục 3 gives no category: the test classifies the 22 products itself (not the source's words).
  const SEAFOOD = 'Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến từ thủy, hải sản';
  const UPGRADE_CATEGORY: Record<string, string> = {
    'Gạo sạch Ông Muộn': 'Ngành: Thực phẩm Nhóm: Thực phẩm thô sơ, sơ chế Phân nhóm: Gạo, ngũ cốc',
    'Mật Ong Rum CM': 'Ngành: Thực phẩm Nhóm: Thực phẩm thô sơ, sơ chế Phân nhóm: Mật ong, các sản phẩm từ mật ong, mật khác',
    'Nước cốt trái nhàu nguyên chất SK NONI': 'Ngành: Đồ uống Nhóm: Đồ uống không cồn Phân nhóm: Đồ uống không cồn',
    'Cua biển Năm Căn': 'Ngành: Thực phẩm Nhóm: Thực phẩm tươi sống Phân nhóm: Thịt, trứng, sữa tươi',
    'Rượu trái giác 5 Quốc': 'Ngành: Đồ uống Nhóm: Đồ uống có cồn',
    'Cam 3 Tinh': 'Ngành: Thực phẩm Nhóm: Thực phẩm tươi sống Phân nhóm: Rau, củ, quả, hạt tươi',
  };


  /** The 54 candidates whose category the appendix gives (8 rows leave it empty: not replayed), then the 22 upgrades. */
  const news = samples.candidates.filter((c) => c.category).map((c, i) => ({ ...c, id: `n${String(i + 1).padStart(2, '0')}`, i }));
  const ups = samples.upgrades.map((u, j) => ({ ...u, id: `u${String(j + 1).padStart(2, '0')}`, j }));

  /** District round 1 (June) for the first 30 new products, round 2 (September) for the rest; the province follows in August / November. */
  const districtStars = (i: number) => (i % 9 === 0 ? 2 : i % 4 === 0 ? 4 : 3);
  const provinceStars = (i: number) => (i % 7 === 3 ? 2 : districtStars(i));
  const round1 = news.filter((n) => n.i < 30);
  const round2 = news.filter((n) => n.i >= 30);
  const toProvince = (list: typeof news) => list.filter((n) => districtStars(n.i) >= 3);
  /** Ten upgrade candidates assessed at 4 stars by the district councils in June; six upgraded by the province (three in August, three in November). */
  const assessedUps = ups.filter((u) => u.j < 10);
  const upgradedAug = ups.filter((u) => u.j < 3);
  const upgradedNov = ups.filter((u) => u.j >= 3 && u.j < 6);
  /** The last of Phụ lục 3 (Tôm khô, Hộ kinh doanh Ngọc Giàu) loses its certificate after an inspection (VII, Tháng 6 - 9/2022). */
  const revokedUp = ups[21];

  const line = (key: string, type: string, unit: string, body: SeasonLine): SeasonLine => ({ id: uuidFromKey(naming.idScope, key), type, ledger: LEDGER, unit, ...body });
  const council = (level: string) => (level === 'district' ? 'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện' : 'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh');
  const ratedLine = (id: string, stars: number, level: 'district' | 'province', round: string, on: string) =>
    line(`${id}/rated/${level}/${on}`, 'ocop-rated', level === 'district' ? role('hoi-dong-cap-huyen') : role('hoi-dong-cap-tinh'), { product: id, stars, level, round, on, council: council(level) });

  const registrations: SeasonLine[] = [
    ...news.map((n) =>
      line(`${n.id}/registered`, 'ocop-registered', unitOfDistrict(n.district), {
        product: {
          id: n.id, name: n.product, producer: n.producer, businessType: n.businessType, category: n.category, district: n.district,
          ...(n.address ? { address: n.address } : {}), ...(n.representative ? { representative: n.representative } : {}),
        },
        on: `2022-02-${String(20 + (n.i % 8)).padStart(2, '0')}`,
      })),
    ...ups.map((u) =>
      line(`${u.id}/registered`, 'ocop-registered', unitOfDistrict(u.district), {
        product: {
          id: u.id, name: u.product, producer: u.producer, businessType: u.businessType, category: UPGRADE_CATEGORY[u.product] ?? SEAFOOD, district: u.district,
          ...(u.address ? { address: u.address } : {}), ...(u.representative ? { representative: u.representative } : {}),
        },
        recognised: { stars: u.stars, year: u.year },
        on: '2022-04-15',
      })),
  ];
  const june: SeasonLine[] = [
    ...round1.map((n) => ratedLine(n.id, districtStars(n.i), 'district', 'Đợt 1/2022', '2022-06-20')),
    ...assessedUps.map((u) => ratedLine(u.id, 4, 'district', 'Đợt 1/2022', '2022-06-20')),
  ];
  const augustToSeptember: SeasonLine[] = [
    ...toProvince(round1).map((n) => ratedLine(n.id, provinceStars(n.i), 'province', 'Đợt 1/2022', '2022-08-25')),
    ...upgradedAug.map((u) => line(`${u.id}/upgraded`, 'ocop-upgraded', role('hoi-dong-cap-tinh'), { product: u.id, stars: 4, level: 'province', round: 'Đợt 1/2022', on: '2022-08-25', council: council('province') })),
    line(`${revokedUp.id}/revoked`, 'ocop-revoked', role('so-nong-nghiep-ptnt'), {
      product: revokedUp.id, on: '2022-09-15', reason: 'Kiểm tra, giám sát: sản phẩm không duy trì tiêu chuẩn an toàn thực phẩm', decision: 'Quyết định số 1799/QĐ-UBND',
    }),
    ...round2.map((n) => ratedLine(n.id, districtStars(n.i), 'district', 'Đợt 2/2022', '2022-09-20')),
  ];
  const certifiedInAugust = toProvince(round1).filter((n) => provinceStars(n.i) >= 3);
  const supportedProducts = [...certifiedInAugust.map((n) => n.id), ...ups.filter((u) => u !== revokedUp).map((u) => u.id)];
  const octoberToNovember: SeasonLine[] = [
    ...supportedProducts.map((id) => line(`${id}/supported`, 'ocop-supported', role('trung-tam-xuc-tien'), { product: id, on: '2022-10-10', activity: 'Hội chợ, triển lãm sản phẩm OCOP tỉnh Cà Mau 2022' })),
    ...toProvince(round2).map((n) => ratedLine(n.id, provinceStars(n.i), 'province', 'Đợt 2/2022', '2022-11-25')),
    ...upgradedNov.map((u) => line(`${u.id}/upgraded`, 'ocop-upgraded', role('hoi-dong-cap-tinh'), { product: u.id, stars: 4, level: 'province', round: 'Đợt 2/2022', on: '2022-11-25', council: council('province') })),
  ];

  return {
    districts, news, ups, round1, round2, districtStars, provinceStars, toProvince, assessedUps, upgradedAug, upgradedNov, revokedUp,
    registrations, june, augustToSeptember, certifiedInAugust, supportedProducts, octoberToNovember, line, council, ratedLine,
  };
}
