import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../../../src/programmes/load-template';
import type { ProgrammeTemplate } from '../../../src/programmes/template';
import { loadReportLayout } from '../../../src/reports/load-layout';
import { figureCells, figureName, figuresGrids, type FiguresGrid } from '../../../src/web/units/figures-grid';

function programme(id: string): ProgrammeTemplate {
  const file = join(__dirname, '../../../templates/programmes', `${id}.yaml`);
  const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.template;
}

const layoutOf = (reportId: string) => {
  try {
    return loadReportLayout(reportId);
  } catch {
    return null;
  }
};

const texts = (grid: FiguresGrid) => grid.rows.map((row) => row.map((c) => (c.kind === 'text' ? c.text : c.kind === 'figure' ? `${c.metric.id}:${Object.values(c.dimensions).join(',')}` : c.kind === 'total' ? `sum(${c.of.length})` : '')));

describe('the figures grids of a programme', () => {
  it('lays NEA’s Attachment 3 out as the form prints it: four rows, 三零 three user classes, 三省 and 合计 summing the row', () => {
    const grids = figuresGrids(programme('nea-2021-37'), layoutOf, '合计');
    const attachment3 = grids.filter((g) => g.reportId === 'nea-attachment-3');
    expect(attachment3).toHaveLength(1);
    const [grid] = attachment3;
    expect(grid.head).toEqual([
      [{ text: '统计内容', rowSpan: 2 }, { text: '“三零”服务效益', colSpan: 3 }, { text: '“三省”服务效益', rowSpan: 2 }, { text: '合计', rowSpan: 2 }],
      [{ text: '居民用户' }, { text: '160kW及以下的企业用户' }, { text: '其他用户' }],
    ]);
    const services = 'sanling-residential sanling-enterprise sanling-other sansheng'.split(' ');
    expect(texts(grid)).toEqual(
      [
        ['受益户数(户)', 'benefit.households'],
        ['节省投资(万元)', 'benefit.investmentSaved'],
        ['增加售电量(万千瓦时)', 'benefit.salesAdded'],
        ['增加容量(万千瓦安)', 'benefit.capacityAdded'],
      ].map(([label, metric]) => [label, ...services.map((s) => `${metric}:${s}`), 'sum(4)']),
    );
    const total = grid.rows[0][5];
    expect(total).toEqual({ kind: 'total', of: services.map((service) => figureName('benefit.households', { service })) });
    expect(figureCells(grid)[1].label).toBe('受益户数(户) · “三零”服务效益 160kW及以下的企业用户');
    // The programme's other submitted metrics get generic grids; none of Attachment 3's appears twice.
    const others = grids.filter((g) => g.reportId === null);
    expect(others.length).toBeGreaterThan(0);
    const names = grids.flatMap(figureCells).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives a metric without a layout a grid of its dimensions: the last one across, the others down, 合计 only where figures add up', () => {
    const template = programme('nea-2021-37');
    const metric = {
      id: 'x.outages',
      label: '停电时间',
      unit: '小时',
      aggregate: 'sum' as const,
      dimensions: [
        { id: 'area', label: '区域', values: [{ id: 'city', label: '城市' }, { id: 'rural', label: '农村' }] },
        { id: 'cause', label: '原因', values: [{ id: 'planned', label: '计划' }, { id: 'fault', label: '故障' }] },
      ],
    };
    const grids = figuresGrids({ ...template, reports: [], metrics: [metric, { id: 'x.rate', label: '可靠率', unit: '%', aggregate: 'latest' }] }, layoutOf, '合计');
    expect(grids.map((g) => g.caption)).toEqual(['停电时间（小时）', '可靠率（%）']);
    expect(grids[0].head).toEqual([[{ text: '区域' }, { text: '计划' }, { text: '故障' }, { text: '合计' }]]);
    expect(texts(grids[0])).toEqual([
      ['城市', 'x.outages:city,planned', 'x.outages:city,fault', 'sum(2)'],
      ['农村', 'x.outages:rural,planned', 'x.outages:rural,fault', 'sum(2)'],
    ]);
    expect(grids[1].head).toEqual([[{ text: '' }, { text: '%' }]]);
    expect(texts(grids[1])).toEqual([['可靠率', 'x.rate:']]);
  });

  it('has no grid for a programme whose figures are all counted from OCOP products', () => {
    expect(figuresGrids(programme('dongthap-ocop-2026-2030'), layoutOf, 'Tổng cộng')).toEqual([]);
    expect(figuresGrids(programme('camau-ocop-2022'), layoutOf, 'Tổng cộng').every((g) => g.reportId === null)).toBe(true);
  });
});
