/**
 * Transcription check of templates/programmes/camau-ocop-2022.yaml (and its demo sample data
 * templates/samples/camau-ocop-2022.products.yaml) against the source
 * /work/shared/seeds/002_0c372d6a6be3db21.txt: Kế hoạch số 47/KH-UBND ngày 02/3/2022, Cà Mau OCOP 2022.
 * The literal strings below are copied from the source.
 */
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deadline, IndicatorRule, ProgrammeTemplate, Task } from '../../../src/programmes/template';

const template = parse(
  readFileSync(join(__dirname, '../../../templates/programmes/camau-ocop-2022.yaml'), 'utf8'),
) as ProgrammeTemplate;

interface Candidate {
  number: string;
  product: string;
  producer: string;
  address?: string;
  businessType: string;
  category?: string;
  representative?: string;
  district: string;
}
interface Upgrade {
  number: string;
  product: string;
  producer: string;
  address?: string;
  businessType: string;
  representative?: string;
  stars: number;
  year: number;
  district: string;
}
const samples = parse(
  readFileSync(join(__dirname, '../../../templates/samples/camau-ocop-2022.products.yaml'), 'utf8'),
) as { candidates: Candidate[]; upgrades: Upgrade[] };

function task(number: string): Task {
  const found = template.tasks.find((t) => t.number === number);
  if (!found) throw new Error(`task ${number} not found`);
  return found;
}

function roleName(id: string): string {
  const role = template.roles.find((r) => r.id === id);
  if (!role) throw new Error(`role ${id} not declared`);
  return role.name;
}

function goal(id: string) {
  const found = (template.goals ?? []).find((g) => g.id === id);
  if (!found) throw new Error(`goal ${id} not found`);
  return found;
}

