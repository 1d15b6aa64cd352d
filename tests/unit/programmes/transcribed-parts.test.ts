import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { owedReports, owesReport } from '../../../src/programmes/calendar';
import { taskStatus } from '../../../src/programmes/deadline';
import { evaluateRule } from '../../../src/programmes/indicator-rules';
import type { ProgrammeTemplate } from '../../../src/programmes/template';

const programme = (id: string) => parse(readFileSync(join(__dirname, `../../../templates/programmes/${id}.yaml`), 'utf8')) as ProgrammeTemplate;

describe('Cà Mau: the plan body, parts II and III, transcribed', () => {
  const camau = programme('camau-ocop-2022');
  const task = (n: string) => camau.tasks.find((t) => t.number === n)!;

  it('part II keeps each item\'s own "Thời gian thực hiện" and who acts', () => {
    // 4.1 "- Ủy ban nhân dân cấp xã: Tiếp tục rà soát …" … "Thời gian thực hiện: Tháng 02 - 3/2022."
    expect(task('KH-II.4.1.1')).toMatchObject({ lead: ['ubnd-cap-xa'], deadline: { kind: 'window', from: '2022-02-01', to: '2022-03-31', text: 'Tháng 02 - 3/2022' } });
    expect(task('KH-II.4.1.1').text.startsWith('Ủy ban nhân dân cấp xã: Tiếp tục rà soát các sản phẩm tiềm năng')).toBe(true);
    // 4.4 "+ Hội đồng … cấp huyện: Tổ chức đánh giá đợt 01 (trong tháng 6/2022); đợt 02 (trong tháng 9/2022)."
    expect(task('KH-II.4.4.1')).toMatchObject({ lead: ['hoi-dong-cap-huyen'], deadline: { kind: 'months', months: ['2022-06', '2022-09'] } });
    expect(task('KH-II.4.4.2')).toMatchObject({ lead: ['hoi-dong-cap-tinh'], deadline: { kind: 'months', months: ['2022-08', '2022-11'] } });
    // 5 "Ủy ban nhân dân huyện Ngọc Hiển chủ trì, phối hợp với Sở Văn hóa, Thể thao và Du lịch, Sở Nông nghiệp và Phát triển nông thôn, Vườn Quốc gia Mũi Cà Mau …"
    expect(task('KH-II.5')).toMatchObject({ lead: ['ubnd-huyen-ngoc-hien'], cooperating: ['so-van-hoa-the-thao-du-lich', 'so-nong-nghiep-ptnt', 'vuon-quoc-gia-mui-ca-mau'] });
    // 6 "Thời gian thực hiện: Tháng 4 - 8/2022."; 10 "Tháng 6 - 11/2022."
    expect(task('KH-II.6').deadline).toMatchObject({ kind: 'window', to: '2022-08-31' });
    expect(task('KH-II.10').deadline).toMatchObject({ kind: 'window', from: '2022-06-01', to: '2022-11-30' });
    // 9 "- Ngân hàng Nhà nước Việt Nam Chi nhánh tỉnh Cà Mau chỉ đạo các tổ chức tín dụng …"
    expect(task('KH-II.9.3').lead).toEqual(['ngan-hang-nha-nuoc']);
  });

  it('part III gives every agency its bullets, so no declared department is left without a task', () => {
    const used = new Set(camau.tasks.flatMap((t) => [...t.lead, ...t.cooperating]));
    expect(camau.roles.filter((r) => !used.has(r.id)).map((r) => r.id)).toEqual([]);
    // "7. Sở Y tế — Chủ trì hướng dẫn các chủ thể sản xuất các quy định về an toàn vệ sinh thực phẩm …"
    expect(task('KH-III.7.1')).toMatchObject({ lead: ['so-y-te'] });
    expect(task('KH-III.7.1').text.startsWith('Chủ trì hướng dẫn các chủ thể sản xuất các quy định về an toàn vệ sinh thực phẩm')).toBe(true);
    // "10. Liên minh Hợp tác xã tỉnh — Phối hợp với Sở Nông nghiệp và Phát triển nông thôn tư vấn …": the partner leads.
    expect(task('KH-III.10.1')).toMatchObject({ lead: ['so-nong-nghiep-ptnt'], cooperating: ['lien-minh-htx'] });
    // 6.1 is one bullet split by a page break ("… các giải pháp" / "nâng cao năng suất …"), joined.
    expect(task('KH-III.6.1').text).toContain('các giải pháp nâng cao năng suất và chất lượng hàng hóa');
    // "- Thường xuyên báo cáo kết quả thực hiện về Ban Chỉ đạo tỉnh …": ongoing, every monthly report.
    expect(task('KH-III.11.5').deadline).toEqual({ kind: 'ongoing', every: 'month', text: 'Thường xuyên' });
    // The rest of part III writes no date: the end of 2022 is an assumption its text states.
    expect(task('KH-III.4.1').deadline).toMatchObject({ kind: 'end-of-year', year: 2022, text: expect.stringContaining('giả định') });
    expect(camau.tasks.filter((t) => t.number.startsWith('KH-III.')).length).toBe(34);
  });

  it('the seven departments that had no task owe the periodic reports, from March 2022', () => {
    // "các sở, ban, ngành, đoàn thể cấp tỉnh và Ủy ban nhân dân các huyện, thành phố Cà Mau định kỳ (tháng, quý, …) báo cáo"
    const responsible = new Set(camau.tasks.flatMap((t) => [...t.lead, ...t.cooperating]));
    const [first] = owedReports(camau);
    expect(`${first.period.id}@${first.due}`).toBe('2022-03@2022-04-05');
    for (const role of ['so-ke-hoach-dau-tu', 'so-tai-chinh', 'so-y-te', 'so-tai-nguyen-moi-truong', 'lien-minh-htx', 'ngan-hang-nha-nuoc', 'ubnd-cap-huyen']) {
      expect([role, owesReport(first.entry, role, responsible)]).toEqual([role, true]);
    }
    // Communes, councils and producers report to others, not on this calendar.
    for (const role of ['ubnd-cap-xa', 'hoi-dong-cap-huyen', 'chu-the-ocop']) expect([role, owesReport(first.entry, role, responsible)]).toEqual([role, false]);
  });

  it('a part II round is judged on its month: the district council\'s first round is overdue on 1 July only once September has passed too', () => {
    const d = task('KH-II.4.4.1').deadline;
    const at = (asOf: string) => taskStatus({ deadline: d, programme: { years: camau.years, timeZone: camau.timeZone }, asOf, submissions: [] });
    expect(at('2022-06-15T00:00:00Z')).toMatchObject({ due: '2022-06-30', period: 'round 1/2' });
    expect(at('2022-10-01T00:00:00Z')).toMatchObject({ status: 'overdue', due: '2022-09-30', period: 'round 2/2' });
  });
});

