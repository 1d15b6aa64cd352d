import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParam } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertMayActFor } from '../access/grants';
import { contextOf } from '../access/principal';
import { CorrelationId, Principal } from '../access/principal.decorator';
import { ROLES } from '../access/roles';
import { Roles } from '../access/auth.guard';
import { RegisterProgrammeCommand } from './register-programme/register-programme.command';
import { parseAsOf } from '../audit/as-of';
import { GetProgrammeQuery, ListProgrammesQuery } from './queries/programme-queries';

@ApiTags('programmes')
@Controller('api/programmes')
export class ProgrammesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @Roles(...ROLES)
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position' })
  @ApiOkResponse({ description: 'Every registered programme, latest version at the moment asked.' })
  list(@QueryParam('asOf') asOf?: string) {
    return this.queries.execute(new ListProgrammesQuery(parseAsOf(asOf)));
  }

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiBody({ description: 'A programme template as JSON (the format of templates/programmes/README.md).', schema: { type: 'object' } })
  @ApiCreatedResponse({ description: '`{ programmeId, outcome: registered | amended | unchanged, version, position, changes? }`; unchanged appends nothing.' })
  import(@Body() body: unknown, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    // Programmes serve every ledger: only an admin of every ledger registers or amends one.
    const context = contextOf(principal, assertMayActFor(principal, { action: 'administer', ledgerId: null }), correlationId);
    return this.commands.execute(new RegisterProgrammeCommand(JSON.stringify(body ?? null), 'api-request.json', context));
  }

  @Get(':programmeId')
  @Roles(...ROLES)
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position' })
  @ApiOkResponse({ description: 'The programme: tasks, indicators, metrics, roles, reports, calendar, goals.' })
  @ApiNotFoundResponse({ description: 'No such programme (at that moment).' })
  show(@Param('programmeId') programmeId: string, @QueryParam('asOf') asOf?: string) {
    return this.queries.execute(new GetProgrammeQuery(programmeId, parseAsOf(asOf)));
  }
}
