import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AddressInfo } from 'node:net';
import { CreatePersonCommand, type NewPerson } from '../../src/access/people/create-person.command';
import { adminPrincipal } from '../../src/access/principal';
import { FixedClock, type Clock } from '../../src/event-sourcing/clock';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { unitsCsv, type UnitRow } from '../../src/ledgers/open-ledger/units-csv';
import { registerShippedProgrammes } from '../../src/programmes/shipped-programmes';
import { bootTestApp } from './boot-test-app';

/** The real application on 127.0.0.1 over a fresh embedded store, the shipped programmes registered: what the browser tests drive. */
export interface WebApp {
  app: INestApplication;
  base: string;
  clock: FixedClock | null;
  /** Opens a ledger of a shipped programme with these units. */
  openLedger(ledgerId: string, programme: string, name: string, units: UnitRow[]): Promise<void>;
  /** Creates a person and returns their one-time password. */
  createPerson(person: NewPerson): Promise<string>;
  close(): Promise<void>;
}

export async function startWebApp(options: { clock?: Clock } = {}): Promise<WebApp> {
  const booted = await bootTestApp({ clock: options.clock });
  const { app } = booted;
  const commands = app.get(CommandBus);
  await registerShippedProgrammes(commands, app.get(EVENT_STORE), systemContext('test'));
  await new Promise<void>((resolve) => app.getHttpServer().listen(0, '127.0.0.1', resolve));
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    clock: options.clock instanceof FixedClock ? options.clock : null,
    async openLedger(ledgerId, programme, name, units) {
      await commands.execute(new OpenLedgerCommand(ledgerId, programme, name, unitsCsv(units), 'units', systemContext('test')));
    },
    async createPerson(person) {
      return (await commands.execute(new CreatePersonCommand(person, adminPrincipal('system:test')))).oneTimePassword;
    },
    close: () => booted.close(),
  };
}
