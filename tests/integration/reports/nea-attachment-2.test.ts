import { loadReportLayout } from '../../../src/reports/load-layout';
import { renderPdf } from '../../../src/reports/render-pdf';
import { renderXlsx } from '../../../src/reports/render-xlsx';
import { resolveReport } from '../../../src/reports/resolve';
import { findCell, merges, pdfText, readXlsx, requirePoppler, squeeze } from './helpers';
import { attachment2Data } from './samples';

describe('NEA attachment 2 (“获得电力”任务指标完成情况统计表) rendered and opened back', () => {
  const layout = loadReportLayout('nea-attachment-2');
  const data = attachment2Data();
  const standards = data.lists!.standards;
  const resolved = resolveReport(layout, data);
  let xlsx: Buffer;
  let pdf: Buffer;

  beforeAll(async () => {
    requirePoppler();
    [xlsx, pdf] = await Promise.all([renderXlsx(resolved), renderPdf(resolved)]);
  });

  it('has the 38 standards of 附件2-2 in four deadline groups', () => {
    expect(standards).toHaveLength(38);
    const groups = standards.map((s) => s.group);
    expect([...new Set(groups)]).toEqual(['2020年底前', '2021年底前', '2022年底前', '持续推进']);
    expect(['2020年底前', '2021年底前', '2022年底前', '持续推进'].map((g) => groups.filter((x) => x === g).length)).toEqual([21, 12, 3, 2]);
  });

  it('xlsx: one row per standard, the group cell merged over its rows, * kept, verdicts and units', async () => {
    const ws = (await readXlsx(xlsx)).worksheets[0];
    expect(ws.name).toBe('任务指标完成情况');
    expect(ws.getCell('A1').value).toBe('“获得电力”任务指标完成情况统计表');
    const head = findCell(ws, '指标完成时间')!;
    expect(ws.getRow(Number(head.row)).values).toEqual([undefined, '指标完成时间', '指标序号', '可量化指标内容', '指标完成标准', '完成情况', '判定依据', '责任单位']);
    const first = Number(head.row) + 1;
    expect(merges(ws)).toEqual(expect.arrayContaining([
      `A${first}:A${first + 20}`, `A${first + 21}:A${first + 32}`, `A${first + 33}:A${first + 35}`, `A${first + 36}:A${first + 37}`,
    ]));
    expect([first, first + 21, first + 33, first + 36].map((r) => ws.getCell(`A${r}`).value)).toEqual(['2020年底前', '2021年底前', '2022年底前', '持续推进']);
    expect(ws.getCell(`B${first + 20}`).value).toBe('*21');
    expect(ws.getCell(`B${first + 37}`).value).toBe('*38');
    expect(ws.getCell(`B${first}`).value).toBe('1');
    expect(ws.getCell(`C${first + 37}`).value).toBe('鼓励供电企业推广临时用电的租赁共享服务。');
    expect(ws.getCell(`D${first + 37}`).value).toBe('/');
    expect(ws.getCell(`E${first}`).value).toBe('已完成');
    expect(ws.getCell(`E${first + 2}`).value).toBe('未完成');
    expect(ws.getCell(`E${first + 36}`).value).toBe('进行中');
    expect(ws.getCell(`E${first + 33}`).value).toBe('未到期');
    expect(ws.getCell(`F${first + 2}`).value).toBe('最长办理时间 7 个工作日 > 5');
    expect(ws.getCell(`G${first}`).value).toBe('各省级能源（电力）主管部门');
    expect(ws.pageSetup.printTitlesRow).toBe(`${head.row}:${head.row}`);
  });

  it('pdf: several pages, the header row on each, every number with its star', () => {
    const text = pdfText(pdf);
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    for (const [i, page] of pages.entries()) {
      expect(squeeze(page)).toContain(`第${i + 1}页共${pages.length}页`);
      if (/\*?\d+\s{2,}/.test(page.replace(/核验标识.*/, ''))) expect(squeeze(page)).toContain('可量化指标内容'); // a page of rows has the header
    }
    expect(pages.filter((p) => squeeze(p).includes('可量化指标内容'))).toHaveLength(pages.length - (squeeze(pages[pages.length - 1]).includes('*38') ? 0 : 1));
    const closing = squeeze(pages[pages.length - 1]);
    expect(closing).toContain('注：完成情况');
    expect(closing).toContain('填报单位盖章处');
    const flat = squeeze(text);
    for (const s of ['“获得电力”任务指标完成情况统计表', '(2021年1月—2021年6月)', '填报单位：广东省', '2020年底前', '2021年底前', '2022年底前', '持续推进',
      '*21', '*27', '*29', '*30', '*33', '*37', '*38', '已完成', '未完成', '进行中', '未到期', '无数据', '填报单位盖章处']) {
      expect(flat).toContain(s);
    }
    // A long cell wraps, and pdftotext interleaves the columns line by line: its first line is contiguous.
    expect(flat).toContain('*21各省级价格主管部门提前一个月向社会公布制定或');
    expect(flat).toContain('注：完成情况由台账按截至2021年7月10日记录的数据和评定判定');
  });

  it('regenerates byte-identical files with fonts embedded', async () => {
    const again = resolveReport(layout, attachment2Data());
    expect((await renderXlsx(again)).equals(xlsx)).toBe(true);
    expect((await renderPdf(again)).equals(pdf)).toBe(true);
    expect(pdf.toString('latin1')).toMatch(/\/FontFile2[\s\S]*\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
  });
});
