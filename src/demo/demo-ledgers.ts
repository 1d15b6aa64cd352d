import type { UnitRow } from '../ledgers/open-ledger/units-csv';
import type { ProgrammeTemplate } from '../programmes/template';
import { camauOcopSeason } from './camau-ocop-season';

export interface DemoLedger {
  ledgerId: string;
  programmeId: string;
  name: string;
  units: (template: ProgrammeTemplate) => UnitRow[];
  /** OCOP product records of the year, in order (Cà Mau: the products of its appendices 2 and 3). */
  ocopSeason?: () => Record<string, unknown>[];
}

/** One unit for each role of the programme, named as the source names the role. */
function unitPerRole(prefix: string, template: ProgrammeTemplate): UnitRow[] {
  return template.roles.map((role) => ({ id: `${prefix}-${role.id}`, name: role.name, role: role.id, parent: null }));
}

/** The five sample ledgers: one jurisdiction per source programme, with plausible units. */
export const DEMO_LEDGERS: DemoLedger[] = [
  {
    ledgerId: 'gd-2021',
    programmeId: 'nea-2021-37',
    name: '广东省',
    units: (t) => [
      ...unitPerRole('gd', t),
      { id: 'gd-gz-grid', name: '广州供电局', role: 'supply-company', parent: 'gd-supply-company' },
      { id: 'gd-sz-grid', name: '深圳供电局', role: 'supply-company', parent: 'gd-supply-company' },
      { id: 'gd-fs-grid', name: '佛山供电局', role: 'supply-company', parent: 'gd-supply-company' },
      { id: 'gd-zh-local', name: '珠海市地方供电企业', role: 'supply-company', parent: null },
      { id: 'gd-incremental', name: '广州开发区增量配电企业', role: 'supply-company', parent: null },
    ],
  },
  { ledgerId: 'cnipa-2022', programmeId: 'cnipa-2021-2022', name: '国务院知识产权战略实施工作部际联席会议', units: (t) => unitPerRole('ip', t) },
  { ledgerId: 'dongthap-2026', programmeId: 'dongthap-ocop-2026-2030', name: 'Tỉnh Đồng Tháp', units: (t) => unitPerRole('dt', t) },
  {
    ledgerId: 'camau-2022',
    programmeId: 'camau-ocop-2022',
    name: 'Tỉnh Cà Mau',
    units: (t) => [
      ...unitPerRole('cm', t),
      ...(t.allocations?.['district-targets']?.rows ?? []).map((row, index) => ({
        id: `cm-district-${index + 1}`,
        name: row.unit,
        role: 'ubnd-cap-huyen',
        parent: 'cm-ubnd-cap-huyen',
      })),
    ],
    ocopSeason: () => {
      const season = camauOcopSeason({
        ledgerId: 'camau-2022',
        idScope: 'demo',
        districtUnit: (district, districts) => `cm-district-${districts.indexOf(district) + 1}`,
        roleUnit: (roleId) => `cm-${roleId}`,
      });
      return [...season.registrations, ...season.june, ...season.augustToSeptember, ...season.octoberToNovember];
    },
  },
  { ledgerId: 'angiang-2022', programmeId: 'angiang-ocop-2022', name: 'Tỉnh An Giang', units: (t) => unitPerRole('ag', t) },
];

