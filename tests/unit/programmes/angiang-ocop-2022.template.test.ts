// Transcription check of templates/programmes/angiang-ocop-2022.yaml against
// /work/shared/seeds/004_c1f2ed9f19c41871.txt (An Giang, Kế hoạch thực hiện Chương trình OCOP năm 2022).
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Goal, ProgrammeTemplate, Task } from '../../../src/programmes/template';

const template = parse(
  readFileSync(join(__dirname, '../../../templates/programmes/angiang-ocop-2022.yaml'), 'utf8'),
) as ProgrammeTemplate;

const REPORTING_SENTENCE =
  'Các sở, ngành tỉnh có liên quan và các địa phương báo cáo định kỳ hàng quý, 6 tháng (trước ngày 30/5), năm (trước ngày 30/11) và đột xuất các nội dung liên quan và kết quả triển khai thực hiện các nhiệm vụ của Kế hoạch về Văn phòng Điều phối xây dựng nông thôn mới tỉnh để tổng hợp.';

function task(number: string): Task {
  const found = template.tasks.find((t) => t.number === number);
  if (!found) throw new Error(`task ${number} missing`);
  return found;
}

function goal(id: string): Goal {
  const found = template.goals?.find((g) => g.id === id);
  if (!found) throw new Error(`goal ${id} missing`);
  return found;
}

function roleNames(ids: string[]): string[] {
  return ids.map((id) => {
    const role = template.roles.find((r) => r.id === id);
    if (!role) throw new Error(`role ${id} not declared`);
    return role.name;
  });
}

