import { Controller, Get, Param, Query as QueryParam, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { assertMayActFor } from '../access/grants';
import { Principal } from '../access/principal.decorator';
import { Roles } from '../access/auth.guard';
import { parseAsOf } from '../audit/as-of';
import { DomainError } from '../event-sourcing/domain-error';
import { GenerateReportQuery, type GeneratedReport } from './generate/generate-report.query';
import { ListReportsQuery } from './list-reports.query';
import { problem } from '../i18n/problem';

@ApiTags('reports')
@Controller('api/ledgers/:ledgerId/reports')
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('regulator', 'auditor', 'admin')
  @ApiOkResponse({ description: 'The reports recorded on the ledger’s calendar, with the digests of their files.' })
  list(@Param('ledgerId') ledgerId: string, @Principal() principal: Principal) {
    assertMayActFor(principal, { action: 'read', ledgerId });
    return this.queries.execute(new ListReportsQuery(ledgerId));
  }

  @Get(':reportId')
  @Roles('regulator', 'auditor', 'admin')
  @ApiQuery({ name: 'period', required: true, example: '2021-H1' })
  @ApiQuery({ name: 'format', required: true, enum: ['xlsx', 'pdf'] })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position; default now' })
  @ApiProduces('application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The file, with X-Report-Digest: sha256:<hex> and X-Ledger-Position: <n>.' })
  @ApiNotFoundResponse({ description: 'Unknown ledger, or a report the programme does not owe.' })
  async download(
    @Param('ledgerId') ledgerId: string,
    @Param('reportId') reportId: string,
    @Principal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
    @QueryParam('period') period?: string,
    @QueryParam('format') format?: string,
    @QueryParam('asOf') asOf?: string,
  ): Promise<StreamableFile> {
    assertMayActFor(principal, { action: 'read', ledgerId });
    if (!period) throw new DomainError('invalid', [problem('period', 'problem.periodRequired')]);
    if (!format) throw new DomainError('invalid', [problem('format', 'problem.formatRequired')]);
    const report: GeneratedReport = await this.queries.execute(new GenerateReportQuery(ledgerId, reportId, period, format, parseAsOf(asOf)));
    response.setHeader('X-Report-Digest', `sha256:${report.digest}`);
    response.setHeader('X-Ledger-Position', String(report.position));
    response.setHeader('X-Log-Digest', `sha256:${report.logDigest}`);
    return new StreamableFile(report.bytes, { type: report.contentType, disposition: `attachment; filename="${report.fileName}"`, length: report.bytes.length });
  }
}
