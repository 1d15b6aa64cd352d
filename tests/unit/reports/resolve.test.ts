import type { ReportLayout } from '../../../src/reports/layout';
import { loadReportLayout } from '../../../src/reports/load-layout';
import { periodFields } from '../../../src/reports/period-fields';
import { bindingKey, layoutBindings, ReportDataError, reportDigest, resolveReport } from '../../../src/reports/resolve';
import type { GridCell, ReportData } from '../../../src/reports/resolved';
import { attachment3Data, LOG } from '../../integration/reports/samples';

const texts = (rows: GridCell[][]) => rows.map((r) => r.map((c) => (c ? c.text : null)));

describe('resolveReport with NEA attachment 3', () => {
  const layout = loadReportLayout('nea-attachment-3');

  it('fills the title, the (年月—年月) line and the header block', () => {
    const r = resolveReport(layout, attachment3Data());
    expect(r.title.map((l) => l.text)).toEqual(['附件3', '广东省“三零”“三省”服务效益统计表', '(2021年1月—2021年6月)']);
    expect(r.header).toEqual([
      { label: '填报人及联系方式：', value: '陈晓明 020-85124567' },
      { label: '审核人：', value: '黄志强' },
      { label: '填报日期：', value: '2021年7月10日' },
    ]);
    expect(r.signature.map((l) => l.text)).toEqual(['填报单位盖章处']);
    expect(r.page.pageNumbers).toEqual([{ literal: '第 ' }, { counter: 'page' }, { literal: ' 页 共 ' }, { counter: 'pages' }, { literal: ` 页　核验标识：${LOG.reportPin}` }]);
  });

  it('shows the months of the period: a whole year, the second half-year', () => {
    const year = resolveReport(layout, { ...attachment3Data(), fields: { ...attachment3Data().fields, ...periodFields('2021') } });
    expect(year.title[2].text).toBe('(2021年1月—2021年12月)');
    const h2 = resolveReport(layout, { ...attachment3Data(), fields: { ...attachment3Data().fields, ...periodFields('2021-H2') } });
    expect(h2.title[2].text).toBe('(2021年7月—2021年12月)');
  });

  it('lays the two header rows out on a grid with the merges of the source form', () => {
    const [t] = resolveReport(layout, attachment3Data()).tables;
    expect(texts(t.head)).toEqual([
      ['统计内容', '“三零”服务效益', null, null, '“三省”服务效益', '合计'],
      [null, '居民用户', '160kW及以下的企业用户', '其他用户', null, null],
    ]);
    expect(t.head[0].map((c) => c && [c.rowSpan, c.colSpan])).toEqual([[2, 1], [1, 3], null, null, [2, 1], [2, 1]]);
  });

  it('binds the four metrics × four services and sums each row into 合计', () => {
    const [t] = resolveReport(layout, attachment3Data()).tables;
    expect(texts(t.body)).toEqual([
      ['受益户数(户)', '152,340', '8,215', '1,207', '3,561', '165,323'],
      ['节省投资(万元)', '45,210.50', '18,034.25', '2,310.10', '9,876.40', '75,431.25'],
      ['增加售电量(万千瓦时)', '12,345.67', '8,901.20', '0.10', '5,432.20', '26,679.17'],
      ['增加容量(万千瓦安)', '321.45', '210.30', '15.05', '988.80', '1,535.60'],
    ]);
    expect(t.body[1][5]).toMatchObject({ value: 75431.25, type: 'number', numFmt: '#,##0.00', align: 'right' });
    expect(t.body[0][5]).toMatchObject({ value: 165323, numFmt: '#,##0' });
    expect(layoutBindings(layout)).toHaveLength(16);
    expect(layoutBindings(layout)[0]).toEqual({ key: 'benefit.households', where: { service: 'sanling-residential' } });
  });

  it('leaves a cell without data empty, and sums what there is', () => {
    const data = attachment3Data();
    const values = { ...data.values };
    delete values['benefit.households{service=sansheng}'];
    for (const s of ['sanling-residential', 'sanling-enterprise', 'sanling-other', 'sansheng']) delete values[`benefit.capacityAdded{service=${s}}`];
    const [t] = resolveReport(layout, { ...data, values }).tables;
    expect(t.body[0][4]).toMatchObject({ text: '', value: null });
    expect(t.body[0][5]).toMatchObject({ text: '161,762', value: 161762 });
    expect(texts(t.body)[3]).toEqual(['增加容量(万千瓦安)', '', '', '', '', '']);
  });

  it('fails naming a field the data lacks; null prints empty', () => {
    const data = attachment3Data();
    const { jurisdiction: _j, ...fields } = data.fields;
    expect(() => resolveReport(layout, { ...data, fields })).toThrow(new ReportDataError(['missing field "jurisdiction"']));
    const blank = resolveReport(layout, { ...data, fields: { ...data.fields, reporter: null } });
    expect(blank.header[0]).toEqual({ label: '填报人及联系方式：', value: '' });
  });

  it('is deterministic: the same input gives the same model and digest; another as-of another digest', () => {
    const a = resolveReport(layout, attachment3Data());
    const b = resolveReport(layout, attachment3Data());
    expect(b).toEqual(a);
    expect(reportDigest(b)).toBe(reportDigest(a));
    expect(reportDigest(resolveReport(layout, { ...attachment3Data(), asOf: '2021-07-11T00:00:00Z' }))).not.toBe(reportDigest(a));
  });
});

