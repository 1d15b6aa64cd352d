import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { Roles } from '../auth.guard';
import { grantAllows } from '../grants';
import type { Grant } from '../principal';
import { CorrelationId, Principal } from '../principal.decorator';
import { ROLES } from '../roles';
import { CreatePersonCommand } from './create-person.command';
import { ListPeopleQuery } from './list-people.query';
import { ManagePersonCommand, type PersonChange } from './manage-person.command';
import { LANGUAGES, type Language } from './person.decider';

const GRANTS_SCHEMA = {
  type: 'array',
  minItems: 1,
  items: { type: 'object', required: ['unit', 'role'], properties: { ledger: { type: 'string', nullable: true }, unit: { type: 'string' }, role: { type: 'string', enum: [...ROLES] } } },
};
const DETAILS = { name: { type: 'string' }, contact: { type: 'string', description: 'telephone, e-mail (填报人及联系方式)' }, language: { type: 'string', enum: [...LANGUAGES] } };

function grantsOf(value: unknown): Grant[] {
  if (!Array.isArray(value)) throw new DomainError('invalid', [problem('grants', 'problem.grantsList')]);
  return value.map((grant: Record<string, unknown>) => ({ ...grant, ledger: grant?.ledger ?? null }) as Grant);
}

function details(body: Record<string, unknown>) {
  return { name: body?.name as string, contact: (body?.contact ?? '') as string, language: body?.language as Language };
}

/** Accounts of people, for admins: each admin sees and manages the people whose every grant it could have given. */
@ApiTags('people')
@Controller('api/people')
export class PeopleController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ description: 'The people the caller administers: login, name, contact, language, grants, disabled, mustChangePassword; never a password.' })
  async list(@Principal() principal: Principal) {
    const people = await this.queries.execute(new ListPeopleQuery());
    return people.filter((person) => person.grants.every((grant) => principal.grants.some((mine) => grantAllows(mine, { action: 'administer', ledgerId: grant.ledger }))));
  }

  @Post()
  @Roles('admin')
  @HttpCode(201)
  @ApiBody({ schema: { type: 'object', required: ['login', 'name', 'language', 'grants'], properties: { login: { type: 'string' }, ...DETAILS, grants: GRANTS_SCHEMA } } })
  @ApiCreatedResponse({ description: '`{ login, oneTimePassword, position }`: the one-time password is shown this once; the person must change it at the first sign-in.' })
  create(@Body() body: Record<string, unknown>, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.commands.execute(new CreatePersonCommand({ login: body?.login as string, ...details(body), grants: grantsOf(body?.grants) }, principal, correlationId));
  }

  @Post(':login/password-reset')
  @Roles('admin')
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{ login, oneTimePassword, position, sessionsEnded }`: a new one-time password, shown once; the person is signed out everywhere.' })
  resetPassword(@Param('login') login: string, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.manage(login, { kind: 'reset-password' }, principal, correlationId);
  }

  @Put(':login/grants')
  @Roles('admin')
  @ApiBody({ schema: { type: 'object', required: ['grants'], properties: { grants: GRANTS_SCHEMA } } })
  @ApiOkResponse({ description: 'The grants replaced (`position` 0: they were already so).' })
  setGrants(@Param('login') login: string, @Body() body: Record<string, unknown>, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.manage(login, { kind: 'set-grants', grants: grantsOf(body?.grants) }, principal, correlationId);
  }

  @Put(':login/details')
  @Roles(...ROLES)
  @ApiBody({ schema: { type: 'object', required: ['name', 'language'], properties: DETAILS } })
  @ApiOkResponse({ description: 'Name, contact and language changed: by an admin, or by the person themselves.' })
  setDetails(@Param('login') login: string, @Body() body: Record<string, unknown>, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.manage(login, { kind: 'change-details', ...details(body) }, principal, correlationId);
  }

  @Post(':login/disable')
  @Roles('admin')
  @HttpCode(201)
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } })
  @ApiCreatedResponse({ description: 'The account disabled: its sessions end at once; history keeps it.' })
  disable(@Param('login') login: string, @Body() body: Record<string, unknown>, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    if (typeof body?.reason !== 'string') throw new DomainError('invalid', [problem('reason', 'problem.requiredText')]);
    return this.manage(login, { kind: 'disable', reason: body.reason }, principal, correlationId);
  }

  @Post(':login/enable')
  @Roles('admin')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The account enabled again.' })
  enable(@Param('login') login: string, @Principal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.manage(login, { kind: 'enable' }, principal, correlationId);
  }

  private manage(login: string, change: PersonChange, principal: Principal, correlationId: string) {
    return this.commands.execute(new ManagePersonCommand(login, change, principal, correlationId));
  }
}
