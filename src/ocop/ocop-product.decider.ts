/**
 * One OCOP product of one ledger: its registration, its ratings, and what inspections did to its
 * certificate. The product is the consistency boundary: one stream per (ledger, product).
 *
 * Levels and certificates (Quyết định 1048/QĐ-TTg's cycle as the Cà Mau and An Giang plans apply it):
 * - a district council's result (level `district`) is a preliminary assessment: it is recorded and
 *   counted by level, but awards nothing and never changes the product's certificate;
 * - a province council's result of 3 or 4 stars awards the certificate ("trao Giấy Chứng nhận sản
 *   phẩm đạt từ 03 sao trở lên"); a result below 3 stars is recorded but awards none;
 * - 5 stars are awarded only by the national council, to a product holding a 4-star certificate
 *   ("sản phẩm OCOP 4 sao đủ điều kiện tham gia đánh giá, phân hạng sản phẩm cấp quốc gia"), so a
 *   national result is always an upgrade from 4 to 5 stars, and 5 stars are always national.
 *
 * Rules (each refusal is a DomainError naming its field):
 * - registering a product twice is a conflict (`product.id`); every other record needs a registered
 *   product (not-found, `product`);
 * - only units whose role the programme gives the duty may record it (forbidden, `unit`): see
 *   ocop-duties.ts; a unit that is itself one of the programme's districts registers only its own
 *   district's products (forbidden, `product.district`);
 * - `on` is a real date, not in the future (today in the programme's zone), and not before the
 *   product's latest fact (registration, rating, upgrade, downgrade, revocation) (invalid, `on`);
 * - `ocop-rated`: level district or province, 1–4 stars; at province level the product must hold no
 *   certificate (conflict, `product`: a certified product changes by ocop-upgraded / ocop-downgraded /
 *   ocop-revoked); a district assessment is accepted for any product (e.g. before an upgrade);
 * - `ocop-upgraded`: needs a current certificate (conflict, `product`) and more stars (invalid,
 *   `stars`); level province (4 stars) or national (5 stars, from a 4-star certificate);
 * - `ocop-downgraded`: needs a current certificate, fewer stars, and at least 3 (below 3 the
 *   certificate is lost: that is a revocation); a reason and the decision;
 * - `ocop-revoked`: needs a current certificate; a reason and the decision. After it nothing but a
 *   new rating (ocop-rated, a new evaluation from the start, dated after the revocation) is accepted;
 * - `ocop-supported`: the product holds a certificate ("sản phẩm OCOP được tỉnh công nhận").
 */
import type { Decider, DomainEvent } from '../event-sourcing/decider';
import { DomainError } from '../event-sourcing/domain-error';
import { streamName } from '../event-sourcing/stream-name';
import { problem } from '../i18n/problem';
import type { MessageParams, MessageRef } from '../i18n/translate';
import { isLocalDate } from '../programmes/local-time';
import type { LocalDate, ProgrammeTemplate } from '../programmes/template';
import { clean, parseCategory } from './ocop-classification';
import { dutyOf, type OcopDuty } from './ocop-duties';
import type { OcopLevel, OcopRecord } from './ocop-record-types';

type Ids = { ledgerId: string; unitId: string; productId: string };
/** The level of a certificate: only province and national councils award one. */
export type CertificateLevel = Exclude<OcopLevel, 'district'>;

export type OcopProductRegistered = DomainEvent<
  'OcopProductRegistered',
  Ids & {
    name: string;
    producer: string;
    address: string | null;
    representative: string | null;
    businessType: string;
    /** As written (NFC, single spaces). */
    category: string;
    sector: string;
    group: string;
    subgroup: string | null;
    district: string;
    on: LocalDate;
    /** The certificate it already holds (registered for upgrading), or null (a new product). */
    recognised: { stars: number; level: CertificateLevel; year: number } | null;
  }
>;
export type OcopProductRated = DomainEvent<
  'OcopProductRated',
  Ids & { stars: number; level: OcopLevel; round: string; council: string; on: LocalDate; decision: string | null; certified: boolean }
>;
export type OcopProductUpgraded = DomainEvent<
  'OcopProductUpgraded',
  Ids & { fromStars: number; fromLevel: CertificateLevel; stars: number; level: CertificateLevel; round: string; council: string; on: LocalDate; decision: string | null }