describe('camau-ocop-2022 template', () => {
  it('identifies the programme', () => {
    expect(template.id).toBe('camau-ocop-2022');
    expect(template.language).toBe('vi');
    expect(template.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(template.years).toEqual({ from: 2022, to: 2022 });
    expect(template.title).toBe('Kế hoạch triển khai thực hiện Đề án OCOP tỉnh Cà Mau năm 2022');
    expect(template.source.file).toBe('002_0c372d6a6be3db21.txt');
    expect(template.source.date).toBe('2022-03-02');
  });

  it('has the 38 tasks of Phụ lục 1, then the plan body\'s (KH-II, KH-III), with unique numbers', () => {
    expect(template.tasks.filter((t) => !t.number.startsWith('KH-'))).toHaveLength(38);
    expect(template.tasks).toHaveLength(38 + 20 + 34);
    const numbers = template.tasks.map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    const perSection = (s: string) => template.tasks.filter((t) => t.section === s).length;
    expect(perSection('I')).toBe(6);
    expect(perSection('II')).toBe(6);
    expect(perSection('III')).toBe(3);
    expect(perSection('IV')).toBe(12); // IV.1–IV.5 and IV.5.1–IV.5.7
    expect(perSection('IV.6')).toBe(3);
    expect(perSection('V')).toBe(4);
    expect(perSection('VI')).toBe(2);
    expect(numbers).toEqual(expect.arrayContaining(['IV.5.4', 'IV.6.3', 'VII', 'VIII']));
    // "6 Xúc tiến thương mại sản phẩm OCOP" has no responsible unit: a section, not a task
    expect(numbers).not.toContain('IV.6');
    expect(template.sections?.find((s) => s.id === 'IV.6')).toEqual({
      id: 'IV.6',
      title: 'Xúc tiến thương mại sản phẩm OCOP',
      parent: 'IV',
    });
  });

  it('uses only declared roles, each task with a lead', () => {
    const ids = new Set(template.roles.map((r) => r.id));
    expect(ids.size).toBe(template.roles.length);
    for (const t of template.tasks) {
      expect(t.lead.length).toBeGreaterThan(0);
      for (const id of [...t.lead, ...t.cooperating]) {
        expect({ task: t.number, role: id, declared: ids.has(id) }).toEqual({ task: t.number, role: id, declared: true });
      }
    }
    for (const section of template.sections ?? []) {
      if (section.parent) expect(template.sections?.some((s) => s.id === section.parent)).toBe(true);
    }
    for (const t of template.tasks) {
      if (t.section) expect(template.sections?.some((s) => s.id === t.section)).toBe(true);
    }
  });

  it('names every agency as the source writes it', () => {
    const names = template.roles.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Sở Nông nghiệp và Phát triển nông thôn',
        'Ủy ban nhân dân các huyện, thành phố Cà Mau',
        'Ủy ban nhân dân cấp xã',
        'Sở Công Thương',
        'Trung tâm Xúc tiến đầu tư và Hỗ trợ doanh nghiệp',
        'Sở Kế hoạch và Đầu tư',
        'Sở Tài chính',
        'Sở Văn hóa, Thể thao và Du lịch',
        'Sở Khoa học và Công nghệ',
        'Sở Y tế',
        'Sở Tài nguyên và Môi trường',
        'Sở Thông tin và Truyền thông',
        'Liên minh Hợp tác xã tỉnh',
        'Ngân hàng Nhà nước Việt Nam Chi nhánh tỉnh Cà Mau',
        'Đài Phát thanh - Truyền hình Cà Mau',
        'Báo Cà Mau',
        'Hội Nông dân tỉnh',
        'Các sở, ban, ngành, đoàn thể cấp tỉnh',
        'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh',
        'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện',
        'Phòng Kinh tế thành phố Cà Mau',
        'Chủ thể OCOP',
      ]),
    );
  });

  it('transcribes sample tasks: text, lead, co-operating units, leader, deadline', () => {
    const i1 = task('I.1');
    expect(i1.text).toBe(
      'Xây dựng, trình UBND tỉnh phê duyệt Kế hoạch triển khai thực hiện Chương trình OCOP tỉnh Cà Mau năm 2022',
    );
    expect(i1.lead.map(roleName)).toEqual(['Sở Nông nghiệp và Phát triển nông thôn']);
    expect(i1.cooperating.map(roleName)).toEqual([
      'Các sở, ban, ngành, đoàn thể cấp tỉnh',
      'Ủy ban nhân dân các huyện, thành phố Cà Mau',
    ]);
    expect(i1.leader).toBe('Ông Trần Văn Thức - Phó Giám đốc phụ trách Sở Nông nghiệp và PTNT');
    expect(i1.deadline).toEqual<Deadline>({ kind: 'window', from: '2022-03-01', to: '2022-03-31', text: 'Tháng 3/2022' });

    const i2 = task('I.2');
    expect(i2.leader).toBe(
      'Ông Trần Văn Thức - Phó Giám đốc phụ trách Sở Nông nghiệp và PTNT (đối với cấp tỉnh); Chủ tịch UBND huyện/TPCM (đối với cấp huyện)',
    );
    expect(i2.deadline).toEqual<Deadline>({ kind: 'end-of-year', year: 2022, text: 'Năm 2022' });

    const i3 = task('I.3');
    expect(i3.lead.map(roleName)).toEqual(['Ủy ban nhân dân huyện Ngọc Hiển']);
    expect(i3.leader).toBe('Ông Trần Hoàng Lạc, Chủ tịch UBND huyện Ngọc Hiển');
    // "Năm 2022 trở về sau": every year from 2022 on, not every month.
    expect(i3.deadline).toEqual<Deadline>({ kind: 'from-year', year: 2022, every: 'year', text: 'Năm 2022 trở về sau' });

    // "Tháng 5/2022 (hoặc sau khi …)": the month is the deadline, the condition kept beside it.
    expect(task('I.4').deadline).toEqual<Deadline>({
      kind: 'window', from: '2022-05-01', to: '2022-05-31',
      condition: 'hoặc sau khi Trung ương ban hành Kế hoạch thực hiện Chương trình giai đoạn 2022 - 2025',
      text: 'Tháng 5/2022 (hoặc sau khi Trung ương ban hành Kế hoạch thực hiện Chương trình giai đoạn 2022 - 2025)',
    });

    const ii1 = task('II.1');
    expect(ii1.text).toBe('Lồng ghép thực hiện các phóng sự, chuyên đề tuyên truyền về Chương trình OCOP (1 kỳ/tuần)...');
    expect(ii1.lead.map(roleName)).toEqual(['Đài Phát thanh - Truyền hình Cà Mau']);
    expect(ii1.leader).toBe('Ông Phạm Thanh Phong - Phó Giám đốc Đài Phát thanh - Truyền hình Cà Mau');
    expect(ii1.deadline).toEqual<Deadline>({ kind: 'window', from: '2022-05-01', to: '2022-12-31', text: 'Tháng 5-12/2022' });

    const ii4 = task('II.4');
    expect(ii4.leader).toBe('Bà Trương Hà Phương Anh - Phó Giám đốc Trung tâm Xúc tiến đầu tư và Hỗ trợ Doanh nghiệp');
    expect(ii4.deadline).toEqual<Deadline>({ kind: 'window', from: '2022-10-01', to: '2022-12-31', text: 'Tháng 10 - 12/2022' });

    const ii6 = task('II.6');
    expect(ii6.text).toBe('Lồng ghép tuyên truyền về Chương trình OCOP vào hoạt động của cơ quan, đơn vị');
    expect(ii6.leader).toBeUndefined();
    expect(ii6.cooperating).toEqual([]);

    const iii1 = task('III.1');
    // "Tháng 5 - 6/2022 (sau khi có kinh phí TW)": due 30/6, the condition kept beside it.
    expect(iii1.deadline).toEqual<Deadline>({ kind: 'window', from: '2022-05-01', to: '2022-06-30', condition: 'sau khi có kinh phí TW', text: 'Tháng 5 - 6/2022 (sau khi có kinh phí TW)' });
    expect(iii1.cooperating.map(roleName)).toContain('các viện, trường');

    const iii2 = task('III.2');
    expect(iii2.lead.map(roleName)).toEqual(['Sở Khoa học và Công nghệ']);
    expect(iii2.responsibleText).toContain('Sở Công nghệ và Khoa học Công nghệ');
    expect(iii2.leader).toBe('Ông Phan Tấn Thanh - Giám đốc Sở Khoa học và Công nghệ');

    const iv3 = task('IV.3');
    expect(iv3.text).toBe(
      'Nhận Phương án sản xuất kinh doanh, hướng dẫn tổ chức triển khai, hỗ trợ tư vấn hoàn thiện sản phẩm',
    );
    expect(iv3.lead.map(roleName)).toEqual(['Ủy ban nhân dân các huyện, thành phố Cà Mau']);
    expect(iv3.leader).toBe('Chủ tịch UBND cấp huyện');
    expect(iv3.deadline).toEqual<Deadline>({ kind: 'window', from: '2022-04-01', to: '2022-05-31', text: 'Tháng 4 - 5/2022' });

    // "Các sản phẩm đợt 1 (Tháng 4 - 6/2022) Các sản phẩm đợt 2 Tháng 4 - 9/2022": two rounds, due 30/6 and 30/9.
    expect(task('IV.4').deadline).toEqual<Deadline>({
      kind: 'rounds',
      dates: ['2022-06-30', '2022-09-30'],
      text: 'Các sản phẩm đợt 1 (Tháng 4 - 6/2022) Các sản phẩm đợt 2 Tháng 4 - 9/2022',
    });

    const iv5 = task('IV.5');
    expect(iv5.lead.map(roleName)).toEqual([
      'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện',
      'Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh',
    ]);
    expect(iv5.leader).toBe('Chủ tịch Hội đồng đánh giá, xếp hạng cấp huyện, cấp tỉnh');

    const iv51 = task('IV.5.1');
    expect(iv51.lead.map(roleName)).toEqual([
      'Phòng Kinh tế thành phố Cà Mau',
      'Phòng Nông nghiệp và Phát triển nông thôn các huyện',
    ]);
    expect(iv51.cooperating.map(roleName)).toEqual(['Các đơn vị cấp huyện có liên quan']);
    // "Dự kiến tháng 5/2022 và tháng 8/2022" and "Dự kiến tháng 6 và tháng 9/2022": two months each, not a window.
    expect(iv51.deadline).toEqual<Deadline>({ kind: 'months', months: ['2022-05', '2022-08'], text: 'Dự kiến tháng 5/2022 và tháng 8/2022' });
    expect(task('IV.5.2').deadline).toEqual<Deadline>({ kind: 'months', months: ['2022-06', '2022-09'], text: 'Dự kiến tháng 6 và tháng 9/2022' });

    const iv54 = task('IV.5.4');
    expect(iv54.text).toBe('Nhận hồ sơ đăng ký tham gia đánh giá, phân hạng sản phẩm Chương trình OCOP cấp tỉnh');
    expect(iv54.leader).toBe('Ông Trần Văn Thức Phó Giám đốc phụ trách Sở Nông nghiệp và PTNT');
    // "Dự kiến trước ngày 30/6, 30/9": two rounds, not one date.
    expect(iv54.deadline).toEqual<Deadline>({ kind: 'rounds', dates: ['2022-06-30', '2022-09-30'], text: 'Dự kiến trước ngày 30/6, 30/9' });
    expect(task('IV.5.3').deadline).toEqual(iv54.deadline);

    const iv57 = task('IV.5.7');
    expect(iv57.text).toBe('Tổ chức công bố, trao Giấy Công nhận sản phẩm đạt từ 03 sao trở lên');
    expect(iv57.lead.map(roleName)).toEqual(['Ủy ban nhân dân tỉnh']);
    expect(iv57.leader).toBe('Lãnh đạo UBND tỉnh');
    expect(iv57.deadline).toEqual<Deadline>({ kind: 'window', from: '2022-12-01', to: '2022-12-31', text: 'Dự kiến tháng 12/2022' });

    const iv61 = task('IV.6.1');
    expect(iv61.lead.map(roleName)).toEqual(['Trung tâm Xúc tiến đầu tư và Hỗ trợ doanh nghiệp']);
    expect(iv61.cooperating.map(roleName)).toEqual(
      expect.arrayContaining(['Sở Công Thương', 'Sở Nông nghiệp và Phát triển nông thôn']),
    );
    expect(iv61.responsibleText).toContain(
      'iPec chủ trì, phối hợp với Sở Công Thương, Sở Nông nghiệp và Phát triển nông thôn',
    );
    expect(iv61.leader).toBe(
      'Bà Trương Hà Phương Anh - Phó Giám đốc Trung tâm Xúc tiến đầu tư và Hỗ trợ Doanh nghiệp; Ông Nguyễn Văn Đô - Giám đốc Sở Công Thương; Ông Trần Văn Thức - Phó Giám đốc phụ trách Sở Nông nghiệp và PTNT',
    );

    const iv63 = task('IV.6.3');
    expect(iv63.lead.map(roleName)).toEqual(['Sở Văn hóa, Thể thao và Du lịch']);
    expect(iv63.leader).toBe('Ông Nguyễn Chí Công - Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch');

    expect(task('V.1').deadline).toEqual<Deadline>({
      kind: 'end-of-year', year: 2022,
      condition: 'sau khi Trung ương xây dựng, ban hành phần mềm',
      text: 'Năm 2022 (sau khi Trung ương xây dựng, ban hành phần mềm)',
    });
    expect(task('V.3').text).toBe('Thực hiện Dự án truy xuất nguồn gốc cho sản phẩm OCOP theo công nghệ Blockchain');

    const vii = task('VII');
    expect(vii.text).toBe('Kiểm tra, giám sát');
    expect(vii.lead.map(roleName)).toEqual(['Ban Chi đạo Chương trình OCOP cấp tỉnh']);
    expect(vii.leader).toBe('Ban Chi đạo tỉnh');
    expect(vii.deadline).toEqual<Deadline>({ kind: 'window', from: '2022-06-01', to: '2022-09-30', text: 'Tháng 6 - 9/2022' });
    expect(task('VIII').deadline).toEqual<Deadline>({ kind: 'window', from: '2022-12-01', to: '2022-12-31', text: 'Tháng 12/2022' });
  });

  it('keeps the window deadlines inside the programme year and well-formed', () => {
    for (const t of template.tasks) {
      const d = t.deadline;
      expect(d.text.length).toBeGreaterThan(0);
      if (d.kind === 'window') {
        expect(d.from <= d.to).toBe(true);
        expect(d.from.startsWith('2022-')).toBe(true);
        expect(d.to.startsWith('2022-')).toBe(true);
      }
    }
  });

  it('states the goals as written with their figures', () => {
    const goals = template.goals ?? [];
    expect(goals).toHaveLength(6);
    const metricIds = new Set((template.metrics ?? []).map((m) => m.id));
    const rules: IndicatorRule[] = goals.flatMap((g) => (g.rule ? [g.rule] : []));
    for (const rule of rules) {
      if ('metric' in rule) expect(metricIds.has(rule.metric)).toBe(true);
    }

    expect(goal('new-products').text).toBe('Phát triển mới và tiêu chuẩn hóa ít nhất 40 sản phẩm.');
    expect(goal('new-products').rule).toEqual({
      kind: 'compare', metric: 'ocop.registered', where: { kind: 'new' }, aggregate: 'sum', op: '>=', value: 40,
    });
    expect(goal('newly-rated-3-4-stars').text).toBe('Công nhận mới ít nhất 30 sản phẩm đạt 3 - 4 sao.');
    expect(goal('newly-rated-3-4-stars').rule).toEqual({
      kind: 'compare', metric: 'ocop.rated', where: { kind: 'new', stars: ['3', '4'] }, aggregate: 'sum', op: '>=', value: 30,
    });
    expect(goal('upgraded-3-to-4-stars').text).toBe(
      'Nâng hạng ít nhất 03 sản phẩm đã được công nhận sản phẩm OCOP 3 sao lên 4 sao.',
    );
    expect(goal('upgraded-3-to-4-stars').rule).toEqual({
      kind: 'compare', metric: 'ocop.upgraded', where: { from: '3', to: '4' }, aggregate: 'sum', op: '>=', value: 3,
    });
    expect(goal('economic-organisations').text).toBe(
      'Phát triển, nâng cấp ít nhất 28 - 30 tổ chức kinh tế tham gia Chương trình OCOP.',
    );
    expect(goal('economic-organisations').rule).toEqual({
      // "ít nhất 28 - 30 tổ chức": at least 28 (met from 28, 31 is met too).
      kind: 'at-least', metric: 'ocop.organisations', aggregate: 'sum', min: 28, max: 30,
    });
    expect(goal('supported-products').text).toBe(
      'Hướng dẫn, hỗ trợ 77 sản phẩm OCOP được tỉnh công nhận tham gia các hoạt động kết nối giao thương, tiêu thụ sản phẩm.',
    );
    expect(goal('supported-products').rule).toMatchObject({ metric: 'ocop.supported', op: '>=', value: 77 });
    expect(goal('display-points').rule).toBeUndefined();
  });

  it('derives its metrics from OCOP events', () => {
    const metrics = template.metrics ?? [];
    expect(metrics.map((m) => m.id).sort()).toEqual(
      ['ocop.organisations', 'ocop.rated', 'ocop.registered', 'ocop.revoked', 'ocop.supported', 'ocop.upgraded'],
    );
    for (const m of metrics) {
      expect(m.derivedFrom).toBe('ocop');
      expect(m.integer).toBe(true);
    }
    const rated = metrics.find((m) => m.id === 'ocop.rated');
    expect(rated?.unit).toBe('sản phẩm');
    expect(rated?.dimensions?.find((d) => d.id === 'stars')?.values.map((v) => v.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(rated?.dimensions?.find((d) => d.id === 'kind')?.values.map((v) => v.id)).toEqual(['new', 'upgraded']);
    // "đạt 3 - 4 sao" is a `where` list over `stars`, not a dimension of its own
    expect(rated?.dimensions?.map((d) => d.id)).toEqual(['stars', 'kind']);
    // every `where` of a goal names a declared dimension value of its metric
    for (const g of template.goals ?? []) {
      const rule = g.rule;
      if (!rule || !('metric' in rule) || !rule.where) continue;
      const metric = metrics.find((m) => m.id === rule.metric);
      for (const [dim, allowed] of Object.entries(rule.where)) {
        const values = metric?.dimensions?.find((d) => d.id === dim)?.values.map((v) => v.id) ?? [];
        for (const value of Array.isArray(allowed) ? allowed : [allowed]) {
          expect({ goal: g.id, dim, value, declared: values.includes(value) }).toEqual({ goal: g.id, dim, value, declared: true });
        }
      }
    }
    expect(metrics.find((m) => m.id === 'ocop.organisations')?.unit).toBe('tổ chức');
  });

  it('reports monthly, quarterly, 6-monthly, 9-monthly and yearly', () => {
    expect(template.calendar.map((c) => c.period)).toEqual(['month', 'quarter', 'half-year', 'nine-months', 'year']);
    for (const c of template.calendar) {
      expect(c.due).toEqual({ kind: 'after-end', days: 5 });
      expect(c.text).toContain('định kỳ (tháng, quý, 06 tháng, 09 tháng và năm hoặc đột xuất theo yêu cầu)');
    }
    expect(template.reports).toEqual(['task-status', 'submission-timeliness', 'ocop-progress']);
  });

  describe('Phụ lục 4 district allocation', () => {
    const table = template.allocations?.['district-targets'];
    const sum = (key: string) => (table?.rows ?? []).reduce((acc, r) => acc + (r.figures[key] ?? 0), 0);

    it('keeps the column headings and the nine districts, without the totals row', () => {
      expect(table?.columns.registered).toBe('Số lượng sản phẩm địa phương đăng ký năm 2022: Tổng số');
      expect(table?.columns.targetUpgrade).toBe(
        'Phân bổ chỉ tiêu số lượng sản phẩm phân đấu đạt năm 2022: Sản phẩm đăng ký nâng hạng',
      );
      expect(table?.rows.map((r) => r.unit)).toEqual([
        'Thành phố Cà Mau', 'Huyện Cái Nước', 'Huyện Đầm Dơi', 'Huyện U Minh', 'Huyện Trần Văn Thời',
        'Huyện Thới Bình', 'Huyện Năm Căn', 'Huyện Ngọc Hiển', 'Huyện Phú Tân',
      ]);
      for (const r of table?.rows ?? []) {
        expect(Object.keys(r.figures).sort()).toEqual(Object.keys(table?.columns ?? {}).sort());
        expect(r.figures.registered).toBe(r.figures.registeredNew + r.figures.registeredUpgrade);
        expect(r.figures.target).toBe(r.figures.targetNew + r.figures.targetUpgrade);
      }
      expect(table?.rows.find((r) => r.unit === 'Huyện Năm Căn')?.figures).toEqual({
        registered: 12, registeredNew: 6, registeredUpgrade: 6, target: 7, targetNew: 5, targetUpgrade: 2,
      });
    });

    it('sums to the TỔNG CỘNG row: 84 62 22 74 58 16', () => {
      expect(sum('registered')).toBe(84);
      expect(sum('registeredNew')).toBe(62);
      expect(sum('registeredUpgrade')).toBe(22);
      expect(sum('target')).toBe(74);
      expect(sum('targetNew')).toBe(58);
      expect(sum('targetUpgrade')).toBe(16);
    });
  });
});

