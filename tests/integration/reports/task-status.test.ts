import type ExcelJS from 'exceljs';
import { loadReportLayout } from '../../../src/reports/load-layout';
import { renderPdf } from '../../../src/reports/render-pdf';
import { renderXlsx } from '../../../src/reports/render-xlsx';
import { resolveReport } from '../../../src/reports/resolve';
import type { ReportData } from '../../../src/reports/resolved';
import { findCell, merges, pdfStreams, pdfText, readXlsx, requirePoppler, squeeze } from './helpers';
import { taskStatusViData, taskStatusZhData } from './samples';

const FILLS = { overdue: 'FFFF8080', 'due-soon': 'FF9DC3E6', behind: 'FFFFE699' } as Record<string, string>;
/** The same colours as PDF fill operators (r g b scn, components 0–1). */
const PDF_FILLS = ['1 0.5019607843137255 0.5019607843137255 scn', '0.615686274509804 0.7647058823529411 0.9019607843137255 scn', '1 0.9019607843137255 0.6 scn'];

const cases: { language: string; data: () => ReportData; sheets: string[]; header: string[]; pageOne: string; labels: string[]; dateFormat: string }[] = [
  {
    language: 'zh-CN',
    data: () => taskStatusZhData(),
    sheets: ['任务执行情况', '按责任单位汇总'],
    header: ['任务编号', '工作任务', '责任单位', '完成状态', '最新报送进展', '情况说明及佐证材料', '完成时限', '完成日期', '是否逾期'],
    pageOne: '第1页共',
    labels: ['任务台账执行情况表', '广东省全面提升“获得电力”服务水平工作任务台账', '（报告期：2021年上半年状态截至2021年6月30日，依据截至2021年7月10日记录的数据）', '已逾期', '临近到期', '受阻', '按期完成', '逾期完成', '广东电网有限责任公司', '按责任单位汇总', '需督办', '合计', '填报单位盖章处'],
    dateFormat: 'yyyy-mm-dd',
  },
  {
    language: 'vi',
    data: () => taskStatusViData(),
    sheets: ['Tình hình thực hiện', 'Tổng hợp theo đơn vị'],
    header: ['Số TT', 'Nhiệm vụ', 'Đơn vị thực hiện', 'Tình trạng', 'Tiến độ gần nhất', 'Ghi chú, minh chứng', 'Thời hạn', 'Ngày hoàn thành', 'Trễ hạn'],
    pageOne: 'Trang1/',
    labels: ['BÁOCÁOTÌNHHÌNHTHỰCHIỆNNHIỆMVỤ', 'KếhoạchthựchiệnChươngtrìnhOCOPtỉnhAnGiangnăm2022', '(Kỳbáocáo:Năm2022-tìnhtrạngđếnngày20/11/2022,theosốliệughinhậnđếnngày20/11/2022)', 'Quáhạn', 'Sắpđếnhạn', 'Vướngmắc',
      'SởNôngnghiệpvàPháttriểnnôngthôn', 'Tổnghợptheođơnvịthựchiện', 'Cầnđônđốc', 'Tổngcộng', 'THỦTRƯỞNGĐƠNVỊ', '(Kýtên,đóngdấu)'],
    dateFormat: 'dd/mm/yyyy',
  },
];