>;
export type OcopProductDowngraded = DomainEvent<
  'OcopProductDowngraded',
  Ids & { fromStars: number; fromLevel: CertificateLevel; stars: number; level: CertificateLevel; on: LocalDate; reason: string; decision: string }
>;
export type OcopCertificateRevoked = DomainEvent<
  'OcopCertificateRevoked',
  Ids & { stars: number; level: CertificateLevel; on: LocalDate; reason: string; decision: string }
>;
export type OcopProductSupported = DomainEvent<'OcopProductSupported', Ids & { on: LocalDate; activity: string }>;

export type OcopProductEvent =
  | OcopProductRegistered
  | OcopProductRated
  | OcopProductUpgraded
  | OcopProductDowngraded
  | OcopCertificateRevoked
  | OcopProductSupported;

export const OCOP_EVENT_TYPES: readonly OcopProductEvent['type'][] = [
  'OcopProductRegistered',
  'OcopProductRated',
  'OcopProductUpgraded',
  'OcopProductDowngraded',
  'OcopCertificateRevoked',
  'OcopProductSupported',
];

/** What the handler tells the decider of the world: the programme in force, the submitting unit, today in the programme's zone. */
export interface OcopSetting {
  programme: ProgrammeTemplate;
  unit: { id: string; name: string; role: string };
  today: LocalDate;
}

export type OcopCommand = { record: OcopRecord; setting: OcopSetting };

export interface OcopProductState {
  registered: { on: LocalDate; district: string } | null;
  /** The latest province or national result, while it stands (null after a revocation). */
  rating: { stars: number; level: CertificateLevel; on: LocalDate | null; certified: boolean } | null;
  revoked: { on: LocalDate; decision: string } | null;
  /** The date of the product's latest fact; support activities do not move it. */
  lastOn: LocalDate | null;
}

export const ocopStream = (ledgerId: string, productId: string) => streamName('ocop', ledgerId, productId);

const CERTIFICATE_FROM = 3;
const certified = (stars: number, level: OcopLevel) => level !== 'district' && stars >= CERTIFICATE_FROM;

