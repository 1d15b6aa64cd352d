import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query as QueryParam, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { assertMayActFor } from '../access/grants';
import { CallerContext, Principal } from '../access/principal.decorator';
import { Roles } from '../access/auth.guard';
import { parseAsOf } from '../audit/as-of';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { pageOf, paged } from '../http/query-params';
import type { RequestContext } from '../event-sourcing/request-context';
import { TaskStatusQuery } from './queries/task-status.query';
import { CorrectionRecord, MetricRecord, ProgressRecord } from './submit/record-dtos';
import { SubmitRecordCommand } from './submit/submit-record.command';


@ApiTags('ledgers')
@ApiExtraModels(ProgressRecord, MetricRecord, CorrectionRecord)
@Controller('api/ledgers/:ledgerId')
export class LedgersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('submissions')
  @HttpCode(201)
  @Roles('submitter', 'admin')
  @UseInterceptors(IdempotencyInterceptor)
  // Named as the @Headers parameter below names it, so the description has one Idempotency-Key header, not two.
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'Idempotency-Key: a retried request with the same key gets the first answer again (422: the key was used with another body; 409: its first request is still running).' })
  @ApiBody({ schema: { oneOf: [ProgressRecord, MetricRecord, CorrectionRecord].map((dto) => ({ $ref: getSchemaPath(dto) })) } })
  @ApiCreatedResponse({ description: 'The event id and its log position (`duplicate: true` when the id or key was seen before: nothing new appended).' })
  @ApiNotFoundResponse({ description: 'Unknown ledger, unit, task, metric or corrected event.' })
  submit(
    @Param('ledgerId') ledgerId: string,
    @Body() body: unknown,
    @Principal() principal: Principal,
    @CallerContext() context: RequestContext,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.commands.execute(
      new SubmitRecordCommand(body, context, {
        ledgerInPath: ledgerId,
        idempotencyKey,
        authorize: (ledger, unit) => assertMayActFor(principal, { action: 'submit', ledgerId: ledger, unitId: unit }),
      }),
    );
  }

  @Get('status')
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position' })
  @ApiQuery({ name: 'unit', required: false })
  @ApiQuery({ name: 'task', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'limit', required: false, description: 'at most 10000; default 1000' })
  @ApiOkResponse({ description: 'Task status per (task, responsible unit) at the moment asked.' })
  async status(
    @Param('ledgerId') ledgerId: string,
    @Principal() principal: Principal,
    @QueryParam('asOf') asOf?: string,
    @QueryParam('unit') unit?: string,
    @QueryParam('task') task?: string,
    @QueryParam('offset') offset?: string,
    @QueryParam('limit') limit?: string,
  ) {
    assertMayActFor(principal, { action: 'read', ledgerId, unitId: unit });
    const report = await this.queries.execute(new TaskStatusQuery(ledgerId, parseAsOf(asOf), { unit, task }));
    const { total, offset: from, limit: count, page } = paged(report.rows, pageOf(offset, limit));
    return { ...report, total, offset: from, limit: count, rows: page };
  }
}
