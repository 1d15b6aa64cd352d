import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { ocopProjection, producerKey, type OcopProductRow, type OcopRatingRow } from '../../../projections/ocop.projection';
import type { AsOf } from '../../../src/audit/as-of';
import { handleCommand } from '../../../src/event-sourcing/handle-command';
import { OCOP_EVENT_TYPES, ocopProductDecider, ocopStream, type OcopSetting } from '../../../src/ocop/ocop-product.decider';
import type { OcopRecord } from '../../../src/ocop/ocop-record-types';
import { standings } from '../../../src/ocop/queries/ocop-figures';
import { readHeldRatings, readOcopRows } from '../../../src/ocop/queries/ocop-read-model';
import { ProjectionRunner } from '../../../src/read-models/projection-runner';
import { openReadModelDb } from '../../../src/read-models/read-model-db';
import { deliveredTwice, loadProgramme, OPERATOR, steppingClock } from '../../support/ledger-log';
import { tempStore } from '../../support/temp-store';

const LEDGER = 'camau-2022';
const CAMAU = loadProgramme('camau-ocop-2022').template;
const UNITS = {
  namCan: { id: 'cm-district-7', name: 'Huyện Năm Căn', role: 'ubnd-cap-huyen' },
  districtCouncil: { id: 'cm-hd-huyen', name: 'Hội đồng cấp huyện', role: 'hoi-dong-cap-huyen' },
  provinceCouncil: { id: 'cm-hd-tinh', name: 'Hội đồng cấp tỉnh', role: 'hoi-dong-cap-tinh' },
  so: { id: 'cm-so-nn', name: 'Sở Nông nghiệp và PTNT', role: 'so-nong-nghiep-ptnt' },
  promotion: { id: 'cm-ttxt', name: 'Trung tâm Xúc tiến', role: 'trung-tam-xuc-tien' },
};
type UnitKey = keyof typeof UNITS;

const product = (id: string, name: string, producer: string) => ({
  id, name, producer, businessType: 'Công ty', category: 'Ngành: Thực phẩm Nhóm: Thực phẩm chế biến Phân nhóm: Chế biến từ thủy, hải sản', district: 'Huyện Năm Căn',
});

