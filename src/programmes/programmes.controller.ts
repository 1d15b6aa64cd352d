import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseAsOf } from '../audit/as-of';
import { GetProgrammeQuery, ListProgrammesQuery } from './queries/programme-queries';

@ApiTags('programmes')
@Controller('api/programmes')
export class ProgrammesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position' })
  @ApiOkResponse({ description: 'Every registered programme, latest version at the moment asked.' })
  list(@QueryParam('asOf') asOf?: string) {
    return this.queries.execute(new ListProgrammesQuery(parseAsOf(asOf)));
  }

  @Get(':programmeId')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position' })
  @ApiOkResponse({ description: 'The programme: tasks, indicators, metrics, roles, reports, calendar, goals.' })
  @ApiNotFoundResponse({ description: 'No such programme (at that moment).' })
  show(@Param('programmeId') programmeId: string, @QueryParam('asOf') asOf?: string) {
    return this.queries.execute(new GetProgrammeQuery(programmeId, parseAsOf(asOf)));
  }
}
