import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParam } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/auth.guard';
import { assertMayActFor } from '../access/grants';
import { CorrelationId, Principal } from '../access/principal.decorator';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { one } from '../http/query-params';
import { ApproveFiguresCommand, MarkCompleteCommand, ReturnFiguresCommand, type UnitFigures } from './review-step.command';
import { ReviewStatusQuery } from './review-status.query';
import { SignOffCommand } from './sign-off.command';

const UNIT_STEP = 'reviews/:reportId/:period/units/:unitId';

/** The review of a report's period: each unit's figures marked complete, approved or returned, then the sign-off. */
@ApiTags('reviews')
@Controller('api/ledgers/:ledgerId')
export class ReviewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('reviews/:reportId')
  @Roles('submitter', 'reviewer', 'regulator', 'auditor', 'admin')
  @ApiQuery({ name: 'period', required: true, description: 'e.g. 2021-H1' })
  @ApiQuery({ name: 'unit', required: false, description: 'one unit only (submitters and reviewers read their own unit)' })
  @ApiOkResponse({ description: 'Per unit: not-started, in-progress, complete, returned (reason), approved or submitted, with who and when; the sign-off if any.' })
  status(@Param('ledgerId') ledgerId: string, @Param('reportId') reportId: string, @Principal() principal: Principal, @QueryParam('period') period?: unknown, @QueryParam('unit') unit?: unknown) {
    const unitId = one(unit, 'unit');
    assertMayActFor(principal, { action: 'read', ledgerId, unitId });
    const periodId = one(period, 'period');
    if (!periodId) throw new DomainError('invalid', [problem('period', 'problem.requiredExample', { example: '?period=2021-H1' })]);
    return this.queries.execute(new ReviewStatusQuery(ledgerId, reportId, periodId, unitId));
  }

  @Post(`${UNIT_STEP}/complete`)
  @HttpCode(201)
  @Roles('submitter', 'admin')
  @ApiCreatedResponse({ description: 'The unit’s figures for the period are complete and await review; they are held until returned.' })
  @ApiConflictResponse({ description: 'Already complete or approved, or the report is signed off.' })
  complete(@Param() figures: UnitFigures, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.commands.execute(new MarkCompleteCommand(figures, principal, correlationId));
  }

  @Post(`${UNIT_STEP}/approve`)
  @HttpCode(201)
  @Roles('reviewer', 'admin')
  @ApiCreatedResponse({ description: 'The unit’s figures are approved (审核).' })
  @ApiConflictResponse({ description: 'The figures are not marked complete, or the report is signed off.' })
  approve(@Param() figures: UnitFigures, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.commands.execute(new ApproveFiguresCommand(figures, principal, correlationId));
  }

  @Post(`${UNIT_STEP}/return`)
  @HttpCode(201)
  @Roles('reviewer', 'admin')
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', description: 'what the unit must correct' } } } })
  @ApiCreatedResponse({ description: 'The unit’s figures are returned (退回) with the reason: they can be corrected and marked complete again.' })
  @ApiConflictResponse({ description: 'The figures are neither complete nor approved, or the report is signed off.' })
  returnFigures(@Param() figures: UnitFigures, @Body() body: unknown, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    const reason = typeof body === 'object' && body !== null ? (body as { reason?: unknown }).reason : undefined;
    return this.commands.execute(new ReturnFiguresCommand(figures, reason, principal, correlationId));
  }

  @Post('reviews/:reportId/:period/sign-off')
  @HttpCode(201)
  @Roles('regulator', 'admin')
  @ApiCreatedResponse({ description: 'The report is signed off: its files’ digests, log position, 填报人, 审核人 and 填报日期 recorded; the period locks.' })
  @ApiConflictResponse({ description: 'A unit awaits review or correction, nothing is approved, or the report is already signed off.' })
  signOff(@Param('ledgerId') ledgerId: string, @Param('reportId') reportId: string, @Param('period') period: string, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.commands.execute(new SignOffCommand(ledgerId, reportId, period, principal, correlationId));
  }
}
