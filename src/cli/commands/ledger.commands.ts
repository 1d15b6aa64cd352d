import { CommandBus } from '@nestjs/cqrs';
import { AddUnitsCommand, OpenLedgerCommand, RetireUnitCommand } from '../../ledgers/open-ledger/open-ledger.command';
import { UsageError, type CliCommand } from '../command';
import { operatorContext } from '../operator-context';
import { readInput } from '../read-input';

export const ledgerOpenCommand: CliCommand = {
  name: 'ledger open',
  usage: '<ledgerId> --programme <programmeId> --units <units.csv> [--name <text>]',
  summary: 'open a ledger (a programme instance, e.g. one province’s) with its units (csv: id,name,role,parent)',
  positionals: [1, 1],
  options: { programme: { type: 'string' }, units: { type: 'string' }, name: { type: 'string' } },
  async run({ positionals: [ledgerId], values, withApp, out }) {
    if (!values.programme) throw UsageError.required('ledger open', 'programme <programmeId>');
    if (!values.units) throw UsageError.required('ledger open', 'units <units.csv>');
    const csv = readInput(values.units as string);
    await withApp(async (app) => {
      const result = await app
        .get(CommandBus)
        .execute(new OpenLedgerCommand(ledgerId, values.programme as string, (values.name as string) ?? '', csv, values.units as string, operatorContext()));
      out(`opened ledger ${result.ledgerId} of ${values.programme} with ${result.units} units at log position ${result.position}`);
    });
  },
};

export const unitsAddCommand: CliCommand = {
  name: 'units add',
  usage: '<ledgerId> --units <units.csv>',
  summary: 'add units to an open ledger (same csv columns; parents may be existing units)',
  positionals: [1, 1],
  options: { units: { type: 'string' } },
  async run({ positionals: [ledgerId], values, withApp, out }) {
    if (!values.units) throw UsageError.required('units add', 'units <units.csv>');
    const csv = readInput(values.units as string);
    await withApp(async (app) => {
      const result = await app.get(CommandBus).execute(new AddUnitsCommand(ledgerId, csv, values.units as string, operatorContext()));
      out(`added ${result.units} units to ${ledgerId} at log position ${result.position}`);
    });
  },
};

export const unitsRetireCommand: CliCommand = {
  name: 'units retire',
  usage: '<ledgerId> <unitId> --reason <text>',
  summary: 'retire a unit: its history stays, it is no longer expected to report',
  positionals: [2, 2],
  options: { reason: { type: 'string' } },
  async run({ positionals: [ledgerId, unitId], values, withApp, out }) {
    if (!values.reason) throw UsageError.required('units retire', 'reason <text>');
    await withApp(async (app) => {
      const result = await app.get(CommandBus).execute(new RetireUnitCommand(ledgerId, unitId, values.reason as string, operatorContext()));
      out(`retired ${unitId} from ${ledgerId} at log position ${result.position}`);
    });
  },
};
