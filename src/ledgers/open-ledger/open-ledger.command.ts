import { storedText } from '../../input/text';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../event-sourcing/domain-error';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import type { RequestContext } from '../../event-sourcing/request-context';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { assertId } from '../ids';
import { LedgerDirectory } from '../ledger-directory';
import { ledgerDecider, ledgerStream } from '../ledger.decider';
import { parseUnitsCsv } from './units-csv';

export interface LedgerChangeResult {
  ledgerId: string;
  units: number;
  position: number;
}

/** Opens a ledger: an instance of a programme for a jurisdiction, with its units from units.csv. */
export class OpenLedgerCommand extends Command<LedgerChangeResult> {
  constructor(
    readonly ledgerId: string,
    readonly programmeId: string,
    readonly name: string,
    readonly unitsCsv: string,
    readonly unitsFile: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/** Adds units to an open ledger from a units.csv of the same columns. */
export class AddUnitsCommand extends Command<LedgerChangeResult> {
  constructor(
    readonly ledgerId: string,
    readonly unitsCsv: string,
    readonly unitsFile: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/** Retires a unit: it keeps its history but is no longer expected to report. */
export class RetireUnitCommand extends Command<LedgerChangeResult> {
  constructor(
    readonly ledgerId: string,
    readonly unitId: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(OpenLedgerCommand)
export class OpenLedgerHandler implements ICommandHandler<OpenLedgerCommand, LedgerChangeResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: LedgerDirectory,
  ) {}

  async execute(c: OpenLedgerCommand): Promise<LedgerChangeResult> {
    assertId('ledgerId', c.ledgerId);
    const name = storedText('name', c.name);
    const { template, version } = await this.directory.programme(c.programmeId);
    const { units, problems } = parseUnitsCsv(c.unitsCsv, template.roles.map((r) => r.id), c.unitsFile);
    if (problems.length > 0) throw new DomainError('invalid', problems);
    const result = await handleCommand(
      this.store,
      ledgerStream(c.ledgerId),
      ledgerDecider,
      { kind: 'open', ledgerId: c.ledgerId, programmeId: template.id, programmeVersion: version, name: name || c.ledgerId, units },
      c.context,
    );
    return { ledgerId: c.ledgerId, units: units.length, position: result.position };
  }
}

@CommandHandler(AddUnitsCommand)
export class AddUnitsHandler implements ICommandHandler<AddUnitsCommand, LedgerChangeResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: LedgerDirectory,
  ) {}

  async execute(c: AddUnitsCommand): Promise<LedgerChangeResult> {
    const ledger = await this.directory.get(c.ledgerId);
    const parsed = parseUnitsCsv(c.unitsCsv, ledger.programme.roles.map((r) => r.id), c.unitsFile, new Set(ledger.units.keys()));
    if (parsed.problems.length > 0) throw new DomainError('invalid', parsed.problems);
    const result = await handleCommand(this.store, ledgerStream(c.ledgerId), ledgerDecider, { kind: 'add-units', ledgerId: c.ledgerId, units: parsed.units }, c.context, {
      maxAttempts: 3,
    });
    return { ledgerId: c.ledgerId, units: parsed.units.length, position: result.position };
  }
}

@CommandHandler(RetireUnitCommand)
export class RetireUnitHandler implements ICommandHandler<RetireUnitCommand, LedgerChangeResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(c: RetireUnitCommand): Promise<LedgerChangeResult> {
    const result = await handleCommand(
      this.store,
      ledgerStream(c.ledgerId),
      ledgerDecider,
      { kind: 'retire-unit', ledgerId: c.ledgerId, unitId: c.unitId, reason: storedText('reason', c.reason) },
      c.context,
      { maxAttempts: 3 },
    );
    return { ledgerId: c.ledgerId, units: 1, position: result.position };
  }
}
