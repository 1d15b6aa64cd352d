/**
 * Which units may record which OCOP facts: by the role the programme gives them, as each source
 * assigns OCOP work. A unit of a role with no duty for a record is refused ('forbidden'), naming
 * the roles that have it. Pure data.
 *
 * - register: the bodies that receive product registrations (đăng ký ý tưởng / hồ sơ sản phẩm);
 * - rate-district: the district-level council (Hội đồng … cấp huyện), its preliminary assessment;
 * - rate-province: the province-level council and the standing agency (cơ quan thường trực) that
 *   records its results and the certificates (Giấy chứng nhận) the province awards;
 * - rate-national: the standing agency, which records the central council's 5-star results;
 * - inspect: who decides a downgrade (giảm sao) or a revocation (thu hồi giấy chứng nhận) after an
 *   inspection — the province's standing agency or issuer, not the departments that propose it;
 * - support: the trade-promotion bodies (xúc tiến thương mại, kết nối giao thương).
 */
export type OcopDuty = 'register' | 'rate-district' | 'rate-province' | 'rate-national' | 'inspect' | 'support';

export interface DutyGrant {
  roles: readonly string[];
  /** Where the source assigns it. */
  basis: string;
}

export const OCOP_DUTIES: Readonly<Record<string, Readonly<Record<OcopDuty, DutyGrant>>>> = {
  'camau-ocop-2022': {
    register: {
      roles: ['ubnd-cap-huyen', 'ubnd-huyen-ngoc-hien', 'phong-kinh-te-tp-ca-mau', 'phong-nong-nghiep-huyen', 'ubnd-cap-xa', 'so-nong-nghiep-ptnt'],
      basis: 'Phụ lục 1 IV.1 (UBND cấp huyện tổ chức đăng ký), IV.5.1 (Phòng Kinh tế, Phòng Nông nghiệp và PTNT nhận hồ sơ cấp huyện), IV.5.4 (Sở Nông nghiệp và PTNT nhận hồ sơ cấp tỉnh); II.4.1 (UBND cấp xã lập danh mục ý tưởng/sản phẩm)',
    },
    'rate-district': { roles: ['hoi-dong-cap-huyen'], basis: 'Phụ lục 1 IV.5.2 (Hội đồng đánh giá, xếp hạng sản phẩm OCOP cấp huyện)' },
    'rate-province': {
      roles: ['hoi-dong-cap-tinh', 'so-nong-nghiep-ptnt', 'ubnd-tinh'],
      basis: 'Phụ lục 1 IV.5.5–IV.5.6 (Hội đồng cấp tỉnh), IV.5.4 (Sở Nông nghiệp và PTNT), IV.5.7 (UBND tỉnh trao Giấy Công nhận)',
    },
    'rate-national': { roles: ['so-nong-nghiep-ptnt', 'ubnd-tinh'], basis: 'cơ quan thường trực chương trình (II.10) and the issuer of certificates (IV.5.7)' },
    inspect: {
      roles: ['so-nong-nghiep-ptnt', 'ubnd-tinh', 'ban-chi-dao'],
      basis: 'II.10 (Sở Nông nghiệp và PTNT kiểm tra, quản lý chất lượng theo Quyết định 166/QĐ-UBND), Phụ lục 1 VII (Ban Chi đạo: Kiểm tra, giám sát), IV.5.7 (UBND tỉnh, issuer)',
    },
    support: {
      roles: ['trung-tam-xuc-tien', 'so-cong-thuong', 'so-van-hoa-the-thao-du-lich', 'so-nong-nghiep-ptnt'],
      basis: 'Phụ lục 1 IV.6.1–IV.6.3 (xúc tiến thương mại sản phẩm OCOP)',
    },
  },
  'angiang-ocop-2022': {
    register: {
      roles: ['district-people-committee', 'ntm-coordination-office', 'agriculture-rural-dept'],
      basis: 'V.15 (UBND huyện rà soát sản phẩm tiềm năng, chuẩn hoá hồ sơ), V.3.3 (Văn phòng Điều phối rà soát, lựa chọn sản phẩm), V.1',
    },
    'rate-district': { roles: ['district-people-committee'], basis: 'III.2 and V.15 (Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện, set up by the district)' },
    'rate-province': {
      roles: ['ntm-coordination-office', 'agriculture-rural-dept'],
      basis: 'V.3.3 (tổ chức đánh giá phân hạng sản phẩm), V.1.4 (chủ trì công tác đánh giá, phân hạng)',
    },
    'rate-national': { roles: ['ntm-coordination-office', 'agriculture-rural-dept'], basis: 'III.5.2 (hồ sơ sản phẩm OCOP 4 sao tham gia đánh giá cấp quốc gia)' },
    inspect: {
      roles: ['agriculture-rural-dept', 'ntm-coordination-office'],
      basis: 'V.1.3 and V.3.3 (kiểm tra, giám sát); III.8.2: the departments and districts propose ("đề xuất thu hồi giấy chứng nhận hoặc giảm sao"), the province decides',
    },
    support: {
      roles: ['trade-investment-promotion-centre', 'industry-trade-dept', 'culture-sports-tourism-dept', 'ntm-coordination-office'],
      basis: 'V.11 (Trung tâm Xúc tiến thương mại và Đầu tư), V.4.1 (Sở Công Thương), V.7.1 (giới thiệu sản phẩm OCOP)',
    },
  },
  'dongthap-ocop-2026-2030': {
    register: { roles: ['commune-people-committee', 'agriculture-environment-dept'], basis: 'Phụ lục 2, 3.1 (UBND xã, phường rà soát, cập nhật danh mục sản phẩm) and 1.1' },
    // No district level: communes report to the province since the 2025 reorganisation the source reflects.
    'rate-district': { roles: [], basis: 'the source has no district level (UBND xã, phường report to the province)' },
    'rate-province': { roles: ['agriculture-environment-dept'], basis: 'Phụ lục 2, 10.1 (Sở Nông nghiệp và Môi trường kiện toàn Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh)' },
    'rate-national': { roles: ['agriculture-environment-dept'], basis: 'Sở Nông nghiệp và Môi trường, the standing agency' },
    inspect: { roles: ['agriculture-environment-dept'], basis: 'Phụ lục 2, 12.1 (kiểm tra chất lượng sản phẩm OCOP sau xếp hạng)' },
    support: { roles: ['industry-trade-dept', 'agriculture-environment-dept'], basis: 'Phụ lục 2, 8.1–8.4 (Sở Công Thương: xúc tiến thương mại)' },
  },
};

/** The grant of a duty in a programme, or null when the programme gives no unit OCOP duties. */
export function dutyOf(programmeId: string, duty: OcopDuty): DutyGrant | null {
  return OCOP_DUTIES[programmeId]?.[duty] ?? null;
}