describe('ocop projection, fed through the real runner with every event delivered twice', () => {
  const clock = steppingClock('2022-12-01T00:00:00.000Z');
  const fixture = tempStore({ clock });
  const path = join(fixture.directory, 'read.db');
  const at: Record<string, { position: number; id: string }> = {};
  let db: Database.Database;

  const record = async (key: string, unit: UnitKey, body: Record<string, unknown>) => {
    const rec = { ledger: LEDGER, unit: UNITS[unit].id, ...body } as OcopRecord;
    const productId = rec.type === 'ocop-registered' ? rec.product.id : rec.product;
    const setting: OcopSetting = { programme: CAMAU, unit: UNITS[unit], today: '2022-12-20' };
    const result = await handleCommand(fixture.store, ocopStream(LEDGER, productId), ocopProductDecider, { record: rec, setting }, { ...OPERATOR, unit: rec.unit });
    at[key] = { position: result.position, id: result.eventIds[0] };
  };

  beforeAll(async () => {
    await record('A-registered', 'namCan', { type: 'ocop-registered', product: product('nc-tom-kho', 'Tôm khô sinh thái', 'HTX Tài Thịnh Phát FARM'), recognised: { stars: 3, year: 2020 }, on: '2022-02-25' });
    await record('B-registered', 'namCan', { type: 'ocop-registered', product: product('nc-riu-tom', 'Riêu tôm', 'HTX  Tài Thịnh Phát FARM '), on: '2022-02-26' });
    await record('A-assessed', 'districtCouncil', { type: 'ocop-rated', product: 'nc-tom-kho', stars: 4, level: 'district', round: 'Đợt 1/2022', on: '2022-06-20', council: 'Hội đồng cấp huyện' });
    await record('B-assessed', 'districtCouncil', { type: 'ocop-rated', product: 'nc-riu-tom', stars: 3, level: 'district', round: 'Đợt 1/2022', on: '2022-06-20', council: 'Hội đồng cấp huyện' });

    // A first process catches up in small batches, then stops.
    const first = openReadModelDb(path);
    await new ProjectionRunner(deliveredTwice(fixture.store), first, [ocopProjection], { batchSize: 2 }).catchUp();
    first.close();

    await record('A-upgraded', 'provinceCouncil', { type: 'ocop-upgraded', product: 'nc-tom-kho', stars: 4, level: 'province', round: 'Đợt 1/2022', on: '2022-08-25', council: 'Hội đồng cấp tỉnh' });
    await record('B-rated', 'provinceCouncil', { type: 'ocop-rated', product: 'nc-riu-tom', stars: 3, level: 'province', round: 'Đợt 1/2022', on: '2022-08-25', council: 'Hội đồng cấp tỉnh', decision: 'QĐ 2345/QĐ-UBND' });
    await record('B-supported', 'promotion', { type: 'ocop-supported', product: 'nc-riu-tom', on: '2022-10-05', activity: 'Hội chợ OCOP' });
    await record('A-downgraded', 'so', { type: 'ocop-downgraded', product: 'nc-tom-kho', stars: 3, on: '2022-09-15', reason: 'Kiểm tra nhãn mác', decision: 'QĐ 12/QĐ-SNN' });
    await record('A-revoked', 'so', { type: 'ocop-revoked', product: 'nc-tom-kho', on: '2022-10-01', reason: 'Vi phạm ATTP', decision: 'QĐ 34/QĐ-UBND' });

    // A restarted process over the same file, the log still delivered twice.
    db = openReadModelDb(path);
    const runner = new ProjectionRunner(deliveredTwice(fixture.store), db, [ocopProjection], { batchSize: 3 });
    await runner.catchUp();
    await runner.catchUp();
  });

  afterAll(async () => {
    db.close();
    await fixture.dispose();
  });

  const products = () => db.prepare('SELECT * FROM ocop_products_v1 ORDER BY position').all() as OcopProductRow[];
  const ratings = () => db.prepare('SELECT * FROM ocop_ratings_v1 ORDER BY position, event_id').all() as OcopRatingRow[];

  it('reads every OCOP event type', () => {
    expect(ocopProjection.handles).toEqual(OCOP_EVENT_TYPES);
  });

  it('keeps the registry: one row per product with producer, district, category, business type, registered on and at', () => {
    expect(products()).toEqual([
      expect.objectContaining({
        event_id: at['A-registered'].id, ledger_id: LEDGER, product_id: 'nc-tom-kho', unit_id: 'cm-district-7', name: 'Tôm khô sinh thái', producer: 'HTX Tài Thịnh Phát FARM',
        producer_key: 'htx tài thịnh phát farm', business_type: 'Công ty', sector: 'Thực phẩm', group_name: 'Thực phẩm chế biến', subgroup: 'Chế biến từ thủy, hải sản',
        district: 'Huyện Năm Căn', registered_on: '2022-02-25', registration: 'upgrade', recognised_stars: 3, recognised_level: 'province', recognised_year: 2020,
        position: at['A-registered'].position, recorded_at: expect.stringMatching(/^2022-12-01T/), superseded_position: null,
      }),
      expect.objectContaining({ product_id: 'nc-riu-tom', producer: 'HTX Tài Thịnh Phát FARM', producer_key: producerKey('HTX Tài Thịnh Phát FARM'), registration: 'new', recognised_stars: null }),
    ]);
  });

  it('keeps each product’s rating history on two tracks, each row superseded by the next of its track', () => {
    const p = (key: string) => at[key].position;
    expect(ratings().map((r) => [r.product_id, r.track, r.change, r.level, r.stars, r.from_stars, r.certified, r.on_date, r.superseded_position])).toEqual([
      ['nc-tom-kho', 'certificate', 'recognised', 'province', 3, null, 1, '2020-12-31', p('A-upgraded')],
      ['nc-tom-kho', 'assessment', 'assessed', 'district', 4, null, 0, '2022-06-20', null],
      ['nc-riu-tom', 'assessment', 'assessed', 'district', 3, null, 0, '2022-06-20', null],
      ['nc-tom-kho', 'certificate', 'upgraded', 'province', 4, 3, 1, '2022-08-25', p('A-downgraded')],
      ['nc-riu-tom', 'certificate', 'rated', 'province', 3, null, 1, '2022-08-25', null],
      ['nc-tom-kho', 'certificate', 'downgraded', 'province', 3, 4, 1, '2022-09-15', p('A-revoked')],
      ['nc-tom-kho', 'certificate', 'revoked', 'province', 3, 3, 0, '2022-10-01', null],
    ]);
    expect(ratings().find((r) => r.change === 'rated')).toMatchObject({ round: 'Đợt 1/2022', council: 'Hội đồng cấp tỉnh', decision: 'QĐ 2345/QĐ-UBND', unit_id: 'cm-hd-tinh' });
    expect(ratings().find((r) => r.change === 'revoked')).toMatchObject({ reason: 'Vi phạm ATTP', decision: 'QĐ 34/QĐ-UBND', unit_id: 'cm-so-nn' });
    expect(db.prepare('SELECT product_id, on_date, activity FROM ocop_support_v1').all()).toEqual([{ product_id: 'nc-riu-tom', on_date: '2022-10-05', activity: 'Hội chợ OCOP' }]);
  });

  it('answers "as of" any past moment with a query: by log position and by recorded time', () => {
    const certificateOf = (asOf: AsOf, productId: string) =>
      readHeldRatings(db, LEDGER, asOf).filter((r) => r.product_id === productId && r.track === 'certificate').map((r) => [r.change, r.stars, r.certified]);
    expect(certificateOf({ kind: 'position', position: at['A-assessed'].position }, 'nc-tom-kho')).toEqual([['recognised', 3, 1]]);
    expect(certificateOf({ kind: 'position', position: at['A-upgraded'].position }, 'nc-tom-kho')).toEqual([['upgraded', 4, 1]]);
    expect(certificateOf({ kind: 'position', position: at['A-revoked'].position - 1 }, 'nc-tom-kho')).toEqual([['downgraded', 3, 1]]);
    expect(certificateOf({ kind: 'now' }, 'nc-tom-kho')).toEqual([['revoked', 3, 0]]);
    const upgradedAt = ratings().find((r) => r.change === 'upgraded')!.recorded_at;
    const before = new Date(Date.parse(upgradedAt) - 1).toISOString();
    expect(certificateOf({ kind: 'time', at: upgradedAt }, 'nc-tom-kho')).toEqual([['upgraded', 4, 1]]);
    expect(certificateOf({ kind: 'time', at: before }, 'nc-tom-kho')).toEqual([['recognised', 3, 1]]);
    expect(certificateOf({ kind: 'position', position: at['B-assessed'].position }, 'nc-riu-tom')).toEqual([]);
  });

  it('reads the rows known at a moment, from which standings follow', () => {
    const statuses = (asOf: AsOf) => standings(readOcopRows(db, LEDGER, asOf)).map((s) => [s.product.product_id, s.status, s.certificate?.stars ?? null]);
    expect(statuses({ kind: 'position', position: at['B-registered'].position })).toEqual([['nc-tom-kho', 'certified', 3], ['nc-riu-tom', 'registered', null]]);
    expect(statuses({ kind: 'position', position: at['B-assessed'].position })).toEqual([['nc-tom-kho', 'certified', 3], ['nc-riu-tom', 'assessed', null]]);
    expect(statuses({ kind: 'position', position: at['A-downgraded'].position })).toEqual([['nc-tom-kho', 'certified', 3], ['nc-riu-tom', 'certified', 3]]);
    expect(statuses({ kind: 'now' })).toEqual([['nc-tom-kho', 'revoked', null], ['nc-riu-tom', 'certified', 3]]);
    expect(readOcopRows(db, LEDGER, { kind: 'position', position: at['A-registered'].position })).toMatchObject({ products: [{ product_id: 'nc-tom-kho' }], supports: [] });
    expect(readOcopRows(db, 'another-ledger', { kind: 'now' })).toEqual({ products: [], ratings: [], supports: [] });
  });

  it('rebuilds from zero to the same rows, and applying an event again changes nothing', async () => {
    const before = { products: products(), ratings: ratings() };
    const runner = new ProjectionRunner(fixture.store, db, [ocopProjection]);
    await runner.rebuild();
    expect({ products: products(), ratings: ratings() }).toEqual(before);
    // The projection itself is idempotent, even without the runner's checkpoint.
    const tables = { run: (sql: string, ...p: unknown[]) => void db.prepare(sql).run(...p), get: <R>(sql: string, ...p: unknown[]) => db.prepare(sql).get(...p) as R | undefined, all: <R>(sql: string, ...p: unknown[]) => db.prepare(sql).all(...p) as R[] };
    for await (const event of fixture.store.readAll({ after: 0 })) ocopProjection.apply(event, tables);
    expect({ products: products(), ratings: ratings() }).toEqual(before);
  });
});
