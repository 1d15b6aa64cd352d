/**
 * The ocop-progress report through GenerateReportQuery, on the embedded store: a small Cà Mau OCOP
 * 2022 ledger built through the real commands with a fixed clock (eight products of three districts,
 * district and province ratings, an upgrade, a revocation, support), the xlsx opened back with
 * exceljs and the PDF read with pdftotext; and an An Giang ledger, which allocates nothing by
 * district. Every figure asserted is counted by hand from the records below.
 *
 * Set REPORT_PNG_DIR to keep page 1 of each PDF as a PNG there (for looking at it).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import type ExcelJS from 'exceljs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../../src/app.module';
import type { AsOf } from '../../../src/audit/as-of';
import { loadConfig } from '../../../src/config';
import { FixedClock } from '../../../src/event-sourcing/clock';
import { systemContext } from '../../../src/event-sourcing/request-context';
import { OpenLedgerCommand } from '../../../src/ledgers/open-ledger/open-ledger.command';
import { SubmitRecordCommand } from '../../../src/ledgers/submit/submit-record.command';
import { RegisterProgrammeCommand } from '../../../src/programmes/register-programme/register-programme.command';
import { GenerateReportQuery, type GeneratedReport } from '../../../src/reports/generate/generate-report.query';
import { findCell, pageOnePng, pdfText, readXlsx, requirePoppler, squeeze } from './helpers';

const ROOT = join(__dirname, '../../..');
const CONTEXT = systemContext('test');
const LEDGER = 'camau-2022';
const SEAFOOD = 'Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến từ thủy, hải sản';
const HONEY = 'Ngành: Thực phẩm Nhóm: Thực phẩm thô sơ, sơ chế Phân nhóm: Mật ong, các sản phẩm từ mật ong, mật khác';
const DECISION = 'Quyết định số 1650/QĐ-UBND';

const CAMAU_UNITS = [
  'id,name,role,parent',
  'cm-snn,Sở Nông nghiệp và Phát triển nông thôn,so-nong-nghiep-ptnt,',
  'cm-xuc-tien,Trung tâm Xúc tiến đầu tư và Hỗ trợ doanh nghiệp,trung-tam-xuc-tien,',
  'cm-hd-tinh,"Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh",hoi-dong-cap-tinh,',
  'cm-hd-huyen,"Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện",hoi-dong-cap-huyen,',
  'cm-d1,Thành phố Cà Mau,ubnd-cap-huyen,',
  'cm-d2,Huyện Cái Nước,ubnd-cap-huyen,',
  'cm-d7,Huyện Năm Căn,ubnd-cap-huyen,',
].join('\n');

const product = (id: string, name: string, producer: string, businessType: string, district: string, category = SEAFOOD) => ({ id, name, producer, businessType, category, district });
const council = (level: string) => `Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp ${level === 'district' ? 'huyện' : 'tỉnh'}`;
const rated = (productId: string, stars: number, level: 'district' | 'province', round: string, on: string, decision?: string) =>
  ({ type: 'ocop-rated', product: productId, stars, level, round, on, council: council(level), ...(decision ? { decision } : {}) });
const upgraded = (productId: string, round: string, on: string) =>
  ({ type: 'ocop-upgraded', product: productId, stars: 4, level: 'province', round, on, council: council('province'), decision: DECISION });

const fill = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
const utc = (date: string) => new Date(`${date}T00:00:00Z`);
/** The values of columns `from`…`to` (1-based) of a row. */
const cells = (ws: ExcelJS.Worksheet, row: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ws.getRow(row).getCell(from + i).value);

