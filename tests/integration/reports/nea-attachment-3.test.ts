import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadReportLayout } from '../../../src/reports/load-layout';
import { renderPdf } from '../../../src/reports/render-pdf';
import { renderXlsx } from '../../../src/reports/render-xlsx';
import { reportDigest, resolveReport } from '../../../src/reports/resolve';
import { findCell, merges, pdfInfo, pdfText, readXlsx, requirePoppler, squeeze } from './helpers';
import { attachment3Data, LOG } from './samples';

describe('NEA attachment 3 (“三零”“三省”服务效益统计表) rendered and opened back', () => {
  const layout = loadReportLayout('nea-attachment-3');
  const resolved = resolveReport(layout, attachment3Data());
  let xlsx: Buffer;
  let pdf: Buffer;

  beforeAll(async () => {
    requirePoppler();
    [xlsx, pdf] = await Promise.all([renderXlsx(resolved), renderPdf(resolved)]);
  });

  it('xlsx: the form exactly — title, period, header line, two header rows with merges, four rows, seal', async () => {
    const wb = await readXlsx(xlsx);
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.worksheets[0];
    // The attachment label of the source (附件3) above the title, then the form row for row.
    expect(ws.getCell('A1').value).toBe('附件3');
    expect(ws.getCell('A1').alignment?.horizontal).toBe('left');
    expect(ws.getCell('A2').value).toBe('广东省“三零”“三省”服务效益统计表');
    expect(ws.getCell('A3').value).toBe('(2021年1月—2021年6月)');
    expect([ws.getCell('A4').value, ws.getCell('C4').value, ws.getCell('E4').value]).toEqual(['填报人及联系方式：陈晓明 020-85124567', '审核人：黄志强', '填报日期：2021年7月10日']);
    expect(['A6', 'B6', 'E6', 'F6', 'B7', 'C7', 'D7'].map((a) => ws.getCell(a).value)).toEqual(
      ['统计内容', '“三零”服务效益', '“三省”服务效益', '合计', '居民用户', '160kW及以下的企业用户', '其他用户']);
    expect(merges(ws)).toEqual(expect.arrayContaining(['A6:A7', 'B6:D6', 'E6:E7', 'F6:F7']));
    expect(['A8', 'A9', 'A10', 'A11'].map((a) => ws.getCell(a).value)).toEqual(['受益户数(户)', '节省投资(万元)', '增加售电量(万千瓦时)', '增加容量(万千瓦安)']);
    expect(ws.getRow(8).values).toEqual([undefined, '受益户数(户)', 152340, 8215, 1207, 3561, 165323]);
    expect(ws.getRow(9).values).toEqual([undefined, '节省投资(万元)', 45210.5, 18034.25, 2310.1, 9876.4, 75431.25]);
    expect(ws.getCell('F10').value).toBe(26679.17);
    expect(ws.getCell('F11').value).toBe(1535.6);
    expect(ws.getCell('F9').numFmt).toBe('#,##0.00');
    expect(ws.getCell('B8').numFmt).toBe('#,##0');
    expect(ws.getCell('F9').border.top?.style).toBe('thin');
    expect(findCell(ws, '填报单位盖章处')?.row).toBe(13);
  });

  it('xlsx: A4 landscape, fit to width, header rows frozen and printed on every page, page numbers, pinned dates', async () => {
    const wb = await readXlsx(xlsx);
    const ws = wb.worksheets[0];
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '6:7' });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 7 });
    // The footer pins the report to the log: its position and running digest at the as-of moment.
    expect(ws.headerFooter.oddFooter).toBe(`&C第 &P 页 共 &N 页　核验标识：${LOG.reportPin}`);
    expect(ws.getColumn(1).width).toBe(24);
    expect(wb.created.toISOString()).toBe('2021-07-10T08:00:00.000Z');
    expect(wb.modified.toISOString()).toBe('2021-07-10T08:00:00.000Z');
    expect(wb.creator).toBe('compliance-ledger');
  });

  it('pdf: pdftotext reads the title, period, header line, labels, figures and the seal', () => {
    const text = pdfText(pdf);
    const flat = squeeze(text);
    for (const s of ['附件3', '广东省“三零”“三省”服务效益统计表', '(2021年1月—2021年6月)', '填报人及联系方式：陈晓明020-85124567', '审核人：黄志强', '填报日期：2021年7月10日',
      '统计内容', '“三零”服务效益', '“三省”服务效益', '合计', '居民用户', '160kW及以下的企业用户', '其他用户', '填报单位盖章处', '第1页共1页']) {
      expect(flat).toContain(s);
    }
    const row = (label: string) => text.split('\n').find((l) => l.includes(label))?.trim().split(/\s{2,}/);
    expect(row('受益户数(户)')).toEqual(['受益户数(户)', '152,340', '8,215', '1,207', '3,561', '165,323']);
    expect(row('节省投资(万元)')).toEqual(['节省投资(万元)', '45,210.50', '18,034.25', '2,310.10', '9,876.40', '75,431.25']);
    expect(row('增加售电量(万千瓦时)')).toEqual(['增加售电量(万千瓦时)', '12,345.67', '8,901.20', '0.10', '5,432.20', '26,679.17']);
    expect(row('增加容量(万千瓦安)')).toEqual(['增加容量(万千瓦安)', '321.45', '210.30', '15.05', '988.80', '1,535.60']);
  });

  it('pdf: Noto Sans SC embedded as subsets, dates pinned to the as-of moment', () => {
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/FontFile2');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Bold/);
    expect(pdfInfo(pdf)).toMatchObject({
      CreationDate: '(D:20210710080000Z)',
      ModDate: '(D:20210710080000Z)',
      ReportDigest: `(sha256:${reportDigest(resolved)})`,
    });
    expect(pdf.length).toBeLessThan(60_000); // a subset, not the 10 MB font
  });

  it('regenerates byte-identical files; /ID follows the as-of moment and the content', async () => {
    const again = resolveReport(layout, attachment3Data());
    expect((await renderXlsx(again)).equals(xlsx)).toBe(true);
    expect((await renderPdf(again)).equals(pdf)).toBe(true);
    const id = (b: Buffer) => /\/ID \[<([0-9a-f]+)>/.exec(b.toString('latin1'))?.[1];
    expect(id(pdf)).toMatch(/^[0-9a-f]{32}$/);
    const later = await renderPdf(resolveReport(layout, { ...attachment3Data(), asOf: '2021-07-11T08:00:00.000Z' }));
    const data = attachment3Data();
    const changed = await renderPdf(resolveReport(layout, { ...data, values: { ...data.values, 'benefit.households{service=sansheng}': 3562 } }));
    expect(new Set([id(pdf), id(later), id(changed)]).size).toBe(3);
    const laterXlsx = await renderXlsx(resolveReport(layout, { ...attachment3Data(), asOf: '2021-07-11T08:00:00.000Z' }));
    expect(createHash('sha256').update(laterXlsx).digest('hex')).not.toBe(createHash('sha256').update(xlsx).digest('hex'));
  });

  it('gives the same bytes in another time zone (a fresh process at UTC+14)', () => {
    const script = `
      const { createHash } = require('node:crypto');
      const { loadReportLayout } = require('./src/reports/load-layout');
      const { resolveReport } = require('./src/reports/resolve');
      const { renderXlsx } = require('./src/reports/render-xlsx');
      const { renderPdf } = require('./src/reports/render-pdf');
      const { attachment3Data } = require('./tests/integration/reports/samples');
      const r = resolveReport(loadReportLayout('nea-attachment-3'), attachment3Data());
      Promise.all([renderXlsx(r), renderPdf(r)]).then((files) => console.log(files.map((f) => createHash('sha256').update(f).digest('hex')).join(' ')));`;
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: join(__dirname, '../../..'), encoding: 'utf8', env: { ...process.env, TZ: 'Pacific/Kiritimati' },
    });
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(out.trim()).toBe(`${sha(xlsx)} ${sha(pdf)}`);
  });
});