describe('camau-ocop-2022 sample products (Phụ lục 2 and 3)', () => {
  const districts = template.allocations?.['district-targets']?.rows ?? [];

  it('has the 62 candidate products of 40 producers', () => {
    expect(samples.candidates).toHaveLength(62);
    expect(new Set(samples.candidates.map((c) => c.producer)).size).toBe(40);
    // per district, as the group headings say ("TP. CÀ MAU (15 sản phẩm/7 chủ thể)" …)
    const expected: Record<string, [number, number]> = {
      'Thành phố Cà Mau': [15, 7],
      'Huyện Cái Nước': [7, 4],
      'Huyện Đầm Dơi': [6, 5],
      'Huyện U Minh': [8, 6],
      'Huyện Trần Văn Thời': [8, 5],
      'Huyện Năm Căn': [6, 5],
      'Huyện Ngọc Hiển': [6, 3],
      'Huyện Phú Tân': [4, 3],
      'Huyện Thới Bình': [2, 2],
    };
    for (const [district, [products, producers]] of Object.entries(expected)) {
      const rows = samples.candidates.filter((c) => c.district === district);
      expect({ district, products: rows.length, producers: new Set(rows.map((r) => r.producer)).size }).toEqual({
        district, products, producers,
      });
      // Phụ lục 4 "Sản phẩm đăng ký mới" matches the candidates of the district
      expect(districts.find((r) => r.unit === district)?.figures.registeredNew).toBe(products);
    }
  });

  it('transcribes sample candidate rows', () => {
    expect(samples.candidates[0]).toEqual({
      number: '1',
      product: 'Gạo ST 25 Thuận Xương',
      producer: 'Công ty TNHH Thuận Xương',
      address: '106 Gành Hào, khóm 8, phường 7',
      businessType: 'Công ty',
      category: 'Ngành: Thực phẩm Nhóm: Thực phẩm thô sơ, sơ chế. Phân nhóm: Gạo, ngũ cốc',
      representative: 'Lâm Thành Hiếu',
      district: 'Thành phố Cà Mau',
    });
    const chopsticks = samples.candidates.find((c) => c.product === 'Đũa đước');
    expect(chopsticks).toMatchObject({
      number: '5',
      producer: 'Cơ sở sản xuất Huỳnh Thanh Phong',
      businessType: 'CSSX',
      category: 'Ngành: Thủ công mỹ nghệ, trang trí Nhóm: Thủ công mỹ nghệ, gia dụng',
      district: 'Huyện Năm Căn',
    });
    const bottle = samples.candidates.find((c) => c.product === 'Bột canh tôm');
    expect(bottle).toMatchObject({ number: '7', producer: 'Công ty VN Food', district: 'Huyện Cái Nước' });
    expect(samples.candidates.filter((c) => c.businessType === 'Tổ hợp tác').map((c) => c.producer)).toEqual([
      'Tổ Hợp tác nuôi sò huyết',
    ]);
  });

  it('has the 22 products to upgrade of 13 producers, all 3 stars from 2020 or 2021', () => {
    expect(samples.upgrades).toHaveLength(22);
    expect(new Set(samples.upgrades.map((u) => u.producer)).size).toBe(13);
    for (const u of samples.upgrades) {
      expect(u.stars).toBe(3);
      expect([2020, 2021]).toContain(u.year);
    }
    for (const r of districts) {
      expect({ unit: r.unit, upgrades: samples.upgrades.filter((u) => u.district === r.unit).length }).toEqual({
        unit: r.unit, upgrades: r.figures.registeredUpgrade,
      });
    }
    expect(samples.upgrades.filter((u) => u.year === 2020)).toHaveLength(11);
    expect(samples.upgrades.find((u) => u.product === 'Nước cốt trái nhàu nguyên chất SK NONI')).toMatchObject({
      producer: 'Công ty TNHH Sản xuất Thương mại SK NONI',
      stars: 3,
      year: 2021,
      district: 'Huyện Trần Văn Thời',
    });
    expect(samples.upgrades.find((u) => u.product === 'Cua biển Năm Căn')).toMatchObject({
      producer: 'Hợp tác xã Tân Hiệp Phát',
      year: 2020,
      district: 'Huyện Năm Căn',
    });
  });
});
