// Transcription check of templates/programmes/dongthap-ocop-2026-2030.yaml against
// /work/shared/seeds/000_016b2e1795372447.txt (Đồng Tháp, Phụ lục 2, OCOP 2026 – 2030).
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgrammeTemplate, Task } from '../../../src/programmes/template';

const template = parse(
  readFileSync(join(__dirname, '../../../templates/programmes/dongthap-ocop-2026-2030.yaml'), 'utf8'),
) as ProgrammeTemplate;

function task(number: string): Task {
  const found = template.tasks.find((t) => t.number === number);
  if (!found) throw new Error(`task ${number} missing`);
  return found;
}

function roleNames(ids: string[]): string[] {
  return ids.map((id) => {
    const role = template.roles.find((r) => r.id === id);
    if (!role) throw new Error(`role ${id} not declared`);
    return role.name;
  });
}

describe('dongthap-ocop-2026-2030 template', () => {
  it('identifies the programme', () => {
    expect(template.id).toBe('dongthap-ocop-2026-2030');
    expect(template.language).toBe('vi');
    expect(template.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(template.years).toEqual({ from: 2026, to: 2030 });
    expect(template.title).toBe('BẢNG PHÂN CÔNG NHIỆM VỤ THỰC HIỆN CHƯƠNG TRÌNH OCOP GIAI ĐOẠN 2026 – 2030');
    expect(template.source.file).toBe('000_016b2e1795372447.txt');
    expect(template.reports).toEqual(['task-status', 'submission-timeliness', 'ocop-progress']);
  });

  it('has the 35 tasks 1.1 … 12.3 in 12 sections, numbers unique', () => {
    expect(template.tasks).toHaveLength(35);
    const numbers = template.tasks.map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers[0]).toBe('1.1');
    expect(numbers[numbers.length - 1]).toBe('12.3');
    expect(template.sections?.map((s) => s.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    const perSection: Record<string, number> = {};
    for (const t of template.tasks) perSection[t.section ?? ''] = (perSection[t.section ?? ''] ?? 0) + 1;
    expect(perSection).toEqual({ '1': 3, '2': 2, '3': 1, '4': 3, '5': 5, '6': 5, '7': 2, '8': 4, '9': 3, '10': 1, '11': 3, '12': 3 });
    for (const t of template.tasks) expect(t.number.startsWith(`${t.section}.`)).toBe(true);
  });

  it('keeps section titles as written', () => {
    const title = (id: string) => template.sections?.find((s) => s.id === id)?.title;
    expect(title('1')).toBe('Công tác triển khai');
    expect(title('7')).toBe('Thúc đẩy ứng dụng chuyển đổi số trong OCOP');
    expect(title('10')).toBe('Hoàn thiện cơ chế, chính sách hỗ trợ và quản lý chương trình');
    expect(title('12')).toBe('Kiểm tra, giám sát');
  });

  it('declares every lead and cooperating role, with unique kebab-case ids', () => {
    const ids = template.roles.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const t of template.tasks) {
      expect(t.lead.length).toBeGreaterThan(0);
      for (const id of [...t.lead, ...t.cooperating]) expect(ids).toContain(id);
    }
  });

  it('transcribes task texts as written, page breaks repaired', () => {
    expect(task('1.2').text).toBe(
      'Chủ trì xây dựng và ban hành Hướng dẫn thực hiện Chương trình OCOP trên địa bàn tỉnh Đồng Tháp',
    );
    expect(task('1.3').text).toBe('Xây dựng sổ tay tuyên truyền OCOP giai đoạn 2026-2030');
    expect(task('4.3').text).toBe(
      'Triển khai chính sách hỗ trợ doanh nghiệp, hợp tác xã về quảng bá nhãn hiệu, thương hiệu, sản phẩm.',
    );
    expect(task('2.1').text).toContain('huy động sự tham gia của các cấp, các ngành, doanh nghiệp, hợp tác xã và người dân.');
    expect(task('3.1').text).toContain('phù hợp với nhu cầu thị trường và điều kiện thực tế của địa phương.');
    expect(task('6.3').text).toBe(
      'Hình thành chuỗi liên kết giữa nông dân – hợp tác xã - doanh nghiệp trong sản xuất, chế biến và tiêu thụ sản phẩm OCOP, nhằm đảm bảo nguồn nguyên liệu ổn định, chất lượng, đồng thời tạo đầu ra thị trường vững chắc',
    );
    expect(task('7.1').text).toContain('chữ ký số, thanh toán số và các giải pháp công nghệ phù hợp');
    expect(task('8.3').text).toContain('tại các thành phố lớn (TP. Hà Nội, TP. HCM...), liên kết với các siêu thị');
    expect(task('9.3').text.startsWith('Hướng dẫn, hỗ trợ các chủ thể OCOP xây dựng và phát triển câu chuyện sản phẩm gắn với nguồn gốc xuất xứ')).toBe(true);
    expect(task('10.1').text).toBe(
      'Củng cố, kiện toàn Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh và Tổ tư vấn Hội đồng OCOP cấp tỉnh',
    );
    expect(task('11.2').text).toContain('Lòng ghép có hiệu quả nguồn vốn'); // source typo kept
    expect(task('12.2').text).toBe(
      'Các sở, ngành và Ủy ban nhân dân cấp xã chịu trách nhiệm tự theo dõi và đánh giá kết quả các nhiệm vụ OCOP thuộc phạm vi quản lý, phụ trách;',
    );
    for (const t of template.tasks) expect(t.text).not.toMatch(/STT|Nội dung nhiệm vụ|\t|\s{2}/);
  });

  it('maps Cơ quan chủ trì / Cơ quan phối hợp to roles', () => {
    expect(roleNames(task('1.1').lead)).toEqual(['Sở Nông nghiệp và Môi trường']);
    expect(roleNames(task('1.1').cooperating)).toEqual(['Các sở, ngành tỉnh', 'UBND xã, phường']);
    expect(roleNames(task('4.1').lead)).toEqual(['Sở Khoa học và Công nghệ']);
    expect(roleNames(task('5.1').cooperating)).toEqual([
      'Sở Y tế', 'Sở Khoa học và Công nghệ', 'Sở Công Thương', 'UBND xã, phường',
    ]);
    expect(roleNames(task('5.2').lead)).toEqual(['Sở Tài chính']);
    expect(roleNames(task('5.4').lead)).toEqual(['Sở Giáo dục và Đào tạo']);
    expect(roleNames(task('5.5').lead)).toEqual(['Sở Nội vụ']);
    expect(roleNames(task('6.3').cooperating)).toEqual([
      'Sở Nông nghiệp và Môi trường', 'Sở Khoa học và Công nghệ', 'Sở Tài chính', 'UBND xã, phường',
    ]);
    expect(roleNames(task('8.2').cooperating)).toEqual([
      'Sở Nông nghiệp và Môi trường', 'Sở Tài chính', 'Sở Văn hóa, Thể thao và Du lịch', 'UBND xã, phường',
    ]);
    expect(roleNames(task('9.3').lead)).toEqual(['Sở Văn hóa, Thể thao và Du lịch']);
    expect(roleNames(task('2.1').cooperating)).toContain('Báo và Phát thanh - Truyền hình Đồng Tháp');
    expect(roleNames(task('2.2').lead)).toEqual([
      'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'Các tổ chức chính trị - xã hội tỉnh',
    ]);
    expect(roleNames(task('11.2').cooperating)).toEqual([
      'Hội, hiệp hội doanh nghiệp', 'Các tổ chức, cá nhân trong và ngoài tỉnh',
    ]);
    expect(roleNames(task('11.3').cooperating)).toEqual(['Cơ quan Trung ương', 'Các tổ chức, cá nhân trong và ngoài tỉnh']);
  });

  it('keeps cells that say more than a list in responsibleText', () => {
    expect(task('2.2').responsibleText).toContain(
      'Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các Tổ chức chính trị - xã hội Tỉnh',
    );
    expect(task('3.1').responsibleText).toContain('UBND phường xã,');
    expect(task('3.1').responsibleText).toContain('Các Sở, ngành tỉnh có liên quan');
    expect(task('11.3').responsibleText).toContain('Cơ quan Trung ương, các tổ chức, cá nhân trong và ngoài tỉnh');
    expect(task('2.1').responsibleText).toContain(
      'Sở Văn hóa Thể thao và Du lịch; Báo và Phát thanh - Truyền hình Đồng Tháp; UBND xã, phường',
    );
  });

  it('reads the completion times as the source writes them', () => {
    expect(task('1.1').deadline).toEqual({ kind: 'yearly', month: 1, day: 30, text: 'Định kỳ trước ngày 30/01 hằng năm' });
    expect(task('1.2').deadline).toEqual({ kind: 'date', date: '2026-07-15', text: 'Trước ngày 15/7/2026' });
    expect(task('1.3').deadline).toEqual({ kind: 'date', date: '2026-07-15', text: 'Trước ngày 15/7/2026' });
    expect(task('2.1').deadline).toEqual({ kind: 'ongoing', every: 'year', text: 'Hàng năm' });
    expect(task('2.2').deadline).toEqual({ kind: 'ongoing', every: 'year', text: 'Hàng năm' });
    expect(task('3.1').deadline).toEqual({
      kind: 'condition',
      text: 'Định kỳ và đột xuất theo đề nghị của Sở Nông nghiệp và Môi trường',
    });
    expect(task('9.3').deadline).toEqual({ kind: 'ongoing', every: 'year', text: 'Thường xuyên' });
    const kinds: Record<string, number> = {};
    for (const t of template.tasks) kinds[t.deadline.kind] = (kinds[t.deadline.kind] ?? 0) + 1;
    expect(kinds).toEqual({ yearly: 1, date: 2, ongoing: 31, condition: 1 });
  });

  it('keeps the expected outputs as written', () => {
    expect(task('1.1').output).toBe('Kế hoạch');
    expect(task('1.2').output).toBe('Hướng dẫn');
    expect(task('1.3').output).toBe('Sổ tay');
    expect(task('3.1').output).toBe('Danh mục sản phẩm OCOP tiềm năng giai đoạn 2026 - 2030');
    expect(task('10.1').output).toBe('Quyết định');
    expect(task('11.1').output).toBe('Quyết định phân bổ nguồn vốn');
    expect(task('12.1').output).toBe('Báo cáo kiểm tra, giám sát định kỳ.');
    expect(task('12.2').output).toBe('Báo cáo kết quả thực hiện định kỳ hằng năm hoặc đột xuất theo yêu cầu;');
    for (const t of template.tasks) expect(t.output).toBeTruthy();
  });

  it('has a yearly report due 30/01 of the next year (assumed) and no goals', () => {
    expect(template.calendar).toHaveLength(1);
    expect(template.calendar[0].period).toBe('year');
    expect(template.calendar[0].due).toEqual({ kind: 'fixed', month: 1, day: 30, yearOffset: 1 });
    expect(template.calendar[0].text).toContain('Định kỳ trước ngày 30/01 hằng năm');
    expect(template.goals ?? []).toHaveLength(0);
  });
});
