/**
 * How an OCOP product is classified, as the sources write it: the business type of its producer
 * (chủ thể) and its category (ngành / nhóm / phân nhóm). Pure data and parsing; no framework.
 *
 * Source: Cà Mau, Kế hoạch số 47/KH-UBND ngày 02/3/2022, Phụ lục 2 (columns "Loại hình kinh doanh"
 * and "Phân loại ngành/nhóm/ phân nhóm sản phẩm"), read in full, plus the group Phụ lục 3 needs. Another
 * programme's products with a type or category outside these sets (herbs, textiles, rural tourism …)
 * are refused until the set is extended here.
 */

import { t, type MessageParams, type MessageRef } from '../i18n/translate';

/** Phụ lục 2 "Loại hình kinh doanh", as written; plus "Doanh nghiệp", the national term An Giang uses. */
export const BUSINESS_TYPES = ['Công ty', 'Doanh nghiệp', 'Hợp tác xã', 'Tổ hợp tác', 'Hộ kinh doanh', 'CSSX'] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

/**
 * The categories of Phụ lục 2: sector (Ngành) → group (Nhóm) → sub-groups (Phân nhóm). Where the
 * appendix writes one name two ways, the first is kept and the second read as it (ALIASES).
 */
export const CATEGORIES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'Thực phẩm': {
    'Thực phẩm thô sơ, sơ chế': ['Gạo, ngũ cốc', 'Mật ong, các sản phẩm từ mật ong, mật khác'],
    'Thực phẩm chế biến': ['Chế biến từ thủy, hải sản', 'Chế biến từ thịt, trứng, sữa', 'Chế biến từ rau, củ, quả, hạt', 'Chế biến từ gạo, ngũ cốc'],
    'Thực phẩm tươi sống': ['Rau, củ, quả, hạt tươi', 'Thịt, trứng, sữa tươi'],
  },
  'Đồ uống': {
    'Đồ uống không cồn': ['Đồ uống không cồn'],
    // Not in Phụ lục 2; the other group of the national classification's Đồ uống, which Phụ lục 3's
    // "Rượu trái giác 5 Quốc" needs. No sub-group is written for it.
    'Đồ uống có cồn': [],
  },
  'Thủ công mỹ nghệ, trang trí': {
    'Thủ công mỹ nghệ, gia dụng': [],
  },
};

/** Second spellings in Phụ lục 2 (U Minh row 4; TP. Cà Mau rows 6–11 against U Minh row 5). */
const ALIASES: Readonly<Record<string, string>> = {
  'Thực phẩm thô, sơ chế': 'Thực phẩm thô sơ, sơ chế',
  'Chế biến thịt, trứng, sữa': 'Chế biến từ thịt, trứng, sữa',
};

/** Unicode NFC, single spaces, no surrounding space: how every text of an OCOP record is kept. */
export const clean = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim();

export function isBusinessType(value: unknown): value is BusinessType {
  return typeof value === 'string' && (BUSINESS_TYPES as readonly string[]).includes(clean(value));
}

export interface Category {
  sector: string;
  group: string;
  subgroup: string | null;
}

/** A refused category: the English reason and its catalogue entry. */
export type CategoryResult = { ok: true; category: Category } | { ok: false; reason: string; message: { key: string; params: MessageParams } };

const LABELS = ['Ngành', 'Nhóm', 'Phân nhóm'] as const;
const EXAMPLE: MessageRef = { key: 'phrase.ocopCategoryExample' };
const refuse = (key: string, params: MessageParams = {}): CategoryResult => ({ ok: false, reason: t('en', key, params), message: { key, params } });

/**
 * Reads a category cell as Phụ lục 2 writes it: "Ngành: … Nhóm: … Phân nhóm: …", in that order,
 * any of them left out where a lower one implies it (the appendix prints "Phân nhóm: Chế biến từ
 * thủy, hải sản" alone once), a full stop after a part allowed. At least the group must be known.
 */
export function parseCategory(text: unknown): CategoryResult {
  if (typeof text !== 'string') return refuse('problem.ocopCategoryText', { example: EXAMPLE });
  const source = clean(text);
  const marks = [...source.matchAll(/(Phân nhóm|Nhóm|Ngành)\s*:/g)];
  if (marks.length === 0 || marks[0].index !== 0) return refuse('problem.ocopCategoryForm', { example: EXAMPLE });
  const parts: Partial<Record<(typeof LABELS)[number], string>> = {};
  let last = -1;
  for (let i = 0; i < marks.length; i++) {
    const label = marks[i][1] as (typeof LABELS)[number];
    const order = LABELS.indexOf(label);
    if (order <= last) return refuse('problem.ocopCategoryOrder', { label });
    last = order;
    const end = i + 1 < marks.length ? marks[i + 1].index : source.length;
    const value = source.slice(marks[i].index + marks[i][0].length, end).trim().replace(/[.;]$/, '').trim();
    if (value === '') return refuse('problem.ocopCategoryNoName', { label });
    parts[label] = ALIASES[value] ?? value;
  }
  const sectors = Object.keys(CATEGORIES);
  const sector = parts['Ngành'];
  if (sector !== undefined && !sectors.includes(sector)) return refuse('problem.ocopUnknownSector', { sector, choices: sectors.join('; ') });
  const groupsOf = (s: string) => Object.keys(CATEGORIES[s]);
  const allGroups = sectors.flatMap((s) => groupsOf(s).map((g) => ({ sector: s, group: g })));
  let group = parts['Nhóm'];
  let groupSector: string | undefined;
  if (group !== undefined) {
    const found = allGroups.find((g) => g.group === group && (sector === undefined || g.sector === sector));
    if (!found) {
      const choices = sector !== undefined ? groupsOf(sector) : allGroups.map((g) => g.group);
      const choiceList = choices.join('; ');
      return sector !== undefined ? refuse('problem.ocopUnknownGroupOf', { group, sector, choices: choiceList }) : refuse('problem.ocopUnknownGroup', { group, choices: choiceList });
    }
    groupSector = found.sector;
  }
  const subgroup = parts['Phân nhóm'];
  if (subgroup !== undefined) {
    const found = allGroups.find((g) => (group === undefined || g.group === group) && (sector === undefined || g.sector === sector) && CATEGORIES[g.sector][g.group].includes(subgroup));
    if (!found) {
      const choices = allGroups.filter((g) => (group === undefined || g.group === group) && (sector === undefined || g.sector === sector)).flatMap((g) => CATEGORIES[g.sector][g.group]);
      const choiceList = choices.length > 0 ? choices.join('; ') : { key: 'phrase.none' };
      return group !== undefined ? refuse('problem.ocopUnknownSubgroupOf', { subgroup, group, choices: choiceList }) : refuse('problem.ocopUnknownSubgroup', { subgroup, choices: choiceList });
    }
    group = found.group;
    groupSector = found.sector;
  }
  if (group === undefined || groupSector === undefined) return refuse('problem.ocopCategoryNoGroup', { example: EXAMPLE });
  return { ok: true, category: { sector: groupSector, group, subgroup: subgroup ?? null } };
}

/** The category written in full, canonical names: "Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: …". */
export function categoryText(category: Category): string {
  return `Ngành: ${category.sector} Nhóm: ${category.group}${category.subgroup ? ` Phân nhóm: ${category.subgroup}` : ''}`;
}
