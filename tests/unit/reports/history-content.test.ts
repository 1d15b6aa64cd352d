import { eventContent, periodIn, type ContentWords } from '../../../src/reports/history-content';
import { loadProgramme } from '../../support/ledger-log';

const nea = loadProgramme('nea-2021-37').template;
const camau = loadProgramme('camau-ocop-2022').template;
const zh: ContentWords = { lang: 'zh', programme: nea, units: new Map([['gd-grid', { name: '广东电网有限责任公司' }]]), products: new Map() };
const vi: ContentWords = { lang: 'vi', programme: camau, units: new Map([['cm-district-1', { name: 'Thành phố Cà Mau' }]]), products: new Map([['n01', 'Gạo ST 25 Thuận Xương']]) };

describe('an event’s content as people read it, in the programme’s language', () => {
  it('names a progress report by task number and first words, its status label, date, note and evidence', () => {
    const data = { ledgerId: 'gd-2021', unitId: 'gd-grid', task: '4', status: 'completed', on: '2021-06-30', note: '已完成', evidence: ['文号 519/2020', '附件1'] };
    expect(eventContent('ProgressReported', data, zh)).toBe('任务 4“将居民用户、实行“三零”服务的低压非居民用户从报装申请到装表…”：已完成（2021年6月30日）；说明：已完成；佐证材料：文号 519/2020、附件1');
    expect(eventContent('ProgressReported', { task: 'I.1', status: 'blocked', on: '2022-02-26', note: null, evidence: [] }, vi)).toMatch(/^Nhiệm vụ I\.1 “.+…”: Vướng mắc \(ngày 26\/02\/2022\)$/);
  });

  it('names a figure by the metric’s label, its dimension labels, the period and the value with its unit', () => {
    const data = { metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sanling-residential' }, value: 1520 };
    expect(eventContent('MetricReported', data, zh)).toBe('受益户数（居民用户），2021年上半年：1520 户');
    expect(eventContent('MetricReported', data, { ...zh, lang: 'en' })).toBe('受益户数 (居民用户), H1 2021: 1520 户');
  });

  it('spells out a ledger’s units, a retired unit, OCOP products and a report, never “[object Object]” or machine names', () => {
    const opened = eventContent('LedgerOpened', { name: 'Tỉnh Cà Mau', units: [{ id: 'a', name: 'Sở Công Thương' }, { id: 'b', name: 'Sở Y tế' }] }, vi);
    expect(opened).toBe('Lập sổ “Tỉnh Cà Mau” với 2 đơn vị: Sở Công Thương, Sở Y tế');
    expect(eventContent('UnitRetired', { unitId: 'gd-grid', reason: 'merged' }, zh)).toBe('撤销单位：广东电网有限责任公司');
    const rated = { productId: 'n01', stars: 3, level: 'district', round: 'Đợt 1/2022', council: 'Hội đồng cấp huyện', on: '2022-06-20', decision: null };
    expect(eventContent('OcopProductRated', rated, vi)).toBe('Sản phẩm n01 “Gạo ST 25 Thuận Xương”: 3 sao, Hội đồng cấp huyện, Đợt 1/2022 (ngày 20/06/2022)');
    const report = { reportId: 'task-status', period: '2021', asOf: '2022-01-15T15:59:59.999Z', trigger: 'schedule', files: [{ format: 'pdf', sha256: 'ab'.repeat(32) }] };
    expect(eventContent('ReportGenerated', report, zh)).toBe('任务台账进展（2021年），数据截至 2022-01-15 23:59:59，按报送日历生成；文件 pdf sha256:abababababab…');
    for (const text of [opened, eventContent('SomethingNew', { ledgerId: 'x', list: [{ a: 1 }], at: '2022' }, zh)]) expect(text).not.toMatch(/object Object|ledgerId/);
  });

  it('writes periods as the languages do', () => {
    expect(['2021', '2021-H2', '2022-Q3', '2022-9M', '2022-07'].map((p) => periodIn('vi', p))).toEqual(['năm 2021', '6 tháng cuối năm 2021', 'quý III/2022', '9 tháng năm 2022', 'tháng 7/2022']);
    expect(periodIn('zh', '2022-07')).toBe('2022年7月');
  });
});
