import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertMayActFor } from '../access/grants';
import { Principal } from '../access/principal.decorator';
import { Roles } from '../access/auth.guard';
import { parseAsOf } from '../audit/as-of';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { MAX_PAGE, one, pageOf, paged } from '../http/query-params';
import type { OcopStatus } from './queries/ocop-figures';
import {
  OcopCountsQuery,
  OcopDistrictTargetsQuery,
  OcopGoalsQuery,
  OcopProductsQuery,
  type OcopCountsReport,
  type OcopDistrictTargetsReport,
  type OcopGoalsReport,
  type OcopProductsReport,
} from './queries/ocop.queries';

const OCOP_STATUSES: readonly OcopStatus[] = ['registered', 'assessed', 'rated', 'certified', 'revoked'];

const AS_OF = { name: 'asOf', required: false, description: 'ISO-8601 time or log position; default now. Answered from the OCOP rows recorded by then (not a replay).' };
const OFFSET = { name: 'offset', required: false, description: 'rows to skip; default 0' };
const LIMIT = { name: 'limit', required: false, description: `at most ${MAX_PAGE}; default 1000` };
const LEDGER = { name: 'ledgerId', example: 'camau-2022' };
const WHOLE_LEDGER = 'Figures of the whole ledger: for regulators, auditors and admins (a submitter lists its own products under …/ocop/products?unit=).';

function requiredPeriod(value: unknown): string {
  const period = one(value, 'period');
  if (!period) throw new DomainError('invalid', [problem('period', 'problem.requiredExample', { example: '2022, 2022-H1, 2022-Q3, 2022-07, 2022-9M' })]);
  return period;
}

/**
 * The OCOP read models of a ledger over HTTP: counts by stars, level and district; the product
 * registry; the programme's goals; the districts against their allocated targets. Each catches the
 * projections up first, answers as of any moment, and pages its list.
 */
@ApiTags('ocop')
@Controller('api/ledgers/:ledgerId/ocop')
export class OcopController {
  constructor(
    private readonly queries: QueryBus,
  ) {}

  @Get('counts')
  @Roles('regulator', 'auditor', 'admin')
  @ApiParam(LEDGER)
  @ApiQuery({ name: 'period', required: false, example: '2022', description: 'standings on the period’s last day and what changed in it; without: everything known' })
  @ApiQuery(AS_OF)
  @ApiQuery({ ...OFFSET, description: 'districts to skip (counts.byDistrict); default 0' })
  @ApiQuery({ ...LIMIT, description: `districts per page (counts.byDistrict), at most ${MAX_PAGE}; default 1000` })
  @ApiOkResponse({
    description: `Products by status, stars, level and district, and (with a period) what changed in it: \`{ ledgerId, programmeId, programmeVersion, asOf, period, counts: { date, products, byStatus, byStars, byLevel, byDistrict }, changes, total, offset, limit }\`. ${WHOLE_LEDGER}`,
  })
  @ApiBadRequestResponse({ description: 'A malformed period, asOf, offset or limit.' })
  @ApiNotFoundResponse({ description: 'Unknown ledger.' })
  async counts(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @QueryParam('period') period?: unknown,
    @QueryParam('asOf') asOf?: unknown,
    @QueryParam('offset') offset?: unknown,
    @QueryParam('limit') limit?: unknown,
  ) {
    assertMayActFor(principal, { action: 'read', ledgerId });
    const page = pageOf(offset, limit);
    const moment = parseAsOf(one(asOf, 'asOf'));
    const periodId = one(period, 'period');
    const report: OcopCountsReport = await this.queries.execute(new OcopCountsQuery(ledgerId, { period: periodId === '' ? undefined : periodId, asOf: moment }));
    const { page: byDistrict, ...counts } = paged(report.counts.byDistrict, page);
    return { ...report, counts: { ...report.counts, byDistrict }, ...counts };
  }