describe('An Giang: part III (NỘI DUNG THỰC HIỆN) transcribed, with its figures as goals', () => {
  const angiang = programme('angiang-ocop-2022');
  const task = (n: string) => angiang.tasks.find((t) => t.number === n)!;

  it('has every bullet and paragraph of part III, the standing agency assumed where none is named, and said so', () => {
    const part3 = angiang.tasks.filter((t) => t.number.startsWith('III.'));
    expect(part3).toHaveLength(38);
    expect(task('III.5.2.2').text).toBe('Tổ chức đánh giá, phân hạng sản phẩm OCOP cấp huyện, tỉnh. Dự kiến tỉnh sẽ tổ chức 03 - 04 đợt đánh giá, phân hạng sản phẩm OCOP trong, tuy nhiên tùy tình hình cụ thể mà Ủy ban nhân dân tỉnh sẽ cho chủ trương gia tăng số lần đánh giá, phân hạng cho các lần tiếp theo trong năm.');
    expect(task('III.7.7').text).toBe('Lựa chọn 01 - 02 sản phẩm OCOP uy tín để xúc tiến thị trường ngoài nước, hướng tới xuất khẩu (Trung Quốc, Campuchia...).');
    expect(task('III.7.7')).toMatchObject({ lead: ['agriculture-rural-dept'], responsibleText: expect.stringContaining('giả định') });
    // "- Đối với các huyện, thị xã, thành phố: …" names who acts.
    expect(task('III.2.3').lead).toEqual(['district-people-committee']);
    // 6.3 is one bullet split by a page break ("Phối hợp với các đơn vị, đoàn thể" / "tư vấn, hỗ trợ …"), joined.
    expect(task('III.6.3').text).toContain('Phối hợp với các đơn vị, đoàn thể tư vấn, hỗ trợ các ý tưởng khởi nghiệp');
  });

  it('"03 - 04 đợt đánh giá" and "01 - 02 sản phẩm OCOP … xuất khẩu" are met from the lower figure', () => {
    const goal = (id: string) => angiang.goals!.find((g) => g.id === id)!.rule!;
    const at = (id: string, metric: string, value: number) => evaluateRule(goal(id), [{ metric, period: '2022', dimensions: {}, value }], { period: '2022' }).verdict;
    expect([2, 3, 4, 5].map((n) => at('rating-rounds', 'ocop.ratingRounds', n))).toEqual(['not-met', 'met', 'met', 'met']);
    expect([0, 1, 2, 3].map((n) => at('export-products', 'ocop.exportProducts', n))).toEqual(['not-met', 'met', 'met', 'met']);
  });
});
