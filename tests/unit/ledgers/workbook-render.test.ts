import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { LedgerDefinition, LedgerUnit } from '../../../src/ledgers/ledger-directory';
import { MAX_UNPACKED_BYTES, readWorkbook } from '../../../src/ledgers/workbook/read-workbook';
import { renderWorkbook } from '../../../src/ledgers/workbook/render-workbook';
import { META_SHEET, TEXTS } from '../../../src/ledgers/workbook/workbook-layout';
import { dimensionCombinations, planWorkbook } from '../../../src/ledgers/workbook/workbook-plan';
import { readMeta, workbookRecords } from '../../../src/ledgers/workbook/workbook-records';
import type { ProgrammeTemplate } from '../../../src/programmes/template';
import { loadProgramme } from '../../support/ledger-log';

/** The workbook as a file, without a store: plan → xlsx → cells, in both languages. */

const PINNED = '2021-03-01T08:00:00.000Z';

function ledgerOf(programme: ProgrammeTemplate, ledgerId: string, units: Omit<LedgerUnit, 'retired' | 'parent'>[]): LedgerDefinition {
  return { ledgerId, name: ledgerId, programme, programmeVersion: 1, units: new Map(units.map((u) => [u.id, { ...u, parent: null, retired: false }])) };
}

const nea = loadProgramme('nea-2021-37').template;
const gd = ledgerOf(nea, 'gd-2021', [
  { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company' },
  { id: 'gd-nea', name: '广东省能源局', role: 'energy-authority' },
]);

async function open(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb;
}

describe('planning a workbook', () => {
  it('lists the tasks the unit’s role leads or co-operates on, and one metric row per combination of dimension values', () => {
    const plan = planWorkbook(gd, 'gd-grid', '2021-H1', PINNED);
    const numbers = plan.tasks.map((t) => t.number);
    expect(numbers).toContain('4');
    expect(numbers).not.toContain('2');
    expect(plan.tasks.find((t) => t.number === '1')).toMatchObject({ responsibility: 'cooperating', deadline: '2022年底前' });
    expect(plan.tasks.find((t) => t.number === '4')).toMatchObject({ responsibility: 'lead' });
    const submitted = (nea.metrics ?? []).filter((m) => !m.derivedFrom);
    expect(plan.metrics.rows).toHaveLength(submitted.reduce((n, m) => n + dimensionCombinations(m).length, 0));
    expect(plan.metrics.rows.filter((r) => r.metric.id === 'reliability.outageHours').map((r) => r.values.map((v) => v.value.id).join('/'))).toEqual([
      'major/central', 'major/urban', 'major/town', 'major/rural', 'other/central', 'other/urban', 'other/town', 'other/rural',
    ]);
    expect(planWorkbook(gd, 'gd-nea', '2021-H1', PINNED).tasks.map((t) => t.number)).toContain('2');
  });

  it('has no metric rows, but says why, for a period the programme does not report on', () => {
    const plan = planWorkbook(gd, 'gd-grid', '2021-Q1', PINNED);
    expect(plan.metrics).toEqual({ rows: [], message: '本计划不按 2021-Q1 报送指标数据（报送周期：半年 (H1)、年度）。' });
    expect(plan.tasks.length).toBeGreaterThan(0);
  });

  it('refuses an unknown unit, a malformed period, and one outside the programme’s years', () => {
    expect(() => planWorkbook(gd, 'nobody', '2021-H1', PINNED)).toThrow(/no unit "nobody"/);
    expect(() => planWorkbook(gd, 'gd-grid', '2021-H3', PINNED)).toThrow(/H3 out of range/);
    expect(() => planWorkbook(gd, 'gd-grid', '1900', PINNED)).toThrow(/1900 is outside the periods this programme accepts: 2019-01-01 to 2023-12-31/);
  });
});

describe('rendering a workbook', () => {
  it('gives the same bytes for the same plan', async () => {
    const first = await renderWorkbook(planWorkbook(gd, 'gd-grid', '2021-H1', PINNED));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await renderWorkbook(planWorkbook(gd, 'gd-grid', '2021-H1', PINNED));
    expect(again.equals(first)).toBe(true);
    const wb = await open(first);
    expect(wb.created.toISOString()).toBe(PINNED);
    expect(wb.modified.toISOString()).toBe(PINNED);
  });

  it('writes the task sheet with a status drop-down and date cells, the metric sheet with validated value cells, and a very hidden meta sheet', async () => {
    const wb = await open(await renderWorkbook(planWorkbook(gd, 'gd-grid', '2021-H1', PINNED)));
    expect(wb.worksheets.map((ws) => [ws.name, ws.state])).toEqual([
      ['任务', 'visible'],
      ['指标', 'visible'],
      ['meta', 'veryHidden'],
    ]);
    const tasks = wb.getWorksheet('任务')!;
    expect(tasks.getRow(3).values).toEqual([undefined, '序号', '任务内容', '完成时限', '责任', '进展状态', '日期', '备注', '佐证材料']);
    expect(tasks.getCell('A4').value).toBe('1');
    expect(tasks.getCell('D4').value).toBe('配合');
    expect(tasks.getCell('E4').dataValidation).toMatchObject({ type: 'list', formulae: ['"未开始,进行中,已完成,受阻"'] });
    expect(tasks.getCell('F4').dataValidation).toMatchObject({ type: 'date', operator: 'between', formulae: [new Date('2019-01-01T00:00:00Z'), new Date('2023-12-31T00:00:00Z')] });
    expect(tasks.getCell('F4').numFmt).toBe('yyyy-mm-dd');
    expect(tasks.getCell('E4').protection).toMatchObject({ locked: false });
    expect(tasks.getCell('A4').protection?.locked).not.toBe(false);

    const metrics = wb.getWorksheet('指标')!;
    expect(metrics.getRow(4).values).toEqual([undefined, 1, '受益户数', '服务效益：居民用户', '户', undefined, '0 至 1000000000 之间的整数', 'benefit.households', '{"service":"sanling-residential"}']);
    expect(metrics.getCell('E4').dataValidation).toMatchObject({ type: 'whole', operator: 'between', formulae: [0, 1000000000] });
    const share = [...Array(metrics.rowCount).keys()].map((i) => metrics.getRow(i + 1)).find((r) => r.getCell(7).value === 'connection.onlineShare')!;
    expect(share.getCell(5).dataValidation).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, 100] });
    expect(metrics.getColumn(7).hidden).toBe(true);
    expect(metrics.getColumn(8).hidden).toBe(true);

    const meta = wb.getWorksheet(META_SHEET)!;
    expect(meta.getColumn(2).values.slice(1, 8)).toEqual(['compliance-ledger/fill-in-workbook', 1, 'gd-2021', 'gd-grid', '2021-H1', 'nea-2021-37', 1]);
  });

  it('writes a Vietnamese workbook with Vietnamese labels, and reads its filled cells back to records', async () => {
    // An Giang's metrics counted from OCOP events, with a submitted metric of the test's own added.
    const angiang = loadProgramme('angiang-ocop-2022').template;
    const programme: ProgrammeTemplate = {
      ...angiang,
      metrics: [
        ...(angiang.metrics ?? []).filter((m) => m.derivedFrom === 'ocop'),
        { id: 'poverty.households', label: 'Hộ thoát nghèo', unit: 'hộ', min: 0, integer: true, dimensions: [{ id: 'area', label: 'Khu vực', values: [{ id: 'urban', label: 'Thành thị' }, { id: 'rural', label: 'Nông thôn' }] }] },
      ],
    };
    const ag = ledgerOf(programme, 'ag-2022', [{ id: 'ag-chau-doc', name: 'UBND thành phố Châu Đốc', role: 'district-people-committee' }]);
    const wb = await open(await renderWorkbook(planWorkbook(ag, 'ag-chau-doc', '2022-Q2', PINNED)));
    const t = TEXTS.vi;
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['Nhiệm vụ', 'Chỉ tiêu', 'meta']);
    const tasks = wb.getWorksheet(t.taskSheet)!;
    expect(tasks.getCell('A1').value).toBe('UBND thành phố Châu Đốc – Báo cáo tiến độ thực hiện nhiệm vụ (2022-Q2)');
    expect(tasks.getCell('E4').dataValidation).toMatchObject({ type: 'list', formulae: ['"Chưa thực hiện,Đang thực hiện,Đã hoàn thành,Gặp vướng mắc"'] });
    const metrics = wb.getWorksheet(t.metricSheet)!;
    expect(metrics.getRow(4).values).toEqual([undefined, 1, 'Hộ thoát nghèo', 'Khu vực: Thành thị', 'hộ', undefined, 'Số nguyên không nhỏ hơn 0', 'poverty.households', '{"area":"urban"}']);

    tasks.getCell('E4').value = 'Đã hoàn thành';
    tasks.getCell('F4').value = '30/6/2022';
    metrics.getCell('E5').value = 12;
    const filled = await readWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
    const { meta } = readMeta(filled);
    expect(meta).toMatchObject({ ledger: 'ag-2022', unit: 'ag-chau-doc', period: '2022-Q2', language: 'vi' });
    const { records, problems } = workbookRecords(filled, meta!);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.record)).toEqual([
      { type: 'progress', ledger: 'ag-2022', unit: 'ag-chau-doc', task: tasks.getCell('A4').value, status: 'completed', on: '2022-06-30' },
      { type: 'metric', ledger: 'ag-2022', unit: 'ag-chau-doc', period: '2022-Q2', metric: 'poverty.households', dimensions: { area: 'rural' }, value: 12 },
    ]);
  });

  it('says so on the metric sheet of a programme without submitted metrics', async () => {
    // An Giang without part III's two submitted figures: every metric left is counted from OCOP events.
    const template = loadProgramme('angiang-ocop-2022').template;
    const angiang: ProgrammeTemplate = { ...template, metrics: (template.metrics ?? []).filter((m) => m.derivedFrom === 'ocop') };
    const ag = ledgerOf(angiang, 'ag-2022', [{ id: 'ag-chau-doc', name: 'UBND thành phố Châu Đốc', role: 'district-people-committee' }]);
    const wb = await open(await renderWorkbook(planWorkbook(ag, 'ag-chau-doc', '2022-Q2', PINNED)));
    expect(wb.getWorksheet('Chỉ tiêu')!.getCell('A4').value).toBe(TEXTS.vi.noSubmittedMetrics);
  });

  it('refuses an upload that is no zip, or a zip that unpacks to more than it may', async () => {
    await expect(readWorkbook(Buffer.from('id,status\n'))).rejects.toMatchObject({ code: 'invalid', problems: [{ field: '(workbook)', reason: expect.stringMatching(/^is not an .xlsx file/) }] });
    const bomb = new JSZip();
    bomb.file('xl/worksheets/sheet1.xml', Buffer.alloc(MAX_UNPACKED_BYTES + 1));
    const bytes = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(bytes.length).toBeLessThan(1024 * 1024);
    await expect(readWorkbook(bytes)).rejects.toMatchObject({ code: 'too-large', problems: [{ field: '(workbook)', reason: expect.stringMatching(/^unpacks to \d+ bytes/) }] });
  });
});