  @Get('products')
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  @ApiParam(LEDGER)
  @ApiQuery({ name: 'unit', required: false, description: 'products registered by this unit; a submitter must name its own unit' })
  @ApiQuery({ name: 'district', required: false, example: 'Huyện Năm Căn' })
  @ApiQuery({ name: 'status', required: false, enum: [...OCOP_STATUSES] })
  @ApiQuery(AS_OF)
  @ApiQuery(OFFSET)
  @ApiQuery(LIMIT)
  @ApiOkResponse({
    description:
      'The product registry with each product’s standing at the moment: `{ ledgerId, programmeId, programmeVersion, asOf, total, offset, limit, products: [{ productId, name, producer, district, category, businessType, registeredOn, registeredAt, registration, unitId, status, stars, level, assessedStars }] }`.',
  })
  @ApiBadRequestResponse({ description: 'A malformed status, asOf, offset or limit.' })
  @ApiNotFoundResponse({ description: 'Unknown ledger.' })
  async products(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @QueryParam('unit') unit?: unknown,
    @QueryParam('district') district?: unknown,
    @QueryParam('status') status?: unknown,
    @QueryParam('asOf') asOf?: unknown,
    @QueryParam('offset') offset?: unknown,
    @QueryParam('limit') limit?: unknown,
  ) {
    const unitId = one(unit, 'unit');
    assertMayActFor(principal, { action: 'read', ledgerId, unitId });
    const page = pageOf(offset, limit);
    const wanted = one(status, 'status');
    if (wanted !== undefined && !OCOP_STATUSES.includes(wanted as OcopStatus)) throw new DomainError('invalid', [problem('status', 'problem.oneOf', { allowed: OCOP_STATUSES.join(', ') })]);
    const moment = parseAsOf(one(asOf, 'asOf'));
    const report: OcopProductsReport = await this.queries.execute(
      new OcopProductsQuery(ledgerId, moment, { district: one(district, 'district') || undefined, status: wanted as OcopStatus | undefined }),
    );
    const mine = unitId === undefined ? report.products : report.products.filter((p) => p.unitId === unitId);
    const { page: products, ...counts } = paged(mine, page);
    return { ...report, ...counts, products };
  }

  @Get('goals')
  @Roles('regulator', 'auditor', 'admin')
  @ApiParam(LEDGER)
  @ApiQuery({ name: 'period', required: true, example: '2022' })
  @ApiQuery(AS_OF)
  @ApiQuery(OFFSET)
  @ApiQuery(LIMIT)
  @ApiOkResponse({
    description: `The programme’s goals (I. MỤC TIÊU) met or not for the period: \`{ ledgerId, programmeId, programmeVersion, asOf, period, asOfDate, total, offset, limit, goals: [{ id, text, verdict, basis, provisional, due, figures }] }\`. ${WHOLE_LEDGER}`,
  })
  @ApiBadRequestResponse({ description: 'No or a malformed period; a malformed asOf, offset or limit.' })
  @ApiNotFoundResponse({ description: 'Unknown ledger.' })
  async goals(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @QueryParam('period') period?: unknown,
    @QueryParam('asOf') asOf?: unknown,
    @QueryParam('offset') offset?: unknown,
    @QueryParam('limit') limit?: unknown,
  ) {
    assertMayActFor(principal, { action: 'read', ledgerId });
    const page = pageOf(offset, limit);
    const periodId = requiredPeriod(period);
    const moment = parseAsOf(one(asOf, 'asOf'));
    const report: OcopGoalsReport = await this.queries.execute(new OcopGoalsQuery(ledgerId, periodId, moment));
    const { page: goals, ...counts } = paged(report.goals, page);
    return { ...report, ...counts, goals };
  }

  @Get('district-targets')
  @Roles('regulator', 'auditor', 'admin')
  @ApiParam(LEDGER)
  @ApiQuery({ name: 'period', required: true, example: '2022' })
  @ApiQuery(AS_OF)
  @ApiQuery({ ...OFFSET, description: 'districts to skip; default 0' })
  @ApiQuery({ ...LIMIT, description: `districts per page, at most ${MAX_PAGE}; default 1000` })
  @ApiOkResponse({
    description: `Per district, actual against the allocated targets (Cà Mau’s Phụ lục 4); \`targets\` is null when the programme allocates none: \`{ ledgerId, programmeId, programmeVersion, asOf, total, offset, limit, targets: { table, period, rows: [{ district, columns: [{ key, label, allocated, actual, met }] }], unallocated } }\`. ${WHOLE_LEDGER}`,
  })
  @ApiBadRequestResponse({ description: 'No or a malformed period; a malformed asOf, offset or limit.' })
  @ApiNotFoundResponse({ description: 'Unknown ledger.' })
  async districtTargets(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @QueryParam('period') period?: unknown,
    @QueryParam('asOf') asOf?: unknown,
    @QueryParam('offset') offset?: unknown,
    @QueryParam('limit') limit?: unknown,
  ) {
    assertMayActFor(principal, { action: 'read', ledgerId });
    const page = pageOf(offset, limit);
    const periodId = requiredPeriod(period);
    const moment = parseAsOf(one(asOf, 'asOf'));
    const report: OcopDistrictTargetsReport = await this.queries.execute(new OcopDistrictTargetsQuery(ledgerId, periodId, moment));
    if (report.targets === null) return { ...report, total: 0, offset: page.offset, limit: page.limit };
    const { page: rows, ...counts } = paged(report.targets.rows, page);
    return { ...report, ...counts, targets: { ...report.targets, rows } };
  }
}
