import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertMayActFor } from '../access/grants';
import { Principal } from '../access/principal.decorator';
import { Roles } from '../access/auth.guard';
import { parseAsOf } from '../audit/as-of';
import { DomainError } from '../event-sourcing/domain-error';
import { DEFAULT_DUE_SOON_DAYS } from '../programmes/deadline';
import { DEFAULT_PAGE, flag, MAX_PAGE, one, pageOf, paged, wholeNumber } from '../http/query-params';
import { DEADLINE_LISTS, DeadlinesQuery, type DeadlineList, type DeadlinesReport } from './queries/deadlines.query';
import { INDICATOR_VERDICTS, IndicatorsQuery, type IndicatorsReport } from './queries/indicators.query';
import { MetricValuesQuery, type MetricValuesReport } from './queries/metric-values.query';
import { problem } from '../i18n/problem';

/** The largest page a read-model route answers. */

const AS_OF = { name: 'asOf', required: false, description: 'ISO-8601 time (2021-07-15T00:00:00+08:00) or log position; default now. Answered from the read-model rows that held then (not a replay).' };
const OFFSET = { name: 'offset', required: false, description: 'rows to skip; default 0' };
const LIMIT = { name: 'limit', required: false, description: `at most ${MAX_PAGE}; default ${DEFAULT_PAGE}` };
const UNIT = { name: 'unit', required: false, description: 'one unit of the ledger; a submitter must name its own unit' };
const LEDGER = { name: 'ledgerId', example: 'gd-2021' };

/**
 * The ledger's read models over HTTP: metric figures (optionally rolled up the unit hierarchy),
 * indicator verdicts, and who is late. Each as of any moment, filtered and paginated. Readers
 * (regulator, auditor, admin) see the whole ledger; a submitter only its own unit.
 */
