import type { Decider, DomainEvent } from '../event-sourcing/decider';
import { DomainError } from '../event-sourcing/domain-error';
import type { JsonObject } from '../event-sourcing/event-store.port';
import { streamName } from '../event-sourcing/stream-name';
import type { UnitRow } from './open-ledger/units-csv';
import { problem } from '../i18n/problem';

type UnitData = { id: string; name: string; role: string; parent: string | null };

export type LedgerOpened = DomainEvent<'LedgerOpened', { ledgerId: string; programmeId: string; programmeVersion: number; name: string; units: UnitData[] }>;
export type UnitsAdded = DomainEvent<'UnitsAdded', { ledgerId: string; units: UnitData[] }>;
export type UnitRetired = DomainEvent<'UnitRetired', { ledgerId: string; unitId: string; reason: string }>;
export type LedgerEvent = LedgerOpened | UnitsAdded | UnitRetired;

export type LedgerCommand =
  | { kind: 'open'; ledgerId: string; programmeId: string; programmeVersion: number; name: string; units: UnitRow[] }
  | { kind: 'add-units'; ledgerId: string; units: UnitRow[] }
  | { kind: 'retire-unit'; ledgerId: string; unitId: string; reason: string };

export interface LedgerState {
  opened: boolean;
  /** Units ever added, with whether they are retired. */
  units: Map<string, { retired: boolean }>;
}

export const ledgerStream = (ledgerId: string) => streamName('ledger', ledgerId);

const asJson = (units: UnitRow[]) => units.map((u) => ({ id: u.id, name: u.name, role: u.role, parent: u.parent })) as UnitData[] & JsonObject[];

/** A ledger: a programme instantiated for a jurisdiction, with its units; units join and retire later as events. */
export const ledgerDecider: Decider<LedgerCommand, LedgerEvent, LedgerState> = {
  initialState: () => ({ opened: false, units: new Map() }),
  evolve(state, event) {
    const units = new Map(state.units);
    if (event.type === 'LedgerOpened' || event.type === 'UnitsAdded') event.data.units.forEach((u) => units.set(u.id, { retired: false }));
    if (event.type === 'UnitRetired') units.set(event.data.unitId, { retired: true });
    return { opened: true, units };
  },
  decide(command, state) {
    if (command.kind === 'open') {
      if (state.opened) throw new DomainError('conflict', [problem('ledgerId', 'problem.ledgerOpen', { id: command.ledgerId })]);
      const { kind: _kind, units, ...rest } = command;
      return [{ type: 'LedgerOpened', data: { ...rest, units: asJson(units) } }];
    }
    if (!state.opened) throw new DomainError('not-found', [problem('ledgerId', 'problem.unknownLedger', { id: command.ledgerId })]);
    if (command.kind === 'add-units') {
      const clashes = command.units.filter((u) => state.units.has(u.id)).map((u) => u.id);
      if (clashes.length > 0) throw new DomainError('invalid', [problem('units', 'problem.unitsInLedger', { ids: clashes.join(', ') })]);
      const missingParents = command.units.filter((u) => u.parent && !state.units.has(u.parent) && !command.units.some((n) => n.id === u.parent));
      if (missingParents.length > 0) throw new DomainError('invalid', [problem('parent', 'problem.notUnitsOfLedger', { ids: missingParents.map((u) => u.parent).join(', ') })]);
      return [{ type: 'UnitsAdded', data: { ledgerId: command.ledgerId, units: asJson(command.units) } }];
    }
    const unit = state.units.get(command.unitId);
    if (!unit) throw new DomainError('not-found', [problem('unitId', 'problem.unknownUnit', { id: command.unitId, ledger: command.ledgerId })]);
    if (unit.retired) throw new DomainError('conflict', [problem('unitId', 'problem.unitAlreadyRetired', { id: command.unitId })]);
    if (!command.reason.trim()) throw new DomainError('invalid', [problem('reason', 'problem.reasonRequired')]);
    return [{ type: 'UnitRetired', data: { ledgerId: command.ledgerId, unitId: command.unitId, reason: command.reason } }];
  },
};