describe.each(cases)('task-status report in $language, rendered and opened back', ({ data, sheets, header, pageOne, labels, dateFormat }) => {
  const layout = loadReportLayout('task-status');
  const rows = data().lists!.tasks;
  const resolved = resolveReport(layout, data());
  let xlsx: Buffer;
  let pdf: Buffer;
  let wb: ExcelJS.Workbook;

  beforeAll(async () => {
    requirePoppler();
    [xlsx, pdf] = await Promise.all([renderXlsx(resolved), renderPdf(resolved)]);
    wb = await readXlsx(xlsx);
  });

  it('xlsx: a sheet per table, one row per (task, unit), a task over its units merged', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(sheets);
    const ws = wb.worksheets[0];
    const head = Number(findCell(ws, header[0])!.row);
    expect(ws.getRow(head).values).toEqual([undefined, ...header]);
    expect(ws.getCell(`C${head + 1}`).value).toBe(rows[0].unit!.toString().normalize('NFC'));
    for (const [i, row] of rows.entries()) {
      expect(ws.getCell(`A${head + 1 + i}`).text).toBe(String(row.number));
      expect(ws.getCell(`B${head + 1 + i}`).text).toBe(String(row.text));
    }
    const multi = rows.findIndex((r, i) => i > 0 && r.number === rows[i - 1].number) - 1;
    let last = multi;
    while (rows[last + 1]?.number === rows[multi].number) last++;
    expect(merges(ws)).toEqual(expect.arrayContaining([`A${head + 1 + multi}:A${head + 1 + last}`, `B${head + 1 + multi}:B${head + 1 + last}`]));
    expect(ws.pageSetup.printTitlesRow).toBe(`${head}:${head}`);
  });

  it('xlsx: colours by status class, dates as dates, the late flag', () => {
    const ws = wb.worksheets[0];
    const head = Number(findCell(ws, header[0])!.row);
    for (const [i, row] of rows.entries()) {
      const r = head + 1 + i;
      const fill = (col: string) => (ws.getCell(`${col}${r}`).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
      expect([fill('C'), fill('D'), fill('E'), fill('F'), fill('I')]).toEqual(Array(5).fill(FILLS[String(row.flag)]));
      if (row.due) {
        expect(ws.getCell(`G${r}`).value).toEqual(new Date(`${row.due}T00:00:00Z`));
        expect(ws.getCell(`G${r}`).numFmt).toBe(dateFormat);
      }
      expect(ws.getCell(`I${r}`).text !== '').toBe(row.late === true);
      expect(ws.getCell(`F${r}`).text).toBe(row.detail ?? '');
    }
  });

  it('xlsx: roll-up per unit counts each row in exactly one state, and the totals add up', () => {
    const ws = wb.worksheets[1];
    const units = [...new Set(rows.map((r) => String(r.unit).normalize('NFC')))];
    const first = Number(findCell(ws, units[0])!.row);
    for (const [i, unit] of units.entries()) {
      const mine = rows.filter((r) => String(r.unit).normalize('NFC') === unit);
      const count = (...s: string[]) => mine.filter((r) => s.includes(String(r.status))).length;
      const values = ws.getRow(first + i).values as unknown[];
      expect(values).toEqual([undefined, unit, mine.length,
        count('completed', 'completed-on-time'), count('completed-late'), count('in-progress'), count('not-started'),
        count('reported'), count('not-reported'), count('blocked'), count('due-soon'), count('overdue')]);
      expect((values.slice(3) as number[]).reduce((a, b) => a + b, 0)).toBe(mine.length);
    }
    const totals = ws.getRow(first + units.length).values as unknown[];
    expect(totals[2]).toBe(rows.length);
    expect((totals.slice(3) as number[]).reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect((ws.getCell(`J${first - 1}`).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FF9DC3E6');
  });

  it('pdf: labels, statuses and units in the language, composed (NFC), header on every page, page numbers', () => {
    const text = pdfText(pdf);
    const flat = squeeze(text);
    for (const s of labels) expect(flat).toContain(s);
    // A header may wrap within its column: each of its words is there.
    for (const h of header) for (const word of h.split(' ')) expect(flat).toContain(word);
    expect(flat).toContain(pageOne);
    expect(text).not.toContain('Sở Nông nghiệp và Phát triển nông thôn'.normalize('NFD'));
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    for (const page of pages.slice(0, -1)) expect(squeeze(page)).toContain(squeeze(header[2]));
  });

  it('pdf: the status colours are painted, and the files regenerate byte for byte', async () => {
    const streams = pdfStreams(pdf);
    for (const op of PDF_FILLS) expect(streams).toContain(op);
    const again = resolveReport(layout, data());
    expect((await renderXlsx(again)).equals(xlsx)).toBe(true);
    expect((await renderPdf(again)).equals(pdf)).toBe(true);
    expect(pdf.toString('latin1')).toMatch(/\/FontFile2[\s\S]*\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
  });
});