export const ocopProductDecider: Decider<OcopCommand, OcopProductEvent, OcopProductState> = {
  initialState: () => ({ registered: null, rating: null, revoked: null, lastOn: null }),

  evolve(state, event) {
    switch (event.type) {
      case 'OcopProductRegistered': {
        const { on, district, recognised } = event.data;
        return {
          registered: { on, district },
          rating: recognised ? { stars: recognised.stars, level: recognised.level, on: null, certified: true } : null,
          revoked: null,
          lastOn: on,
        };
      }
      case 'OcopProductRated': {
        const { level, stars, on, certified } = event.data;
        if (level === 'district') return { ...state, lastOn: on };
        return { ...state, rating: { stars, level, on, certified }, revoked: null, lastOn: on };
      }
      case 'OcopProductUpgraded':
      case 'OcopProductDowngraded': {
        const { stars, level, on } = event.data;
        return { ...state, rating: { stars, level, on, certified: true }, lastOn: on };
      }
      case 'OcopCertificateRevoked':
        return { ...state, rating: null, revoked: { on: event.data.on, decision: event.data.decision }, lastOn: event.data.on };
      case 'OcopProductSupported':
        return state;
    }
  },

  decide({ record, setting }, state) {
    const ids = { ledgerId: record.ledger, unitId: record.unit, productId: record.type === 'ocop-registered' ? record.product.id : record.product };
    if (record.type === 'ocop-registered') {
      requireDuty(setting, 'register');
      if (state.registered) {
        throw new DomainError('conflict', [problem('product.id', 'problem.ocopAlreadyRegistered', { product: ids.productId, ledger: record.ledger, on: state.registered.on, district: state.registered.district })]);
      }
      checkDate(record.on, setting);
      return [{ type: 'OcopProductRegistered', data: { ...ids, ...registration(record, setting) } }];
    }

    if (!state.registered) throw new DomainError('not-found', [problem('product', 'problem.ocopNotRegistered', { product: ids.productId, ledger: record.ledger })]);

    switch (record.type) {
      case 'ocop-rated': {
        if (record.level === 'national') {
          throw invalid('level', 'problem.ocopRatedNational');
        }
        requireDuty(setting, record.level === 'district' ? 'rate-district' : 'rate-province');
        checkDate(record.on, setting);
        if (record.stars === 5) throw invalid('stars', 'problem.ocopFiveStarsByNational');
        if (record.level === 'province' && state.rating?.certified) {
          throw new DomainError('conflict', [problem('product', 'problem.ocopHoldsCertificate', { product: ids.productId, certificate: certificateText(state.rating) })]);
        }
        if (state.revoked && record.on <= state.revoked.on) {
          throw invalid('on', 'problem.ocopRatingAfterRevocation', { on: state.revoked.on, decision: state.revoked.decision });
        }
        checkOrder(record.on, state);
        return [{
          type: 'OcopProductRated',
          data: { ...ids, stars: record.stars, level: record.level, round: clean(record.round), council: clean(record.council), on: record.on, decision: opt(record.decision), certified: certified(record.stars, record.level) },
        }];
      }
      case 'ocop-upgraded': {
        if (record.level === 'district') {
          throw invalid('level', 'problem.ocopUpgradeDistrict');
        }
        requireDuty(setting, record.level === 'national' ? 'rate-national' : 'rate-province');
        checkDate(record.on, setting);
        if ((record.stars === 5) !== (record.level === 'national')) {
          throw record.stars === 5 ? invalid('level', 'problem.ocopFiveStarsAtNational') : invalid('level', 'problem.ocopNationalOnlyFive', { stars: record.stars });
        }
        const current = requireCertificate(state, ids.productId, { key: 'phrase.ocopUpgrade' });
        if (record.stars <= current.stars) throw invalid('stars', 'problem.ocopUpgradeNotMore', { stars: current.stars });
        if (record.level === 'national' && current.stars !== 4) {
          throw invalid('stars', 'problem.ocopNationalNeedsFour', { product: ids.productId, stars: current.stars });
        }
        checkOrder(record.on, state);
        return [{
          type: 'OcopProductUpgraded',
          data: {
            ...ids, fromStars: current.stars, fromLevel: current.level, stars: record.stars, level: record.level,
            round: clean(record.round), council: clean(record.council), on: record.on, decision: opt(record.decision),
          },
        }];
      }
      case 'ocop-downgraded': {
        requireDuty(setting, 'inspect');
        checkDate(record.on, setting);
        const current = requireCertificate(state, ids.productId, { key: 'phrase.ocopDowngrade' });
        if (record.stars >= current.stars) throw invalid('stars', 'problem.ocopDowngradeNotFewer', { stars: current.stars });
        if (record.stars < CERTIFICATE_FROM) {
          throw invalid('stars', 'problem.ocopBelowCertificate', { stars: CERTIFICATE_FROM });
        }
        checkOrder(record.on, state);
        return [{
          type: 'OcopProductDowngraded',
          data: { ...ids, fromStars: current.stars, fromLevel: current.level, stars: record.stars, level: 'province', on: record.on, reason: clean(record.reason), decision: clean(record.decision) },
        }];
      }
      case 'ocop-revoked': {
        requireDuty(setting, 'inspect');
        checkDate(record.on, setting);
        const current = requireCertificate(state, ids.productId, { key: 'phrase.ocopRevocation' });
        checkOrder(record.on, state);
        return [{
          type: 'OcopCertificateRevoked',
          data: { ...ids, stars: current.stars, level: current.level, on: record.on, reason: clean(record.reason), decision: clean(record.decision) },
        }];
      }
      case 'ocop-supported': {
        requireDuty(setting, 'support');
        checkDate(record.on, setting);
        const current = requireCertificate(state, ids.productId, { key: 'phrase.ocopSupport' });
        if (current.on !== null && record.on < current.on) {
          throw invalid('on', 'problem.ocopSupportBeforeCertificate', { product: ids.productId, on: current.on });
        }
        return [{ type: 'OcopProductSupported', data: { ...ids, on: record.on, activity: clean(record.activity) } }];
      }
    }
  },
};

