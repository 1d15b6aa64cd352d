import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { assertMayActFor } from '../access/grants';
import { contextOf } from '../access/principal';
import { CallerContext, CorrelationId, Principal } from '../access/principal.decorator';
import { Roles } from '../access/auth.guard';
import { DomainError } from '../event-sourcing/domain-error';
import type { RequestContext } from '../event-sourcing/request-context';
import { AddUnitsCommand, OpenLedgerCommand, RetireUnitCommand } from './open-ledger/open-ledger.command';
import { unitsCsv, type UnitRow } from './open-ledger/units-csv';
import { problem } from '../i18n/problem';

const UNITS_SCHEMA = {
  type: 'array',
  items: { type: 'object', required: ['id', 'name', 'role'], properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, parent: { type: 'string', nullable: true } } },
};

/** Units sent as JSON, checked for shape; their content is checked by the same path as units.csv (rows counted from 2, after its header). */
function unitRows(value: unknown): UnitRow[] {
  if (!Array.isArray(value) || value.length === 0) throw new DomainError('invalid', [problem('units', 'problem.unitsList')]);
  return value.map((unit, index) => {
    const u = unit as Record<string, unknown>;
    for (const field of ['id', 'name', 'role']) {
      if (typeof u?.[field] !== 'string') throw new DomainError('invalid', [problem(`units[${index}].${field}`, 'problem.notString')]);
    }
    if (u.parent !== undefined && u.parent !== null && typeof u.parent !== 'string') throw new DomainError('invalid', [problem(`units[${index}].parent`, 'problem.stringOrNull')]);
    return { id: u.id as string, name: u.name as string, role: u.role as string, parent: (u.parent as string | null | undefined) ?? null };
  });
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new DomainError('invalid', [problem(field, 'problem.nonEmptyRequired')]);
  return value;
}

/** What an admin does to ledgers over HTTP: open one, add and retire units (the CLI does the same). */
@ApiTags('ledgers')
@Controller('api/ledgers')
export class LedgerAdminController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiBody({ schema: { type: 'object', required: ['ledgerId', 'programme', 'units'], properties: { ledgerId: { type: 'string' }, programme: { type: 'string' }, name: { type: 'string' }, units: UNITS_SCHEMA } } })
  @ApiCreatedResponse({ description: 'The ledger opened: `{ ledgerId, units, position }`.' })
  @ApiConflictResponse({ description: 'The ledger is already open.' })
  open(@Body() body: Record<string, unknown>, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    const ledgerId = text(body?.ledgerId, 'ledgerId');
    const context = contextOf(principal, assertMayActFor(principal, { action: 'administer', ledgerId }), correlationId);
    const name = body?.name === undefined ? '' : text(body.name, 'name');
    return this.commands.execute(new OpenLedgerCommand(ledgerId, text(body?.programme, 'programme'), name, unitsCsv(unitRows(body?.units)), 'units', context));
  }

  @Post(':ledgerId/units')
  @HttpCode(201)
  @Roles('admin')
  @ApiBody({ schema: { type: 'object', required: ['units'], properties: { units: UNITS_SCHEMA } } })
  @ApiCreatedResponse({ description: 'The units added: `{ ledgerId, units, position }`.' })
  addUnits(@Param('ledgerId') ledgerId: string, @Body() body: Record<string, unknown>, @CallerContext() context: RequestContext) {
    return this.commands.execute(new AddUnitsCommand(ledgerId, unitsCsv(unitRows(body?.units)), 'units', context));
  }

  @Post(':ledgerId/units/:unitId/retire')
  @HttpCode(201)
  @Roles('admin')
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } })
  @ApiCreatedResponse({ description: 'The unit retired: its history stays, it is no longer expected to report.' })
  retire(@Param('ledgerId') ledgerId: string, @Param('unitId') unitId: string, @Body() body: Record<string, unknown>, @CallerContext() context: RequestContext) {
    return this.commands.execute(new RetireUnitCommand(ledgerId, unitId, text(body?.reason, 'reason'), context));
  }
}
