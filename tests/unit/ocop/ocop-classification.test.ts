import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUSINESS_TYPES, categoryText, isBusinessType, parseCategory } from '../../../src/ocop/ocop-classification';
import { OCOP_DUTIES } from '../../../src/ocop/ocop-duties';
import { parseTemplate } from '../../../src/programmes/load-template';

const samples = parse(readFileSync(join(__dirname, '../../../templates/samples/camau-ocop-2022.products.yaml'), 'utf8')) as {
  candidates: { product: string; businessType: string; category?: string }[];
  upgrades: { product: string; businessType: string }[];
};

describe('business types (Phụ lục 2 "Loại hình kinh doanh")', () => {
  it('are the appendix’s, as written, plus the national "Doanh nghiệp"', () => {
    expect(BUSINESS_TYPES).toEqual(['Công ty', 'Doanh nghiệp', 'Hợp tác xã', 'Tổ hợp tác', 'Hộ kinh doanh', 'CSSX']);
  });

  it('cover every producer of the Cà Mau sample (Phụ lục 2 and 3), in any Unicode form', () => {
    for (const row of [...samples.candidates, ...samples.upgrades]) expect({ product: row.product, ok: isBusinessType(row.businessType) }).toEqual({ product: row.product, ok: true });
    expect(isBusinessType(' Hộ  kinh doanh '.normalize('NFD'))).toBe(true);
    expect(isBusinessType('Hộ gia đình')).toBe(false);
    expect(isBusinessType(3)).toBe(false);
  });
});

describe('categories (Phụ lục 2 "Phân loại ngành/nhóm/ phân nhóm sản phẩm")', () => {
  it('reads every category cell of the Cà Mau sample as written', () => {
    const cells = [...new Set(samples.candidates.flatMap((c) => (c.category ? [c.category] : [])))];
    expect(cells.length).toBeGreaterThan(15);
    for (const cell of cells) expect({ cell, ok: parseCategory(cell).ok }).toEqual({ cell, ok: true });
  });

  it('reads the three levels, full stops and second spellings aside', () => {
    expect(parseCategory('Ngành: Thực phẩm Nhóm: Thực phẩm thô sơ, sơ chế. Phân nhóm: Gạo, ngũ cốc')).toEqual({
      ok: true, category: { sector: 'Thực phẩm', group: 'Thực phẩm thô sơ, sơ chế', subgroup: 'Gạo, ngũ cốc' },
    });
    expect(parseCategory('Ngành: Thực phẩm Nhóm: Thực phẩm thô, sơ chế Phân nhóm: Mật ong, các sản phẩm từ mật ong, mật khác')).toMatchObject({
      category: { group: 'Thực phẩm thô sơ, sơ chế' },
    });
    expect(parseCategory('Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến thịt, trứng, sữa')).toMatchObject({
      category: { subgroup: 'Chế biến từ thịt, trứng, sữa' },
    });
    expect(parseCategory('Ngành: Thủ công mỹ nghệ, trang trí Nhóm: Thủ công mỹ nghệ, gia dụng')).toEqual({
      ok: true, category: { sector: 'Thủ công mỹ nghệ, trang trí', group: 'Thủ công mỹ nghệ, gia dụng', subgroup: null },
    });
  });

  it('infers the sector and group a sub-group implies (Phú Tân row 3 prints the sub-group alone)', () => {
    expect(parseCategory('Phân nhóm: Chế biến từ thủy, hải sản')).toEqual({
      ok: true, category: { sector: 'Thực phẩm', group: 'Thực phẩm chế biến', subgroup: 'Chế biến từ thủy, hải sản' },
    });
    expect(parseCategory('Nhóm: Đồ uống không cồn')).toMatchObject({ category: { sector: 'Đồ uống' } });
  });

  it('refuses what it cannot place, saying why and what it knows', () => {
    expect(parseCategory('Thực phẩm chế biến')).toMatchObject({ ok: false, reason: expect.stringMatching(/^must read "Ngành: … Nhóm: … Phân nhóm: …"/) });
    expect(parseCategory('Ngành: Thực phẩm')).toMatchObject({ ok: false, reason: expect.stringMatching(/must name at least the Nhóm/) });
    expect(parseCategory('Ngành: Đồ uống Nhóm: Thực phẩm chế biến')).toMatchObject({ ok: false, reason: 'unknown Nhóm "Thực phẩm chế biến" of Ngành "Đồ uống"; one of: Đồ uống không cồn; Đồ uống có cồn' });
    expect(parseCategory('Nhóm: Thực phẩm tươi sống Phân nhóm: Gạo, ngũ cốc')).toMatchObject({ ok: false, reason: expect.stringMatching(/^unknown Phân nhóm "Gạo, ngũ cốc" of Nhóm "Thực phẩm tươi sống"; one of: Rau, củ, quả, hạt tươi; Thịt, trứng, sữa tươi/) });
    expect(parseCategory('Phân nhóm: Gạo, ngũ cốc Nhóm: Thực phẩm thô sơ, sơ chế')).toMatchObject({ ok: false, reason: expect.stringMatching(/out of order/) });
    expect(parseCategory('Ngành: Nhóm: Thực phẩm chế biến')).toMatchObject({ ok: false, reason: '"Ngành:" has no name' });
    expect(parseCategory(42)).toMatchObject({ ok: false });
  });

  it('writes a category in full with canonical names', () => {
    expect(categoryText({ sector: 'Thực phẩm', group: 'Thực phẩm chế biến', subgroup: 'Chế biến từ thủy, hải sản' }))
      .toBe('Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến từ thủy, hải sản');
  });
});

describe('OCOP duties', () => {
  it.each(Object.keys(OCOP_DUTIES))('%s: every role named is a role of the programme, and there is a province level', (programmeId) => {
    const file = join(__dirname, '../../../templates/programmes', `${programmeId}.yaml`);
    const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
    if (!loaded.ok) throw new Error('template must load');
    const roles = new Set(loaded.template.roles.map((r) => r.id));
    for (const [duty, grant] of Object.entries(OCOP_DUTIES[programmeId])) {
      for (const role of grant.roles) expect({ duty, role, declared: roles.has(role) }).toEqual({ duty, role, declared: true });
    }
    expect(OCOP_DUTIES[programmeId]['rate-province'].roles.length).toBeGreaterThan(0);
    expect(OCOP_DUTIES[programmeId].register.roles.length).toBeGreaterThan(0);
  });
});