function registration(record: Extract<OcopRecord, { type: 'ocop-registered' }>, setting: OcopSetting): Omit<OcopProductRegistered['data'], keyof Ids> {
  const p = record.product;
  const parsed = parseCategory(p.category);
  if (!parsed.ok) throw invalid('product.category', parsed.message.key, parsed.message.params);
  const district = clean(p.district);
  const districts = (setting.programme.allocations?.['district-targets']?.rows ?? []).map((row) => clean(row.unit));
  if (districts.length > 0 && !districts.includes(district)) {
    throw invalid('product.district', 'problem.ocopUnknownDistrict', { district, programme: setting.programme.id, districts: districts.join(', ') });
  }
  const unitName = clean(setting.unit.name);
  if (districts.includes(unitName) && unitName !== district) {
    throw new DomainError('forbidden', [problem('product.district', 'problem.ocopOwnDistrict', { unit: setting.unit.id, name: unitName, district })]);
  }
  let recognised: OcopProductRegistered['data']['recognised'] = null;
  if (record.recognised) {
    const { stars, year } = record.recognised;
    if (stars < CERTIFICATE_FROM) throw invalid('recognised.stars', 'problem.ocopRecognisedStars', { stars: CERTIFICATE_FROM });
    if (year > Number(record.on.slice(0, 4))) throw invalid('recognised.year', 'problem.ocopRecognisedYear', { year, on: record.on });
    recognised = { stars, level: stars === 5 ? 'national' : 'province', year };
  }
  return {
    name: clean(p.name),
    producer: clean(p.producer),
    address: opt(p.address),
    representative: opt(p.representative),
    businessType: clean(p.businessType),
    category: clean(p.category),
    sector: parsed.category.sector,
    group: parsed.category.group,
    subgroup: parsed.category.subgroup,
    district,
    on: record.on,
    recognised,
  };
}

const opt = (text: string | undefined): string | null => (text === undefined ? null : clean(text));

const invalid = (field: string, key: string, params: MessageParams = {}) => new DomainError('invalid', [problem(field, key, params)]);

const levelText = (level: OcopLevel): MessageRef => ({ key: `phrase.ocopLevel.${level}` });

const certificateText = (rating: { stars: number; level: OcopLevel; on: string | null }): MessageRef =>
  rating.on
    ? { key: 'phrase.ocopCertificateSince', params: { stars: rating.stars, level: levelText(rating.level), on: rating.on } }
    : { key: 'phrase.ocopCertificate', params: { stars: rating.stars, level: levelText(rating.level) } };

function requireDuty(setting: OcopSetting, duty: OcopDuty): void {
  const grant = dutyOf(setting.programme.id, duty);
  if (!grant) throw new DomainError('forbidden', [problem('type', 'problem.ocopNoDuties', { programme: setting.programme.id })]);
  if (!grant.roles.includes(setting.unit.role)) {
    const holders: MessageRef = grant.roles.length > 0 ? { key: 'phrase.ocopHolders', params: { roles: grant.roles.join(', '), basis: grant.basis } } : { key: 'phrase.ocopNoHolder', params: { basis: grant.basis } };
    throw new DomainError('forbidden', [
      problem('unit', 'problem.ocopDutyRefused', { unit: setting.unit.id, role: setting.unit.role, duty: { key: `phrase.ocopDuty.${duty}` }, programme: setting.programme.id, holders }),
    ]);
  }
}

function checkDate(on: string, setting: OcopSetting): void {
  if (!isLocalDate(on)) throw invalid('on', 'problem.notRealDate', { value: `"${on}"` });
  if (on > setting.today) throw invalid('on', 'problem.dateInFuture', { value: on, today: setting.today, zone: setting.programme.timeZone });
}

function checkOrder(on: string, state: OcopProductState): void {
  if (state.lastOn !== null && on < state.lastOn) throw invalid('on', 'problem.ocopDateOrder', { on, last: state.lastOn });
}

function requireCertificate(state: OcopProductState, productId: string, what: MessageRef): NonNullable<OcopProductState['rating']> {
  const rating = state.rating;
  if (rating?.certified) return rating;
  const why: MessageRef = state.revoked
    ? { key: 'phrase.ocopWasRevoked', params: { on: state.revoked.on, decision: state.revoked.decision } }
    : rating
      ? { key: 'phrase.ocopBelowNeeded', params: { level: levelText(rating.level), stars: rating.stars, needed: CERTIFICATE_FROM } }
      : { key: 'phrase.ocopNoCertificate' };
  throw new DomainError('conflict', [problem('product', 'problem.ocopNeedsCertificate', { what, product: productId, why })]);
}