describe('ocop-progress report, generated from the ledger', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-ocop-report-'));
  const clock = new FixedClock(new Date('2022-02-01T03:00:00Z'));
  const pngDir = process.env.REPORT_PNG_DIR;
  let app: INestApplicationContext;
  let commands: CommandBus;
  /** The log position after the last registration of the third quarter, before any province result. */
  let beforeProvince: number;

  const submit = async (at: string, unit: string, record: Record<string, unknown>, ledger = LEDGER) => {
    clock.set(at);
    return commands.execute(new SubmitRecordCommand({ ledger, unit, ...record }, CONTEXT)) as Promise<{ eventId: string; position: number }>;
  };
  const generate = (ledger: string, period: string, format: string, asOf: AsOf): Promise<GeneratedReport> =>
    app.get(QueryBus).execute(new GenerateReportQuery(ledger, 'ocop-progress', period, format, asOf));
  const register = async (file: string) => {
    const path = join(ROOT, 'templates/programmes', file);
    await commands.execute(new RegisterProgrammeCommand(readFileSync(path, 'utf8'), path, CONTEXT));
  };

  beforeAll(async () => {
    requirePoppler();
    if (pngDir) mkdirSync(pngDir, { recursive: true });
    const config = { ...loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: false }, {}), clock, reportsDir: join(directory, 'reports') };
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
    commands = app.get(CommandBus);
    await register('camau-ocop-2022.yaml');
    await commands.execute(new OpenLedgerCommand(LEDGER, 'camau-ocop-2022', 'Tỉnh Cà Mau', CAMAU_UNITS, 'units.csv', CONTEXT));
    // An Giang: a ledger with nothing recorded; the plan allocates nothing by district.
    await register('angiang-ocop-2022.yaml');
    await commands.execute(new OpenLedgerCommand('ag-2022', 'angiang-ocop-2022', 'Tỉnh An Giang', 'id,name,role,parent\nag-snn,Sở Nông nghiệp và Phát triển nông thôn,agriculture-rural-dept,', 'units.csv', CONTEXT));

    // February: two new products of Thành phố Cà Mau.
    await submit('2022-02-22T03:00:00Z', 'cm-d1', { type: 'ocop-registered', product: product('n1', 'Khô cá bổi', 'Hợp tác xã Thủy sản Tân Thành', 'Hợp tác xã', 'Thành phố Cà Mau'), on: '2022-02-20' });
    await submit('2022-02-22T03:01:00Z', 'cm-d1', { type: 'ocop-registered', product: product('n2', 'Mắm tôm chà', 'Cơ sở Mắm Út Hiền', 'CSSX', 'Thành phố Cà Mau'), on: '2022-02-21' });
    // April: four 3-star products of Huyện Năm Căn registered for upgrading (Phụ lục 3).
    for (const [id, name, producer, year] of [
      ['u1', 'Cua biển Năm Căn', 'Hợp tác xã Cua Năm Căn', 2021],
      ['u2', 'Tôm khô Ngọc Giàu', 'Hộ kinh doanh Ngọc Giàu', 2020],
      ['u3', 'Ba khía muối Rạch Gốc', 'Hộ kinh doanh Ba Khía Rạch Gốc', 2021],
      ['u4', 'Khô cá dứa Năm Căn', 'Hộ kinh doanh Sáu Hoa', 2021],
    ] as const) {
      await submit('2022-04-16T03:00:00Z', 'cm-d7', { type: 'ocop-registered', product: product(id, name, producer, 'Hộ kinh doanh', 'Huyện Năm Căn'), recognised: { stars: 3, year }, on: '2022-04-15' });
    }
    // June: the district council's round 1; u1 (holding a certificate) goes to a trade fair.
    await submit('2022-06-21T03:00:00Z', 'cm-hd-huyen', rated('n1', 3, 'district', 'Đợt 1/2022', '2022-06-20'));
    await submit('2022-06-21T03:01:00Z', 'cm-hd-huyen', rated('n2', 4, 'district', 'Đợt 1/2022', '2022-06-20'));
    await submit('2022-06-21T03:02:00Z', 'cm-hd-huyen', rated('u1', 4, 'district', 'Đợt 1/2022', '2022-06-20'));
    await submit('2022-06-30T03:00:00Z', 'cm-xuc-tien', { type: 'ocop-supported', product: 'u1', on: '2022-06-30', activity: 'Hội chợ OCOP Cà Mau 2022' });
    // Third quarter: two new products of Huyện Cái Nước (n3 from the producer of n1) ...
    await submit('2022-07-11T03:00:00Z', 'cm-d2', { type: 'ocop-registered', product: product('n3', 'Bánh phồng tôm Cái Nước', 'Hợp tác xã Thủy sản Tân Thành', 'Hợp tác xã', 'Huyện Cái Nước'), on: '2022-07-10' });
    beforeProvince = (await submit('2022-08-02T03:00:00Z', 'cm-d2', { type: 'ocop-registered', product: product('n4', 'Mật ong hoa tràm', 'Hộ kinh doanh Tư Lành', 'Hộ kinh doanh', 'Huyện Cái Nước', HONEY), on: '2022-08-01' })).position;
    // ... the province council's round 1 (two new certificates, one upgrade), a revocation, a district assessment, support.
    await submit('2022-08-26T03:00:00Z', 'cm-hd-tinh', rated('n1', 3, 'province', 'Đợt 1/2022', '2022-08-25', DECISION));
    await submit('2022-08-26T03:01:00Z', 'cm-hd-tinh', rated('n2', 4, 'province', 'Đợt 1/2022', '2022-08-25', DECISION));
    await submit('2022-08-26T03:02:00Z', 'cm-hd-tinh', upgraded('u1', 'Đợt 1/2022', '2022-08-25'));
    await submit('2022-09-16T03:00:00Z', 'cm-snn', { type: 'ocop-revoked', product: 'u2', on: '2022-09-15', reason: 'Kiểm tra: không duy trì tiêu chuẩn an toàn thực phẩm', decision: 'Quyết định số 1799/QĐ-UBND' });
    await submit('2022-09-21T03:00:00Z', 'cm-hd-huyen', rated('n3', 2, 'district', 'Đợt 2/2022', '2022-09-20'));
    await submit('2022-09-30T03:00:00Z', 'cm-xuc-tien', { type: 'ocop-supported', product: 'n1', on: '2022-09-30', activity: 'Tuần lễ sản phẩm OCOP tại Thành phố Hồ Chí Minh' });
    // November: round 2 upgrades u3 and u4 from 3 to 4 stars.
    await submit('2022-11-26T03:00:00Z', 'cm-hd-tinh', upgraded('u3', 'Đợt 2/2022', '2022-11-25'));
    await submit('2022-11-26T03:01:00Z', 'cm-hd-tinh', upgraded('u4', 'Đợt 2/2022', '2022-11-25'));

    clock.set('2023-01-06T00:00:00Z');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('Cà Mau, 2022-Q3 as of the due day (5 October 2022)', () => {
    const asOf: AsOf = { kind: 'time', at: '2022-10-05T10:00:00.000Z' };
    let xlsx: GeneratedReport;
    let pdf: GeneratedReport;
    let wb: ExcelJS.Workbook;

    beforeAll(async () => {
      xlsx = await generate(LEDGER, '2022-Q3', 'xlsx', asOf);
      pdf = await generate(LEDGER, '2022-Q3', 'pdf', asOf);
      wb = await readXlsx(xlsx.bytes);
      if (pngDir) pageOnePng(pdf.bytes, pngDir, 'ocop-progress-camau');
    });

    it('has a sheet per part, each under the title lines and the header block', () => {
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Mục tiêu', 'Kết quả', 'Phân bổ chỉ tiêu cấp huyện', 'Sản phẩm OCOP']);
      const ws = wb.worksheets[0];
      expect(ws.getCell('A1').value).toBe('BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH MỖI XÃ MỘT SẢN PHẨM (OCOP)');
      expect(ws.getCell('A2').value).toBe('Kế hoạch triển khai thực hiện Đề án OCOP tỉnh Cà Mau năm 2022');
      expect(ws.getCell('A3').value).toBe('Đơn vị báo cáo: Tỉnh Cà Mau. Kỳ báo cáo: Quý III năm 2022 (từ ngày 01/07/2022 đến ngày 30/09/2022)');
      expect(ws.getCell('A4').value).toBe('(Tính đến ngày 05/10/2022)');
      expect(findCell(ws, 'Người lập biểu: ')).toBeDefined();
      expect(findCell(ws, 'Ngày lập: 05/10/2022')).toBeDefined();
    });

    it('goals: each as written, its target, the year-to-date figure; not yet due before the year ends', () => {
      const ws = wb.worksheets[0];
      const head = Number(findCell(ws, 'Mục tiêu')!.row);
      expect(cells(ws, head, 1, 6)).toEqual(['TT', 'Mục tiêu', 'Chỉ tiêu', 'Thực hiện (lũy kế đến 30/09/2022)', 'Đơn vị tính', 'Đánh giá']);
      const rows = [1, 2, 3, 4, 5, 6].map((i) => cells(ws, head + i, 1, 6));
      expect(rows).toEqual([
        [1, 'Phát triển mới và tiêu chuẩn hóa ít nhất 40 sản phẩm.', '≥ 40', 4, 'sản phẩm', 'Chưa đến hạn'],
        [2, 'Công nhận mới ít nhất 30 sản phẩm đạt 3 - 4 sao.', '≥ 30', 2, 'sản phẩm', 'Chưa đến hạn'],
        [3, 'Nâng hạng ít nhất 03 sản phẩm đã được công nhận sản phẩm OCOP 3 sao lên 4 sao.', '≥ 3', 1, 'sản phẩm', 'Chưa đến hạn'],
        [4, 'Phát triển, nâng cấp ít nhất 28 - 30 tổ chức kinh tế tham gia Chương trình OCOP.', '≥ 28 (28 – 30)', 7, 'tổ chức', 'Chưa đến hạn'],
        [5, 'củng cố, nâng cao chất lượng kết nối tiêu thụ sản phẩm OCOP tại các điểm trưng bày trên địa bàn tỉnh.', null, null, null, 'Chưa đến hạn'],
        [6, 'Hướng dẫn, hỗ trợ 77 sản phẩm OCOP được tỉnh công nhận tham gia các hoạt động kết nối giao thương, tiêu thụ sản phẩm.', '≥ 77', 2, 'sản phẩm', 'Chưa đến hạn'],
      ]);
    });

    it('counts: in the quarter, since 1 January, and standing at the moment', () => {
      const ws = wb.worksheets[1];
      const first = Number(findCell(ws, 'Sản phẩm đăng ký tham gia đánh giá, phân hạng')!.row);
      expect(cells(ws, first - 1, 4, 6)).toEqual(['Trong kỳ báo cáo', 'Lũy kế từ ngày 01/01/2022', 'Tính đến ngày 05/10/2022']);
      const table = Array.from({ length: 17 }, (_, i) => [ws.getCell(`B${first + i}`).value, ...cells(ws, first + i, 4, 6)]);
      expect(table).toEqual([
        ['Sản phẩm đăng ký tham gia đánh giá, phân hạng', 2, 8, 8],
        ['- Sản phẩm đăng ký mới', 2, 4, 4],
        ['- Sản phẩm đăng ký nâng hạng', 0, 4, 4],
        ['Sản phẩm được Hội đồng cấp huyện đánh giá, phân hạng', 1, 4, null],
        ['Sản phẩm được công nhận mới (đạt từ 3 sao trở lên)', 2, 2, null],
        ['- Đạt 3 sao', 1, 1, null],
        ['- Đạt 4 sao', 1, 1, null],
        ['- Đạt 5 sao', 0, 0, null],
        ['Sản phẩm được nâng hạng', 1, 1, null],
        ['Sản phẩm bị giảm sao', 0, 0, null],
        ['Sản phẩm bị thu hồi Giấy chứng nhận', 1, 1, null],
        ['Sản phẩm OCOP đang còn hiệu lực Giấy chứng nhận', null, null, 5],
        ['- Hạng 3 sao', null, null, 3],
        ['- Hạng 4 sao', null, null, 2],
        ['- Hạng 5 sao', null, null, 0],
        ['Tổ chức kinh tế (chủ thể) tham gia Chương trình OCOP', 1, 7, 7],
        ['Sản phẩm OCOP được hỗ trợ tham gia các hoạt động kết nối giao thương, tiêu thụ sản phẩm', 1, 2, 2],
      ]);
      expect(ws.getCell(`D${first}`).numFmt).toBe('#,##0');
    });

    it('Phụ lục 4: the source’s headings, the allocation beside the year-to-date figures, the totals', () => {
      const ws = wb.worksheets[2];
      const head = Number(findCell(ws, 'TT')!.row);
      expect(ws.getCell(`C${head}`).value).toBe('Số lượng sản phẩm địa phương đăng ký năm 2022');
      expect(ws.getCell(`I${head}`).value).toBe('Phân bổ chỉ tiêu số lượng sản phẩm phân đấu đạt năm 2022');
      expect(cells(ws, head + 1, 3, 8)).toEqual(['Tổng số', 'Tổng số', 'Sản phẩm đăng ký mới', 'Sản phẩm đăng ký mới', 'Sản phẩm đăng ký nâng hạng', 'Sản phẩm đăng ký nâng hạng']);
      expect(cells(ws, head + 2, 3, 14)).toEqual(['Kế hoạch', 'Thực hiện', 'Kế hoạch', 'Thực hiện', 'Kế hoạch', 'Thực hiện', 'Chỉ tiêu', 'Thực hiện', 'Chỉ tiêu', 'Thực hiện', 'Chỉ tiêu', 'Thực hiện']);
      const body = head + 3;
      expect(cells(ws, body, 1, 2)).toEqual([1, 'Thành phố Cà Mau']);
      // plan, actual × (registered, new, upgrade, target, target new, target upgrade)
      expect(cells(ws, body, 3, 14)).toEqual([17, 2, 15, 2, 2, 0, 14, 2, 12, 2, 2, 0]);
      expect(cells(ws, body + 1, 2, 14)).toEqual(['Huyện Cái Nước', 13, 2, 7, 2, 6, 0, 13, 0, 7, 0, 6, 0]);
      expect(cells(ws, body + 6, 2, 14)).toEqual(['Huyện Năm Căn', 12, 4, 6, 0, 6, 4, 7, 1, 5, 0, 2, 1]);
      expect(cells(ws, body + 8, 1, 2)).toEqual([9, 'Huyện Phú Tân']);
      expect(cells(ws, body + 9, 2, 14)).toEqual(['TỔNG CỘNG', 84, 8, 62, 4, 22, 4, 74, 3, 58, 2, 16, 1]);
    });

    it('rated products: product, producer, district, stars, level, result, decision / round, date', () => {
      const ws = wb.worksheets[3];
      const head = Number(findCell(ws, 'Tên sản phẩm')!.row);
      const rows = Array.from({ length: 6 }, (_, i) => cells(ws, head + 1 + i, 1, 9));
      expect(rows).toEqual([
        [1, 'Mắm tôm chà', 'Cơ sở Mắm Út Hiền', 'Thành phố Cà Mau', 4, 'Cấp tỉnh', 'Công nhận mới', `${DECISION}; Đợt 1/2022`, utc('2022-08-25')],
        [2, 'Khô cá bổi', 'Hợp tác xã Thủy sản Tân Thành', 'Thành phố Cà Mau', 3, 'Cấp tỉnh', 'Công nhận mới', `${DECISION}; Đợt 1/2022`, utc('2022-08-25')],
        [3, 'Cua biển Năm Căn', 'Hợp tác xã Cua Năm Căn', 'Huyện Năm Căn', 4, 'Cấp tỉnh', 'Nâng hạng', `${DECISION}; Đợt 1/2022`, utc('2022-08-25')],
        [4, 'Ba khía muối Rạch Gốc', 'Hộ kinh doanh Ba Khía Rạch Gốc', 'Huyện Năm Căn', 3, 'Cấp tỉnh', 'Đã được công nhận trước khi đăng ký', null, utc('2021-12-31')],
        [5, 'Khô cá dứa Năm Căn', 'Hộ kinh doanh Sáu Hoa', 'Huyện Năm Căn', 3, 'Cấp tỉnh', 'Đã được công nhận trước khi đăng ký', null, utc('2021-12-31')],
        [6, 'Tôm khô Ngọc Giàu', 'Hộ kinh doanh Ngọc Giàu', 'Huyện Năm Căn', 3, 'Cấp tỉnh', 'Thu hồi Giấy chứng nhận', 'Quyết định số 1799/QĐ-UBND', utc('2022-09-15')],
      ]);
      expect(ws.getCell(`A${head + 7}`).value).toBeNull();
      expect(fill(ws.getCell(`B${head + 6}`))).toBe('FFFF8080');
      expect(fill(ws.getCell(`B${head + 1}`))).toBeUndefined();
      expect(ws.getCell(`I${head + 1}`).numFmt).toBe('dd/mm/yyyy');
    });

    it('pdf: Vietnamese titles, labels and figures, composed; signature block and the footer pinned to the log', () => {
      const text = pdfText(pdf.bytes);
      const flat = squeeze(text);
      for (const s of ['BÁOCÁOKẾTQUẢTHỰCHIỆNCHƯƠNGTRÌNHMỖIXÃMỘTSẢNPHẨM(OCOP)', 'KếhoạchtriểnkhaithựchiệnĐềánOCOPtỉnhCàMaunăm2022', 'Kỳbáocáo:QuýIIInăm2022',
        '(Tínhđếnngày05/10/2022)', 'Ngườilậpbiểu:', 'Ngườikiểmtra:', 'Ngàylập:05/10/2022', 'I.KẾTQUẢTHỰCHIỆNMỤCTIÊU', 'Chưađếnhạn', '≥40', '28–30',
        'Pháttriểnmớivàtiêuchuẩnhóaítnhất40sảnphẩm.', 'Phụlục4', 'Sốlượngsảnphẩmđịaphươngđăngkýnăm2022', 'Phânbổchỉtiêusốlượngsảnphẩmphânđấuđạtnăm2022',
        'ThànhphốCàMau', 'HuyệnNămCăn', 'TỔNGCỘNG', 'IV.DANHSÁCHSẢNPHẨMĐƯỢCĐÁNHGIÁ,PHÂNHẠNG', 'Mắmtômchà', 'Thuhồi', '15/09/2022', 'Côngnhậnmới',
        'THỦTRƯỞNGĐƠNVỊ', '(Kýtên,đóngdấu)', 'ngày5tháng10năm2022', 'Trang1/', `Mãkiểmchứng:compliance-ledgerreportcamau-2022/ocop-progress/2022-Q3asof${pdf.asOf}sha256:${pdf.logDigest}tree${pdf.checkpoint!.size}${pdf.checkpoint!.root}`]) {
        expect(flat).toContain(s);
      }
      expect(text).not.toContain('Cà Mau'.normalize('NFD'));
    });

    it('regenerates byte for byte as of the same moment', async () => {
      for (const first of [xlsx, pdf]) {
        const again = await generate(LEDGER, '2022-Q3', first.format, asOf);
        expect(again.bytes.equals(first.bytes)).toBe(true);
      }
    });

    it('signed off: dated the sign-off’s report date, not the day it is drawn; the figures still as of the moment', async () => {
      const signature = { reporter: 'Nguyễn Văn An 0290 3831 234', reviewers: ['Trần Thị Bình'], reportDate: '2022-10-07' };
      const signed: GeneratedReport = await app.get(QueryBus).execute(new GenerateReportQuery(LEDGER, 'ocop-progress', '2022-Q3', 'pdf', asOf, signature));
      const flat = squeeze(pdfText(signed.bytes));
      for (const s of ['Ngàylập:07/10/2022', 'ngày7tháng10năm2022', '(Tínhđếnngày05/10/2022)', 'NguyễnVănAn02903831234', 'TrầnThịBình']) expect(flat).toContain(s);
      expect(flat).not.toContain('ngày5tháng10năm2022');
      expect(flat).not.toContain('Ngàylập:05/10/2022');
      if (pngDir) pageOnePng(signed.bytes, pngDir, 'ocop-progress-camau-signed');
    });

    it('as of a past position (before the province results): the earlier figures', async () => {
      const past = await generate(LEDGER, '2022-Q3', 'xlsx', { kind: 'position', position: beforeProvince });
      expect(past.asOf).toBe('2022-08-02T03:00:00.000Z');
      const book = await readXlsx(past.bytes);
      const counts = book.worksheets[1];
      const first = Number(findCell(counts, 'Sản phẩm đăng ký tham gia đánh giá, phân hạng')!.row);
      expect(counts.getCell(`F${first - 1}`).value).toBe('Tính đến ngày 02/08/2022');
      const col = (r: number) => cells(counts, first + r, 4, 6);
      expect([col(0), col(3), col(4), col(8), col(10), col(11), col(12), col(13), col(15), col(16)]).toEqual([
        [2, 8, 8], [0, 3, null], [0, 0, null], [0, 0, null], [0, 0, null], [null, null, 4], [null, null, 4], [null, null, 0], [1, 7, 7], [0, 1, 1],
      ]);
      const products = book.worksheets[3];
      const head = Number(findCell(products, 'Tên sản phẩm')!.row);
      expect(Array.from({ length: 5 }, (_, i) => products.getCell(`B${head + 1 + i}`).value)).toEqual(['Ba khía muối Rạch Gốc', 'Cua biển Năm Căn', 'Khô cá dứa Năm Căn', 'Tôm khô Ngọc Giàu', null]);
    });
  });

  describe('Cà Mau, the year 2022 as of its due day (5 January 2023): the goals decided', () => {
    let wb: ExcelJS.Workbook;

    beforeAll(async () => {
      wb = await readXlsx((await generate(LEDGER, '2022', 'xlsx', { kind: 'time', at: '2023-01-05T10:00:00.000Z' })).bytes);
    });

    it('verdicts Đạt / Chưa đạt / Chưa có số liệu, coloured', () => {
      const ws = wb.worksheets[0];
      expect(ws.getCell('A3').value).toBe('Đơn vị báo cáo: Tỉnh Cà Mau. Kỳ báo cáo: Năm 2022 (từ ngày 01/01/2022 đến ngày 31/12/2022)');
      const head = Number(findCell(ws, 'Mục tiêu')!.row);
      const rows = [1, 2, 3, 4, 5, 6].map((i) => [ws.getCell(`D${head + i}`).value, ws.getCell(`F${head + i}`).value, fill(ws.getCell(`F${head + i}`))]);
      expect(rows).toEqual([
        [4, 'Chưa đạt', 'FFFF8080'],
        [2, 'Chưa đạt', 'FFFF8080'],
        [3, 'Đạt', 'FFC6EFCE'],
        [7, 'Chưa đạt', 'FFFF8080'],
        [null, 'Chưa có số liệu', 'FFFFE699'],
        [2, 'Chưa đạt', 'FFFF8080'],
      ]);
    });

    it('the year’s counts and the standing after the November upgrades', () => {
      const ws = wb.worksheets[1];
      const first = Number(findCell(ws, 'Sản phẩm đăng ký tham gia đánh giá, phân hạng')!.row);
      expect(cells(ws, first + 8, 4, 5)).toEqual([3, 3]);
      expect([cells(ws, first + 11, 6, 6), cells(ws, first + 12, 6, 6), cells(ws, first + 13, 6, 6)]).toEqual([[5], [1], [4]]);
      const districts = wb.worksheets[2];
      const namCan = Number(findCell(districts, 'Huyện Năm Căn')!.row);
      expect(cells(districts, namCan, 9, 14)).toEqual([7, 3, 5, 0, 2, 3]);
    });
  });

  describe('An Giang: goals with a ratio, no allocation by district', () => {
    let wb: ExcelJS.Workbook;
    let pdf: GeneratedReport;

    beforeAll(async () => {
      const asOf: AsOf = { kind: 'time', at: '2022-04-15T00:00:00.000Z' };
      wb = await readXlsx((await generate('ag-2022', '2022-Q1', 'xlsx', asOf)).bytes);
      pdf = await generate('ag-2022', '2022-Q1', 'pdf', asOf);
      if (pngDir) pageOnePng(pdf.bytes, pngDir, 'ocop-progress-angiang');
    });

    it('the district part says the plan allocates nothing, and has no rows', () => {
      const ws = wb.worksheets[2];
      expect(findCell(ws, 'III. PHÂN BỔ CHỈ TIÊU CẤP HUYỆN: Kế hoạch không phân bổ chỉ tiêu số lượng sản phẩm cho cấp huyện.')).toBeDefined();
      const total = findCell(ws, 'TỔNG CỘNG')!;
      expect(Number(total.row)).toBe(Number(findCell(ws, 'TT')!.row) + 3);
      expect(squeeze(pdfText(pdf.bytes))).toContain('Kếhoạchkhôngphânbổchỉtiêusốlượngsảnphẩmchocấphuyện.');
    });

    it('goals: the ratio goal with its percent target, undecided before the year ends', () => {
      const ws = wb.worksheets[0];
      const ratio = Number(findCell(ws, 'Đồng thời, các huyện, thị xã, thành phố tiếp tục hỗ trợ duy trì, nâng cao các sản phẩm đạt chứng nhận “Sản phẩm OCOP” và có 10% sản phẩm được đánh giá nâng hạng;')!.row);
      expect(cells(ws, ratio, 3, 6)).toEqual(['≥ 10%', null, '%', 'Chưa đến hạn']);
      const range = Number(findCell(ws, 'Phân đấu đến cuối năm 2022 toàn tỉnh có thêm từ 50 - 70 sản phẩm đánh giá, phân hạng “Sản phẩm OCOP” đạt từ 3 sao trở lên.')!.row);
      // "từ 50 - 70 sản phẩm": at least 50, the range kept beside it.
      expect(cells(ws, range, 3, 6)).toEqual(['≥ 50 (50 – 70)', 0, 'sản phẩm', 'Chưa đến hạn']);
    });
  });
});