describe('angiang-ocop-2022 template', () => {
  it('identifies the programme', () => {
    expect(template.id).toBe('angiang-ocop-2022');
    expect(template.language).toBe('vi');
    expect(template.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(template.years).toEqual({ from: 2022, to: 2022 });
    expect(template.source.file).toBe('004_c1f2ed9f19c41871.txt');
    expect(template.reports).toEqual(['task-status', 'submission-timeliness', 'ocop-progress']);
  });

  it('has the tasks of the 15 agency blocks of part V and the 38 paragraphs of part III, numbers unique', () => {
    expect(template.tasks).toHaveLength(83);
    const numbers = template.tasks.map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    const perBlock: Record<string, number> = {};
    for (const t of template.tasks.filter((x) => !x.number.startsWith('III.'))) perBlock[t.section ?? ''] = (perBlock[t.section ?? ''] ?? 0) + 1;
    expect(perBlock).toEqual({
      '1': 4, '2': 2, '3': 5, '4': 3, '5': 4, '6': 3, '7': 2, '8': 1, '9': 1,
      '10': 2, '11': 6, '12': 2, '13': 4, '14': 1, '15': 5,
    });
    for (const t of template.tasks) expect(t.number.startsWith(`${t.section}.`)).toBe(true);
  });

  it('declares every lead and cooperating role', () => {
    const ids = template.roles.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const t of template.tasks) {
      expect(t.lead.length).toBeGreaterThan(0);
      for (const id of [...t.lead, ...t.cooperating]) expect(ids).toContain(id);
    }
  });

  it('names the agency blocks as written, and each block leads its tasks', () => {
    const title = (id: string) => template.sections?.find((s) => s.id === id)?.title;
    expect(title('1')).toBe('Sở Nông nghiệp và Phát triển nông thôn');
    expect(title('3')).toBe('Văn phòng Điều phối xây dựng nông thôn mới tỉnh');
    expect(title('11')).toBe('Trung tâm Xúc tiến thương mại và Đầu tư tỉnh');
    expect(title('14')).toBe('Ngân hàng nhà nước Việt Nam - Chi nhánh tỉnh An Giang');
    expect(title('15')).toBe('Ủy ban nhân dân các huyện, thị xã, thành phố');
    for (const t of template.tasks.filter((x) => !x.number.startsWith('III.'))) {
      // A bullet that begins "Phối hợp với X" is X's to lead: the block's agency co-operates on it.
      const own = t.text.startsWith('Phối hợp với') ? t.cooperating.slice(-1) : t.lead;
      expect(roleNames(own).join(', ').replace(', Đoàn', ' và Đoàn')).toBe(title(t.section ?? ''));
    }
    expect(roleNames(task('12.1').lead)).toEqual([
      'Hội Nông dân tỉnh', 'Hội Liên hiệp Phụ nữ tỉnh', 'Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh',
    ]);
  });

  it('transcribes sample tasks as written', () => {
    expect(task('1.4').text).toBe(
      'Chủ trì, phối hợp với các sở, ngành và địa phương trong công tác đánh giá, phân hạng sản phẩm OCOP.',
    );
    expect(task('3.3').text).toBe(
      'Chủ trì phối hợp với các sở, ngành liên quan tổ chức rà soát, lựa chọn sản phẩm tham gia Chương trình OCOP năm 2022 và tổ chức đánh giá phân hạng sản phẩm tham gia Chương trình OCOP. Đồng thời, thực hiện hướng dẫn, kiểm tra, giám sát các hoạt động sản xuất kinh doanh các doanh nghiệp, hợp tác xã, tổ chức quản lý sản phẩm OCOP trên địa bàn tỉnh.',
    );
    expect(task('5.1').text).toBe(
      'Tiếp tục thông tin, truyền truyền về hoạt động hỗ trợ chi phí thay đổi mẫu mã, kiểu dáng bao bì đối với sản phẩm OCOP của tỉnh nhằm hỗ trợ tổ chức cá nhân nâng cao giá trị sản phẩm;',
    );
    expect(task('8.1').text.startsWith('Chủ trì, phối hợp với Sở Nông nghiệp và Phát triển nông thôn, Ủy ban nhân dân các huyện, thị xã, thành phố, các cơ sở đào tạo nghề')).toBe(true);
    expect(task('11.4').text).toContain('phấn đấu trong năm 2022 có 01 điểm trưng bày sản phẩm OCOP gắn với điểm du lịch');
    expect(task('12.1').text.startsWith('Đề nghị các Hội, đoàn thể thường xuyên tuyên truyền')).toBe(true);
    expect(task('14.1').text).toBe(
      'Chỉ đạo hướng dẫn các ngân hàng thương mại, Ngân hàng Đầu tư và Phát triển Việt Nam - Chi nhánh An Giang, Ngân hàng Nông nghiệp và Phát triển nông thôn Việt Nam - Chi nhánh An Giang, Ngân hàng Chính sách Xã hội Việt Nam - Chi nhánh An Giang hỗ trợ các chủ thể kinh tế tiếp cận nguồn vốn vay để tổ chức sản xuất.',
    );
    expect(task('15.2').text).toBe(
      'Xây dựng Kế hoạch thực hiện chi tiết trong năm 2022, có sự phân công nhiệm vụ cụ thể nội dung Chương trình OCOP cho từng cơ quan chuyên môn và Ủy ban nhân dân cấp xã.',
    );
    for (const t of template.tasks) expect(t.text).not.toMatch(/\*|#|\s{2}|^- /);
  });

  it('maps the partners a task names to cooperating roles', () => {
    // 2.1 "Phối hợp với Sở Nông nghiệp và Phát triển nông thôn …" (block 2, Sở Tài chính): Sở NN leads, Sở Tài chính co-operates.
    expect(roleNames(task('2.1').lead)).toEqual(['Sở Nông nghiệp và Phát triển nông thôn']);
    expect(roleNames(task('2.1').cooperating)).toEqual(['Sở Tài chính']);
    // 3.5 "Phối hợp với Sở Tài Chính, Sở Kế hoạch và Đầu tư …" (block 3, Văn phòng Điều phối).
    expect(roleNames(task('3.5').lead)).toEqual(['Sở Tài chính']);
    expect(roleNames(task('3.5').cooperating)).toEqual(['Sở Kế hoạch và Đầu tư', 'Văn phòng Điều phối xây dựng nông thôn mới tỉnh']);
    const swapped = template.tasks.filter((t) => t.text.startsWith('Phối hợp với')).map((t) => t.number);
    expect(swapped).toEqual(['2.1', '3.5', '5.3', '5.4', '7.1', '9.1', '13.4', '15.3']);
    expect(roleNames(task('8.1').cooperating)).toEqual([
      'Sở Nông nghiệp và Phát triển nông thôn', 'Ủy ban nhân dân các huyện, thị xã, thành phố', 'Các cơ sở đào tạo nghề',
    ]);
    expect(roleNames(task('11.6').cooperating)).toEqual(['Sở Tài chính']);
    expect(roleNames(task('15.3').lead)).toEqual(['Văn phòng Điều phối xây dựng nông thôn mới tỉnh']);
    expect(roleNames(task('15.3').cooperating)).toEqual(['Ủy ban nhân dân các huyện, thị xã, thành phố']);
    expect(task('1.1').cooperating).toEqual([]);
  });

  it('records certificate revocation / star reduction after inspection', () => {
    const t = task('III.8.2');
    expect(t.text).toContain(
      'nếu phát hiện vi phạm, không đảm bảo tiêu chuẩn thì đề xuất thu hồi giấy chứng nhận hoặc giảm sao (theo Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP) và xử lý theo quy định.',
    );
    expect(t.responsibleText).toBe('Các sở ngành, địa phương');
    expect(roleNames(t.lead)).toEqual(['Các sở, ngành tỉnh có liên quan', 'Ủy ban nhân dân các huyện, thị xã, thành phố']);
    expect(template.metrics?.find((m) => m.id === 'ocop.revoked')?.derivedFrom).toBe('ocop');
  });

  it('gives no task the reporting clause as its deadline: each is due at the end of 2022, the assumption stated in its text', () => {
    for (const t of template.tasks) {
      expect(t.deadline).toMatchObject({ kind: 'end-of-year', year: 2022 });
      expect(t.deadline.text).toContain('giả định');
      expect(t.deadline.text).not.toContain('báo cáo định kỳ hàng quý');
    }
  });

  it('states the goal figures as written', () => {
    const g1 = goal('new-products-3-stars');
    expect(g1.text).toBe(
      'Phân đấu đến cuối năm 2022 toàn tỉnh có thêm từ 50 - 70 sản phẩm đánh giá, phân hạng “Sản phẩm OCOP” đạt từ 3 sao trở lên.',
    );
    expect(g1.rule).toEqual({
      // "có thêm từ 50 - 70 sản phẩm": met from 50, and more than 70 is met too.
      kind: 'at-least', min: 50, max: 70, metric: 'ocop.rated', where: { kind: 'new', stars: ['3', '4', '5'] }, aggregate: 'sum',
    });
    expect(g1.deadline).toEqual({ kind: 'end-of-year', year: 2022, text: 'đến cuối năm 2022' });

    const g2 = goal('upgraded-10-percent');
    expect(g2.text).toContain('và có 10% sản phẩm được đánh giá nâng hạng;');
    expect(g2.rule).toEqual({
      kind: 'ratio',
      numerator: { metric: 'ocop.upgraded', aggregate: 'sum' },
      denominator: { metric: 'ocop.products', aggregate: 'latest' },
      op: '>=',
      percent: 10,
    });
    expect(goal('advanced-ntm-communes').text).toContain('“Xã nông thôn mới nâng cao”');
    // Part I's seven, then part III's two figures ("03 - 04 đợt", "01 - 02 sản phẩm").
    expect(template.goals).toHaveLength(9);
    expect(template.goals?.filter((g) => g.rule)).toHaveLength(4);
  });

  it('declares the OCOP metrics the goals use, derived from OCOP events', () => {
    const ids = template.metrics?.map((m) => m.id);
    expect(ids).toEqual(['ocop.rated', 'ocop.upgraded', 'ocop.products', 'ocop.revoked', 'ocop.ratingRounds', 'ocop.exportProducts']);
    // Part III's own figures (rating rounds, products chosen for export) are submitted, not counted.
    for (const m of template.metrics?.slice(4) ?? []) expect(m.derivedFrom).toBeUndefined();
    for (const m of template.metrics?.slice(0, 4) ?? []) {
      expect(m.derivedFrom).toBe('ocop');
      expect(m.unit).toBe('sản phẩm');
    }
    const rated = template.metrics?.find((m) => m.id === 'ocop.rated');
    const stars = rated?.dimensions?.find((d) => d.id === 'stars');
    expect(stars?.values.map((v) => v.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(stars?.values.map((v) => v.label)).toEqual(['1 sao', '2 sao', '3 sao', '4 sao', '5 sao']);
    expect(rated?.dimensions?.find((d) => d.id === 'kind')?.values.map((v) => v.id)).toEqual(['new', 'upgraded', 'downgraded']);
    // every `where` of a goal rule names a declared dimension value
    // ("từ 3 sao trở lên" is the list stars 3, 4, 5: no dimension of its own)
    expect(rated?.dimensions?.map((d) => d.id)).toEqual(['stars', 'kind']);
    const where = { kind: ['new'], stars: ['3', '4', '5'] };
    for (const [dim, values] of Object.entries(where)) {
      for (const value of values) expect(rated?.dimensions?.find((d) => d.id === dim)?.values.map((v) => v.id)).toContain(value);
    }
  });

  it('keeps the budget as written', () => {
    expect(template.budget?.amount).toBe(12310);
    expect(template.budget?.unit).toBe('triệu đồng');
    expect(template.budget?.text).toContain('Đề án Mỗi xã một sản phẩm tỉnh An Giang năm 2022 dự kiến 12.310 triệu đồng');
  });

  it('has the reporting calendar of part V.16', () => {
    // "… báo cáo định kỳ hàng quý, 6 tháng (trước ngày 30/5), năm (trước ngày 30/11) … về Văn phòng Điều phối xây dựng nông thôn mới tỉnh"
    const to = { to: ['Văn phòng Điều phối xây dựng nông thôn mới tỉnh'] };
    const owedBy = template.calendar[0].owedBy;
    expect(template.calendar).toEqual([
      { period: 'quarter', due: { kind: 'after-end', days: 10 }, text: expect.stringContaining(REPORTING_SENTENCE), owedBy, recipients: to },
      { period: 'half-year', only: ['H1'], due: { kind: 'fixed', month: 5, day: 30, yearOffset: 0 }, text: REPORTING_SENTENCE, owedBy, recipients: to },
      { period: 'year', due: { kind: 'fixed', month: 11, day: 30, yearOffset: 0 }, text: REPORTING_SENTENCE, owedBy, recipients: to },
    ]);
    // The quarterly due day is an assumption, said where users read it.
    expect(template.calendar[0].text).toContain('Giả định: Kế hoạch không ghi hạn báo cáo quý; báo cáo quý nộp trong 10 ngày sau khi kết thúc quý.');
    // "Các sở, ngành tỉnh có liên quan và các địa phương": not the unions (block 12) nor the office that receives them.
    expect(owedBy).toEqual(expect.arrayContaining(['agriculture-rural-dept', 'district-people-committee']));
    expect(owedBy).not.toEqual(expect.arrayContaining(['farmers-union']));
    expect(owedBy).not.toContain('ntm-coordination-office');
  });
});
