import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { IssueTokenCommand } from '../../src/access/issue-token/issue-token.command';
import { adminPrincipal } from '../../src/access/principal';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { registerShippedProgrammes } from '../../src/programmes/shipped-programmes';
import { bootTestApp } from './boot-test-app';

/** The application over `store` with the shipped programmes, the NEA ledger gd-2021 (one supply company, gd-grid) and an administrator's token. */
export async function bootNeaLedgerWithAdmin(store: string): Promise<{ app: INestApplication; token: string }> {
  const { app } = await bootTestApp({ store, liveProjections: false });
  const commands = app.get(CommandBus);
  await registerShippedProgrammes(commands, app.get(EVENT_STORE), systemContext('test'));
  await commands.execute(new OpenLedgerCommand('gd-2021', 'nea-2021-37', '广东省', 'id,name,role,parent\ngd-grid,广东电网有限责任公司,supply-company,\n', 'units.csv', systemContext('test')));
  const { token } = await commands.execute(new IssueTokenCommand({ unit: 'it-team', role: 'admin', ledger: null, label: null }, adminPrincipal('system:test')));
  return { app, token };
}
