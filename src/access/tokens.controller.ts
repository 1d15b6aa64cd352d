import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParam } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IssueTokenCommand } from './issue-token/issue-token.command';
import { CorrelationId, Principal } from './principal.decorator';
import { grantAllows } from './grants';
import { RevokeTokenCommand } from './revoke-token/revoke-token.command';
import { parseAsOf } from '../audit/as-of';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { ListTokensQuery } from './list-tokens/list-tokens.query';
import { Roles } from './auth.guard';
import { ROLES } from './roles';

@ApiTags('access')
@Controller('api/tokens')
export class TokensController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiBody({ schema: { type: 'object', required: ['unit', 'role'], properties: { unit: { type: 'string' }, role: { type: 'string', enum: [...ROLES] }, ledger: { type: 'string', description: 'the one ledger it acts on; leave out for every ledger (an admin of every ledger only)' }, label: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time', description: 'default: 90 days from now (LEDGER_TOKEN_DAYS)' } } } })
  @ApiCreatedResponse({ description: 'The new token, shown this once (only its hash is kept): `{ token, tokenId, unit, ledger, role, label, expiresAt, position }`. The caller’s admin grant must reach the token’s ledger.' })
  issue(@Body() body: Record<string, unknown>, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    const field = (name: string, required: boolean): string | null => {
      const value = body?.[name];
      if (value === undefined || value === null) {
        if (required) throw new DomainError('invalid', [problem(name, 'problem.required')]);
        return null;
      }
      if (typeof value !== 'string') throw new DomainError('invalid', [problem(name, 'problem.notString')]);
      return value;
    };
    const fields = { unit: field('unit', true)!, role: field('role', true)!, ledger: field('ledger', false), label: field('label', false), expiresAt: field('expiresAt', false) };
    return this.commands.execute(new IssueTokenCommand(fields, principal, correlationId));
  }

  @Post(':tokenId/revoke')
  @HttpCode(201)
  @Roles('admin')
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } })
  @ApiCreatedResponse({ description: 'The token revoked (within the token cache time in every server process).' })
  revoke(@Param('tokenId') tokenId: string, @Body() body: Record<string, unknown>, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    if (typeof body?.reason !== 'string' || body.reason.trim() === '') throw new DomainError('invalid', [problem('reason', 'problem.requiredText')]);
    return this.commands.execute(new RevokeTokenCommand(tokenId, body.reason, principal, correlationId));
  }

  @Get()
  @Roles('admin')
  @ApiQuery({ name: 'unit', required: false })
  @ApiQuery({ name: 'ledger', required: false })
  @ApiQuery({ name: 'active', required: false, description: '`true`: leave out revoked tokens' })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 time or log position' })
  @ApiOkResponse({ description: 'The tokens issued (up to the moment asked) on the ledgers the caller administers, with their unit, ledger, role, label and revocation; never a secret or its hash.' })
  async list(@Principal() principal: Principal, @QueryParam('unit') unit?: string, @QueryParam('ledger') ledger?: string, @QueryParam('active') active?: string, @QueryParam('asOf') asOf?: string) {
    if (active !== undefined && active !== 'true' && active !== 'false') throw new DomainError('invalid', [problem('active', 'problem.trueOrFalse', { value: active })]);
    const tokens = await this.queries.execute(new ListTokensQuery({ unit, ledger, activeOnly: active === 'true', asOf: parseAsOf(asOf) }));
    return tokens.filter((token) => principal.grants.some((grant) => grantAllows(grant, { action: 'administer', ledgerId: token.ledger })));
  }
}
