import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseAsOf } from '../audit/as-of';
import { DomainError } from '../event-sourcing/domain-error';
import { ListTokensQuery } from './list-tokens/list-tokens.query';
import { Roles } from './token.guard';

@ApiTags('access')
@Controller('api/tokens')
export class TokensController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('admin')
  @ApiQuery({ name: 'unit', required: false })
  @ApiQuery({ name: 'ledger', required: false })
  @ApiQuery({ name: 'active', required: false, description: '`true`: leave out revoked tokens' })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position' })
  @ApiOkResponse({ description: 'The tokens issued (up to the moment asked), with their unit, ledger, role, label and revocation; never a secret or its hash.' })
  list(@QueryParam('unit') unit?: string, @QueryParam('ledger') ledger?: string, @QueryParam('active') active?: string, @QueryParam('asOf') asOf?: string) {
    if (active !== undefined && active !== 'true' && active !== 'false') throw DomainError.invalid('active', `"${active}" is neither true nor false`);
    return this.queries.execute(new ListTokensQuery({ unit, ledger, activeOnly: active === 'true', asOf: parseAsOf(asOf) }));
  }
}