describe('resolveReport with repeated and grouped tables', () => {
  const layout: ReportLayout = {
    id: 'tasks',
    language: 'zh-CN',
    labels: {
      'zh-CN': { status: { late: '逾期', done: '完成' }, dateFormat: 'yyyy-mm-dd', sum: '合计' },
      vi: { status: { late: 'Quá hạn', done: 'Xong' }, dateFormat: 'dd/mm/yyyy', sum: 'Tổng cộng' },
    },
    page: { size: 'A4', orientation: 'landscape', margins: { top: 10, right: 10, bottom: 10, left: 10 } },
    formats: { date: { date: '{label.dateFormat}' }, n: { number: { decimals: 0, grouping: true } } },
    title: [{ text: '{ledgerName}' }],
    tables: [
      {
        id: 'rows', sheet: 'rows',
        columns: [{ id: 'number', width: 5 }, { id: 'unit', width: 10 }, { id: 'status', width: 8 }, { id: 'due', width: 10, format: 'date' }],
        head: [[{ text: 'No' }, { text: 'Unit' }, { text: 'Status' }, { text: 'Due' }]],
        body: {
          kind: 'repeated', list: 'tasks', sort: ['number'], merge: ['number'],
          cells: { number: { field: 'number' }, unit: { field: 'unit' }, status: { text: '{status|status}' }, due: { field: 'due' } },
          highlight: { field: 'status', classes: { late: 'overdue' }, fills: { overdue: 'ff8080' }, columns: ['unit', 'status'] },
        },
      },
      {
        id: 'units', sheet: 'units',
        columns: [{ id: 'unit', width: 10 }, { id: 'all', width: 5, format: 'n' }, { id: 'late', width: 5, format: 'n' }],
        head: [[{ text: 'Unit' }, { text: 'All' }, { text: 'Late' }]],
        body: { kind: 'grouped', list: 'tasks', groupBy: 'unit', order: 'asc', cells: { unit: { text: '{unit}' }, all: { count: {} }, late: { count: { field: 'status', in: ['late'] } } } },
        totals: { label: '{label.sum}', sum: ['all', 'late'] },
      },
    ],
  };
  const data = (language: 'zh-CN' | 'vi'): ReportData => ({
    asOf: '2022-11-20T03:00:00Z',
    language,
    fields: { ledgerName: 'Kế hoạch OCOP An Giang'.normalize('NFD') },
    lists: {
      tasks: [
        { number: '1.10', unit: 'Sở Tài chính', status: 'done', due: '2022-12-31' },
        { number: '1.2', unit: 'Sở Công Thương', status: 'late', due: '2022-06-30' },
        { number: '1.2', unit: 'Sở Tài chính', status: 'done', due: '2022-06-30' },
        { number: '1.9', unit: 'Sở Công Thương', status: 'late', due: null },
      ],
    },
  });

  it('sorts naturally, merges equal runs, colours rows by class and formats dates per language', () => {
    const r = resolveReport(layout, data('vi'));
    const [rows] = r.tables;
    expect(texts(rows.body)).toEqual([
      ['1.2', 'Sở Công Thương', 'Quá hạn', '30/06/2022'],
      [null, 'Sở Tài chính', 'Xong', '30/06/2022'],
      ['1.9', 'Sở Công Thương', 'Quá hạn', ''],
      ['1.10', 'Sở Tài chính', 'Xong', '31/12/2022'],
    ]);
    expect(rows.body[0][0]).toMatchObject({ rowSpan: 2 });
    expect(rows.body[0].map((c) => c?.fill)).toEqual([undefined, 'FF8080', 'FF8080', undefined]);
    expect(rows.body[1].map((c) => c?.fill)).toEqual([undefined, undefined, undefined, undefined]);
    expect(rows.body[0][3]).toMatchObject({ type: 'date', value: '2022-06-30', numFmt: 'dd/mm/yyyy' });
    expect(resolveReport(layout, data('zh-CN')).tables[0].body[0][3]).toMatchObject({ text: '2022-06-30', numFmt: 'yyyy-mm-dd' });
  });

  it('counts rows per group and totals the columns', () => {
    const [, units] = resolveReport(layout, data('vi')).tables;
    expect(texts(units.body)).toEqual([['Sở Công Thương', '2', '2'], ['Sở Tài chính', '2', '0'], ['Tổng cộng', '4', '2']]);
    expect(units.body[2][1]).toMatchObject({ value: 4, bold: true, numFmt: '#,##0' });
  });

  it('writes every text in NFC, whatever the data sends', () => {
    const r = resolveReport(layout, data('vi'));
    expect(r.title[0].text).toBe('Kế hoạch OCOP An Giang'.normalize('NFC'));
    expect(r.title[0].text).not.toBe('Kế hoạch OCOP An Giang'.normalize('NFD'));
    const nfd = data('vi');
    nfd.lists!.tasks = nfd.lists!.tasks.map((t) => ({ ...t, unit: String(t.unit).normalize('NFD') }));
    const cells = resolveReport(layout, nfd).tables.flatMap((t) => t.body.flat()).filter((c) => c !== null);
    expect(cells.every((c) => c!.text === c!.text.normalize('NFC'))).toBe(true);
    const mixed = data('vi'); // one row decomposed, the others composed: still one unit
    mixed.lists!.tasks = mixed.lists!.tasks.map((t, i) => (i === 0 ? { ...t, unit: String(t.unit).normalize('NFD') } : t));
    expect(texts(resolveReport(layout, mixed).tables[1].body).map((r) => r[0])).toEqual(['Sở Công Thương', 'Sở Tài chính', 'Tổng cộng']);
  });

  it('refuses a language the layout has no labels for', () => {
    expect(() => resolveReport(layout, { ...data('vi'), language: 'en' as never })).toThrow('has no labels for language "en"');
  });

  it('keys bindings with their dimensions sorted', () => {
    expect(bindingKey({ key: 'm', where: { service: 'x', area: 'y' } })).toBe('m{area=y,service=x}');
    expect(bindingKey({ key: 'm' })).toBe('m');
  });
});
