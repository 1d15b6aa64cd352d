import { Controller, Get, Param, Query as QueryParam, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../access/auth.guard';
import { assertMayActFor } from '../access/grants';
import { Principal } from '../access/principal.decorator';
import { parseAsOf } from '../audit/as-of';
import { DomainError } from '../event-sourcing/domain-error';
import { pageOf, wholeNumber } from '../http/query-params';
import { HistoryQuery } from '../ledgers/queries/history.query';
import { problem } from '../i18n/problem';
import type { GeneratedReport } from './generate/generate-report.query';
import { HistoryReportQuery } from './history-report.query';

/** A ledger's history, as JSON pages or as one xlsx / PDF file (rendered here, beside the other report files, so ledgers need not import reports). */
@ApiTags('ledgers')
@Controller('api/ledgers/:ledgerId')
export class HistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get('history')
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  @ApiQuery({ name: 'unit', required: false })
  @ApiQuery({ name: 'task', required: false })
  @ApiQuery({ name: 'metric', required: false })
  @ApiQuery({ name: 'product', required: false, description: 'an OCOP product id' })
  @ApiQuery({ name: 'after', required: false, description: 'log position: the page starts after it (from `next`)' })
  @ApiQuery({ name: 'limit', required: false, description: 'at most 10000; default 1000' })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'xlsx', 'pdf'], description: 'xlsx or pdf: the whole (filtered) history as a file' })
  @ApiOkResponse({ description: 'The ledger’s events in log order, with actor, role and recorded time; corrections with what they replaced.' })
  async history(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
    @QueryParam('unit') unit?: string,
    @QueryParam('task') task?: string,
    @QueryParam('metric') metric?: string,
    @QueryParam('product') product?: string,
    @QueryParam('after') after?: string,
    @QueryParam('limit') limit?: string,
    @QueryParam('asOf') asOf?: string,
    @QueryParam('format') format?: string,
  ) {
    assertMayActFor(principal, { action: 'read', ledgerId, unitId: unit });
    const moment = parseAsOf(asOf);
    const filter = { unit, task, metric, product };
    if (format === undefined || format === 'json') {
      return this.queries.execute(new HistoryQuery(ledgerId, { ...filter, after: wholeNumber(after, 'after', 0, Number.MAX_SAFE_INTEGER), limit: pageOf(undefined, limit).limit, asOf: moment }));
    }
    if (format !== 'xlsx' && format !== 'pdf') throw new DomainError('invalid', [problem('format', 'problem.notOneOf', { value: JSON.stringify(format), allowed: 'json, xlsx, pdf' })]);
    const file: GeneratedReport = await this.queries.execute(new HistoryReportQuery(ledgerId, filter, format, moment));
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return new StreamableFile(file.bytes);
  }
}