@ApiTags('read models')
@Controller('api/ledgers/:ledgerId')
export class ReadModelsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('metrics')
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  @ApiParam(LEDGER)
  @ApiQuery({ name: 'period', required: false, example: '2021-H1', description: 'one reporting period (2021, 2021-H1, 2021-Q3, 2021-07)' })
  @ApiQuery({ name: 'metric', required: false, example: 'benefit.households' })
  @ApiQuery(UNIT)
  @ApiQuery({ name: 'rollup', required: false, enum: ['true', 'false'], description: '`true`: each unit’s figure sums the unit and its descendants (units’ `parent`)' })
  @ApiQuery(AS_OF)
  @ApiQuery(OFFSET)
  @ApiQuery(LIMIT)
  @ApiOkResponse({
    description:
      'Metric figures in force at the moment, one row per (metric, unit, period, dimensions), corrections applied: ' +
      '`{ ledgerId, programmeId, programmeVersion, asOf, position, rollup, total, offset, limit, rows: [{ metric, label, measure, unit, unitName, period, dimensions, value, own, figures, corrections, units, position, recordedAt }] }`.',
  })
  @ApiBadRequestResponse({ description: 'A malformed period, asOf, rollup, offset or limit (the field and why).' })
  @ApiNotFoundResponse({ description: 'Unknown ledger, metric or unit.' })
  async metrics(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @QueryParam('period') period?: unknown,
    @QueryParam('metric') metric?: unknown,
    @QueryParam('unit') unit?: unknown,
    @QueryParam('rollup') rollup?: unknown,
    @QueryParam('asOf') asOf?: unknown,
    @QueryParam('offset') offset?: unknown,
    @QueryParam('limit') limit?: unknown,
  ) {
    const unitId = one(unit, 'unit');
    assertMayActFor(principal, { action: 'read', ledgerId, unitId });
    const page = pageOf(offset, limit);
    const filter = { period: one(period, 'period'), metric: one(metric, 'metric'), unit: unitId, rollup: flag(rollup, 'rollup') };
    const report: MetricValuesReport = await this.queries.execute(new MetricValuesQuery(ledgerId, parseAsOf(one(asOf, 'asOf')), filter));
    const { page: rows, ...counts } = paged(report.rows, page);
    return { ...report, ...counts, rows };
  }

  @Get('indicators')
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  @ApiParam(LEDGER)
  @ApiQuery({ name: 'period', required: true, example: '2021-H1', description: 'the period evaluated (the same-period a year earlier is the baseline of `change` rules)' })
  @ApiQuery({ ...UNIT, description: 'only this unit’s own figures and task pairs; a submitter must name its own unit' })
  @ApiQuery({ name: 'number', required: false, example: '1', description: 'one indicator, by its number as the source writes it' })
  @ApiQuery({ name: 'verdict', required: false, enum: [...INDICATOR_VERDICTS] })
  @ApiQuery(AS_OF)
  @ApiQuery(OFFSET)
  @ApiQuery(LIMIT)
  @ApiOkResponse({
    description:
      'The verdict of each indicator of the programme for the period, computed as the NEA Attachment 2 report computes it, with the deciding figures and units: ' +
      '`{ ledgerId, programmeId, programmeVersion, period, asOf, asOfDate, position, unit, total, offset, limit, rows: [{ number, starred, group, text, standard, exceptions, verdict, basis, provisional, due, figures: [{ label, value, target, unit }], tasks, pairs, completed, units: [{ id, name }] }] }`.',
  })
  @ApiBadRequestResponse({ description: 'No or a malformed period; a malformed verdict, asOf, offset or limit.' })
  @ApiNotFoundResponse({ description: 'Unknown ledger, unit or indicator number.' })
  async indicators(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @QueryParam('period') period?: unknown,
    @QueryParam('unit') unit?: unknown,
    @QueryParam('number') number?: unknown,
    @QueryParam('verdict') verdict?: unknown,
    @QueryParam('asOf') asOf?: unknown,
    @QueryParam('offset') offset?: unknown,
    @QueryParam('limit') limit?: unknown,
  ) {
    const unitId = one(unit, 'unit');
    assertMayActFor(principal, { action: 'read', ledgerId, unitId });
    const periodId = one(period, 'period');
    if (!periodId) throw new DomainError('invalid', [problem('period', 'problem.periodRequired')]);
    const page = pageOf(offset, limit);
    const report: IndicatorsReport = await this.queries.execute(
      new IndicatorsQuery(ledgerId, periodId, parseAsOf(one(asOf, 'asOf')), { unit: unitId, number: one(number, 'number'), verdict: one(verdict, 'verdict') }),
    );
    const { page: rows, ...counts } = paged(report.rows, page);
    return { ...report, ...counts, rows };
  }

  @Get('deadlines')
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  @ApiParam(LEDGER)
  @ApiQuery({ name: 'within', required: false, example: 7, description: 'days ahead that count as due soon (0–366); default 7' })
  @ApiQuery(UNIT)
  @ApiQuery({ name: 'task', required: false, example: '4' })
  @ApiQuery({ name: 'list', required: false, enum: [...DEADLINE_LISTS], description: 'only this list' })
  @ApiQuery(AS_OF)
  @ApiQuery({ ...OFFSET, description: 'units to skip; default 0' })
  @ApiQuery({ ...LIMIT, description: `units per page, at most ${MAX_PAGE}; default ${DEFAULT_PAGE}` })
  @ApiOkResponse({
    description:
      'Per unit, its (task, unit) pairs that are overdue, due soon (within `within` days) or behind (blocked, or an ongoing task not reported this period), each on the most urgent list that applies: ' +
      '`{ ledgerId, programmeId, programmeVersion, asOf, within, totals: { dueSoon, behind, overdue }, total, offset, limit, units: [{ unit, unitName, role, dueSoon: [...], behind: [...], overdue: [{ task, section, responsibility, status, progress, deadline, due, daysLeft, period, lastReportOn }] }] }`.',
  })
  @ApiBadRequestResponse({ description: 'A malformed within, list, asOf, offset or limit.' })
  @ApiNotFoundResponse({ description: 'Unknown ledger, unit or task.' })
  async deadlines(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @QueryParam('within') within?: unknown,
    @QueryParam('unit') unit?: unknown,
    @QueryParam('task') task?: unknown,
    @QueryParam('list') list?: unknown,
    @QueryParam('asOf') asOf?: unknown,
    @QueryParam('offset') offset?: unknown,
    @QueryParam('limit') limit?: unknown,
  ) {
    const unitId = one(unit, 'unit');
    assertMayActFor(principal, { action: 'read', ledgerId, unitId });
    const page = pageOf(offset, limit);
    const days = wholeNumber(within, 'within', DEFAULT_DUE_SOON_DAYS, 366);
    const report: DeadlinesReport = await this.queries.execute(
      new DeadlinesQuery(ledgerId, parseAsOf(one(asOf, 'asOf')), { unit: unitId, task: one(task, 'task'), list: one(list, 'list') as DeadlineList | undefined, within: days }),
    );
    const { page: units, ...counts } = paged(report.units, page);
    return { ...report, ...counts, units };
  }
}
