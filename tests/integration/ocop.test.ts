/**
 * Cà Mau OCOP 2022 end to end on the embedded store: the programme registered, a ledger opened with
 * the districts of Phụ lục 4 as units (and one unit for each role of the programme), the products of
 * Phụ lục 2 and 3 (templates/samples/camau-ocop-2022.products.yaml) replayed as OCOP records through
 * the real BulkSubmitCommand in the year's batches, then the counts, the district targets and the
 * goal verdicts read through the query bus.
 *
 * The OCOP projection is fed by a runner of its own over the application's read-model database, so
 * the test runs whether or not projections/index.ts lists it yet.
 */
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ocopProjection } from '../../projections/ocop.projection';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/event-sourcing/clock';
import { DomainError } from '../../src/event-sourcing/domain-error';
import { localize } from '../../src/i18n/problem';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import type { RequestContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { BulkSubmitCommand } from '../../src/ledgers/submit/bulk-submit.command';
import { OcopModule } from '../../src/ocop/ocop.module';
import {
  OcopCountsQuery,
  OcopDistrictTargetsQuery,
  OcopGoalsQuery,
  OcopMetricValuesQuery,
  OcopProductsQuery,
} from '../../src/ocop/queries/ocop.queries';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import type { ProgrammeTemplate } from '../../src/programmes/template';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { READ_MODEL_DB } from '../../src/read-models/tokens';
import { camauOcopSeason, type SeasonLine } from '../../src/demo/camau-ocop-season';

const ROOT = join(__dirname, '..', '..');
const LEDGER = 'camau-2022';
const OPERATOR: RequestContext = { actor: 'cli:tester', role: 'admin', correlationId: '00000000-0000-4000-8000-0000000000cc' };

const template = parse(readFileSync(join(ROOT, 'templates/programmes/camau-ocop-2022.yaml'), 'utf8')) as ProgrammeTemplate;
const unitOfDistrict = (district: string, districts: string[]) => `cm-d${districts.indexOf(district) + 1}`;
const role = (id: string) => `cm-${id}`;
const season = camauOcopSeason({ ledgerId: LEDGER, idScope: 'ocop-it', districtUnit: unitOfDistrict, roleUnit: role });
const { districts, news, ups, round1, round2, districtStars, provinceStars, toProvince, assessedUps, revokedUp, registrations, june, augustToSeptember, certifiedInAugust, supportedProducts, octoberToNovember, line, council } = season;
type Line = SeasonLine;

const ndjson = (lines: Line[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

/** Expected figures, counted from the plan. */
const newlyCertified = [...toProvince(round1), ...toProvince(round2)].filter((n) => provinceStars(n.i) >= 3);
const producerKey = (p: string) => p.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');
const organisations = new Set([...news.map((n) => producerKey(n.producer)), ...ups.map((u) => producerKey(u.producer))]).size;

describe('Cà Mau OCOP 2022 through the bulk submit command', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-ocop-'));
  const clock = new FixedClock(new Date('2022-04-30T03:00:00Z'));
  const positions: Record<string, number> = {};
  let app: INestApplicationContext;
  let commands: CommandBus;
  let queries: QueryBus;
  let runner: ProjectionRunner;

  const submit = async (name: string, lines: Line[], now: string) => {
    clock.set(now);
    const result = await commands.execute(new BulkSubmitCommand(ndjson(lines), `${name}.ndjson`, OPERATOR));
    positions[name] = result.position;
    await runner.catchUp();
    return result;
  };

  beforeAll(async () => {
    const config = { ...loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: false }, {}), clock };
    @Module({ imports: [AppModule.forRoot(config), OcopModule] })
    class OcopTestModule {}
    app = await NestFactory.createApplicationContext(OcopTestModule, { logger: false });
    commands = app.get(CommandBus);
    queries = app.get(QueryBus);
    runner = new ProjectionRunner(app.get<EventStore>(EVENT_STORE), app.get<Database.Database>(READ_MODEL_DB), [ocopProjection]);

    clock.set('2022-02-01T03:00:00Z');
    await commands.execute(new RegisterProgrammeCommand(readFileSync(join(ROOT, 'templates/programmes/camau-ocop-2022.yaml'), 'utf8'), 'camau-ocop-2022.yaml', OPERATOR));
    const csv = [
      'id,name,role,parent',
      ...template.roles.map((r) => `${role(r.id)},"${r.name}",${r.id},`),
      ...districts.map((d, i) => `cm-d${i + 1},"${d}",ubnd-cap-huyen,${role('ubnd-cap-huyen')}`),
    ].join('\n');
    await commands.execute(new OpenLedgerCommand(LEDGER, 'camau-ocop-2022', 'Tỉnh Cà Mau', csv, 'units.csv', OPERATOR));
  });

  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('replays the registrations of Phụ lục 2 and 3, each district registering its own products', async () => {
    const result = await submit('registrations', registrations, '2022-04-30T03:00:00Z');
    expect(result).toMatchObject({ lines: 76, appended: 76, duplicates: 0, streams: 76 });
    expect(news).toHaveLength(54);
    const { counts } = await queries.execute(new OcopCountsQuery(LEDGER));
    expect(counts).toMatchObject({ products: 76, byStatus: { registered: 54, certified: 22 }, byStars: { '3': 22 } });
    const namCan = counts.byDistrict.find((d) => d.district === 'Huyện Năm Căn');
    expect(namCan).toMatchObject({ registeredNew: news.filter((n) => n.district === 'Huyện Năm Căn').length, registeredUpgrade: 6, certified: 6 });
  });

  it('the same file again appends nothing', async () => {
    expect(await submit('registrations-again', registrations, '2022-04-30T04:00:00Z')).toMatchObject({ lines: 76, appended: 0, duplicates: 76 });
  });

  it('a file with one line against the rules is refused whole, naming the line and field; nothing appended', async () => {
    const before = await app.get<EventStore>(EVENT_STORE).headPosition();
    clock.set('2022-05-02T03:00:00Z');
    const bad = [
      line('x/rated', 'ocop-rated', role('hoi-dong-cap-huyen'), { product: 'n01', stars: 3, level: 'district', round: 'Đợt 0', on: '2022-05-01', council: council('district') }),
      line('x/upgraded', 'ocop-upgraded', role('hoi-dong-cap-tinh'), { product: 'n02', stars: 4, level: 'province', round: 'Đợt 0', on: '2022-05-01', council: council('province') }),
      line('x/registered', 'ocop-registered', 'cm-d2', { product: { ...(registrations[0].product as Line), id: 'n99' }, on: '2022-05-01' }),
    ];
    const error = await commands.execute(new BulkSubmitCommand(ndjson(bad), 'bad.ndjson', OPERATOR)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(localize((error as DomainError).problems, 'en')).toEqual([
      { field: 'bad.ndjson:2 product', reason: expect.stringMatching(/an upgrade needs a current OCOP certificate; product "n02": it holds no certificate yet/) },
      { field: 'bad.ndjson:3 product.district', reason: expect.stringMatching(/unit "cm-d2" \(Huyện Cái Nước\) registers the products of its own district, not of Thành phố Cà Mau/) },
    ]);
    expect(localize((error as DomainError).problems, 'vi').map((p) => p.reason)).toEqual([
      'việc nâng hạng cần giấy chứng nhận OCOP còn hiệu lực; sản phẩm "n02": chưa có giấy chứng nhận (đánh giá cấp huyện không cấp giấy chứng nhận)',
      'đơn vị "cm-d2" (Huyện Cái Nước) chỉ đăng ký sản phẩm của huyện mình, không đăng ký sản phẩm của Thành phố Cà Mau',
    ]);
    expect(await app.get<EventStore>(EVENT_STORE).headPosition()).toBe(before);
  });

  it('replays the year: district and province rounds, upgrades, a revocation, trade promotion', async () => {
    await submit('june', june, '2022-06-30T03:00:00Z');
    await submit('august-september', augustToSeptember, '2022-09-30T03:00:00Z');
    await submit('october-november', octoberToNovember, '2022-12-20T03:00:00Z');
    const report = await queries.execute(new OcopCountsQuery(LEDGER, { period: '2022' }));
    expect(report.changes).toMatchObject({
      registered: { new: 54, upgrade: 22 },
      assessed: news.length + assessedUps.length,
      rated: toProvince(round1).length + toProvince(round2).length,
      new: newlyCertified.length,
      upgraded: 6,
      downgraded: 0,
      revoked: 1,
      supported: supportedProducts.length,
    });
    expect(report.counts.byStatus).toEqual({
      registered: 0,
      assessed: news.length - toProvince(round1).length - toProvince(round2).length,
      rated: toProvince(round1).length + toProvince(round2).length - newlyCertified.length,
      certified: newlyCertified.length + 21,
      revoked: 1,
    });
    expect(report.counts.byStars).toMatchObject({
      '3': newlyCertified.filter((n) => provinceStars(n.i) === 3).length + 21 - 6,
      '4': newlyCertified.filter((n) => provinceStars(n.i) === 4).length + 6,
      '5': 0,
    });
    // The numbers the plan gives, worked out by hand once: 54 new products, 6 left at 2 stars by the district and 48 sent to
    // the province, which leaves 7 at 2 stars: 41 newly certified (31 at 3 stars, 10 at 4); 33 producers of new products
    // and 13 of upgraded ones, 2 in both: 44 organisations.
    expect([newlyCertified.length, report.counts.byStars['3'], report.counts.byStars['4'], organisations]).toEqual([41, 46, 16, 44]);
  });

  it('evaluates the goals of I. MỤC TIÊU from the ledger', async () => {
    const { goals } = await queries.execute(new OcopGoalsQuery(LEDGER, '2022'));
    const verdicts = Object.fromEntries(goals.map((g) => [g.id, [g.verdict, g.figures[0]?.value ?? null]]));
    expect(verdicts).toEqual({
      'new-products': ['met', 54], // ≥ 40 products developed
      'newly-rated-3-4-stars': ['met', 41], // ≥ 30 newly recognised at 3 or 4 stars
      'upgraded-3-to-4-stars': ['met', 6], // ≥ 3 upgraded from 3 to 4 stars
      'economic-organisations': ['met', organisations], // "ít nhất 28 - 30 tổ chức": at least 28, so 44 is met
      'display-points': ['no-data', null], // qualitative: a manual verdict
      'supported-products': ['not-met', supportedProducts.length], // 77 wanted
    });
    const { values } = await queries.execute(new OcopMetricValuesQuery(LEDGER, '2022'));
    expect(values.find((v) => v.metric === 'ocop.upgraded' && v.dimensions.from === '3' && v.dimensions.to === '4')?.value).toBe(6);
    expect(values.filter((v) => v.metric === 'ocop.revoked')).toEqual([{ metric: 'ocop.revoked', period: '2022', dimensions: {}, value: 1, unit: 'sản phẩm' }]);
  });

  it('as of a past moment: the goals and counts as the ledger knew them', async () => {
    const asOf = { kind: 'position', position: positions['june'] } as const;
    const { goals } = await queries.execute(new OcopGoalsQuery(LEDGER, '2022', asOf));
    expect(goals.find((g) => g.id === 'newly-rated-3-4-stars')).toMatchObject({ verdict: 'not-met', figures: [{ value: 0 }] });
    const { counts } = await queries.execute(new OcopCountsQuery(LEDGER, { asOf }));
    expect(counts.byStatus).toMatchObject({ assessed: 30, certified: 22, revoked: 0 });
    const byTime = await queries.execute(new OcopCountsQuery(LEDGER, { asOf: { kind: 'time', at: '2022-09-30T03:00:00.000Z' } }));
    expect(byTime.counts.byStatus.revoked).toBe(1);
    expect(byTime.counts.byStatus.certified).toBe(certifiedInAugust.length + 21);
  });

  it('per district, actual against the allocated targets of Phụ lục 4', async () => {
    const { targets } = await queries.execute(new OcopDistrictTargetsQuery(LEDGER, '2022'));
    expect(targets!.rows.map((r) => r.district)).toEqual(districts);
    const column = (district: string, key: string) => targets!.rows.find((r) => r.district === district)!.columns.find((c) => c.key === key)!;
    for (const district of districts) {
      const mine = news.filter((n) => n.district === district);
      expect({ district, actual: column(district, 'registeredNew').actual }).toEqual({ district, actual: mine.length });
      expect({ district, actual: column(district, 'targetNew').actual }).toEqual({ district, actual: mine.filter((n) => districtStars(n.i) >= 3).length });
      expect({ district, actual: column(district, 'targetUpgrade').actual }).toEqual({ district, actual: assessedUps.filter((u) => u.district === district).length });
    }
    // Thành phố Cà Mau registered all 15 of its candidates, against 15 allocated.
    expect(column('Thành phố Cà Mau', 'registeredNew')).toMatchObject({ allocated: 15, actual: 15, met: true });
    expect(column('Huyện Đầm Dơi', 'registeredNew')).toMatchObject({ allocated: 6, actual: 3, met: false });
    expect(targets!.unallocated).toEqual([]);
  });

  it('lists the registry with each product’s standing', async () => {
    const { products } = await queries.execute(new OcopProductsQuery(LEDGER, { kind: 'now' }, { district: 'Huyện Đầm Dơi' }));
    expect(products.find((p) => p.productId === revokedUp.id)).toMatchObject({ name: 'Tôm khô', producer: 'Hộ kinh doanh Ngọc Giàu', status: 'revoked', stars: null, registration: 'upgrade' });
    expect(products.every((p) => p.district === 'Huyện Đầm Dơi')).toBe(true);
    const certified = await queries.execute(new OcopProductsQuery(LEDGER, { kind: 'now' }, { status: 'certified' }));
    expect(certified.products).toHaveLength(newlyCertified.length + 21);
  });
});
