import { DomainError } from '../../../src/event-sourcing/domain-error';
import { ledgerDecider, ledgerStream, type LedgerCommand, type LedgerEvent } from '../../../src/ledgers/ledger.decider';

const LEDGER = 'gd-2021';
const units = [
  { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: null },
  { id: 'gd-sz', name: '深圳供电局', role: 'supply-company', parent: 'gd-grid' },
  { id: 'gd-nea', name: '广东省能源局', role: 'energy-authority', parent: null },
];
const open: LedgerCommand = { kind: 'open', ledgerId: LEDGER, programmeId: 'nea-2021-37', programmeVersion: 1, name: 'Guangdong 2021', units };
const opened: LedgerEvent = { type: 'LedgerOpened', data: { ledgerId: LEDGER, programmeId: 'nea-2021-37', programmeVersion: 1, name: 'Guangdong 2021', units } };
const retired = (unitId: string): LedgerEvent => ({ type: 'UnitRetired', data: { ledgerId: LEDGER, unitId, reason: 'merged' } });

const given = (events: LedgerEvent[]) => events.reduce(ledgerDecider.evolve, ledgerDecider.initialState());
const when = (command: LedgerCommand, events: LedgerEvent[] = []) => ledgerDecider.decide(command, given(events));

function expectProblem(run: () => unknown, code: DomainError['code'], field: string, reason: string | RegExp) {
  let error: unknown;
  try {
    error = { accepted: run() };
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(DomainError);
  const { code: actual, problems } = error as DomainError;
  expect({ code: actual, field: problems[0].field }).toEqual({ code, field });
  if (typeof reason === 'string') expect(problems[0].reason).toBe(reason);
  else expect(problems[0].reason).toMatch(reason);
}

describe('ledger decider', () => {
  it('names the ledger stream after the ledger id', () => {
    expect(ledgerStream(LEDGER)).toBe('ledger-gd-2021');
  });

  it('opens a ledger with its programme version and units', () => {
    expect(when(open)).toEqual([opened]);
  });

  it('refuses to open a ledger twice', () => {
    expectProblem(() => when(open, [opened]), 'conflict', 'ledgerId', 'ledger "gd-2021" is already open');
  });

  it('refuses to change a ledger that was never opened', () => {
    expectProblem(() => when({ kind: 'add-units', ledgerId: LEDGER, units }), 'not-found', 'ledgerId', 'no ledger "gd-2021"');
    expectProblem(() => when({ kind: 'retire-unit', ledgerId: LEDGER, unitId: 'gd-grid', reason: 'x' }), 'not-found', 'ledgerId', 'no ledger "gd-2021"');
  });

  describe('adding units', () => {
    it('adds units whose parents are existing units or units of the same batch', () => {
      const added = [
        { id: 'gd-gz', name: '广州供电局', role: 'supply-company', parent: 'gd-grid' },
        { id: 'gd-gz-1', name: '越秀供电局', role: 'supply-company', parent: 'gd-gz' },
      ];
      expect(when({ kind: 'add-units', ledgerId: LEDGER, units: added }, [opened])).toEqual([{ type: 'UnitsAdded', data: { ledgerId: LEDGER, units: added } }]);
    });

    it('refuses ids already in the ledger, including retired ones, naming them all', () => {
      const again = [
        { id: 'gd-grid', name: 'x', role: 'supply-company', parent: null },
        { id: 'gd-sz', name: 'y', role: 'supply-company', parent: null },
      ];
      expectProblem(() => when({ kind: 'add-units', ledgerId: LEDGER, units: again }, [opened, retired('gd-sz')]), 'invalid', 'units', 'already in the ledger: gd-grid, gd-sz');
    });

    it('refuses a parent that is neither in the ledger nor in the batch', () => {
      expectProblem(
        () => when({ kind: 'add-units', ledgerId: LEDGER, units: [{ id: 'gd-x', name: 'x', role: 'supply-company', parent: 'gd-nowhere' }] }, [opened]),
        'invalid',
        'parent',
        'not a unit of the ledger: gd-nowhere',
      );
    });

    it('knows units added later as parents', () => {
      const added: LedgerEvent = { type: 'UnitsAdded', data: { ledgerId: LEDGER, units: [{ id: 'gd-gz', name: 'g', role: 'supply-company', parent: null }] } };
      expect(when({ kind: 'add-units', ledgerId: LEDGER, units: [{ id: 'gd-gz-1', name: 'h', role: 'supply-company', parent: 'gd-gz' }] }, [opened, added])).toHaveLength(1);
    });
  });

  describe('retiring a unit', () => {
    it('retires a unit with its reason', () => {
      expect(when({ kind: 'retire-unit', ledgerId: LEDGER, unitId: 'gd-sz', reason: 'merged into gd-grid' }, [opened])).toEqual([
        { type: 'UnitRetired', data: { ledgerId: LEDGER, unitId: 'gd-sz', reason: 'merged into gd-grid' } },
      ]);
    });

    it('refuses an unknown unit as not found', () => {
      expectProblem(() => when({ kind: 'retire-unit', ledgerId: LEDGER, unitId: 'gd-none', reason: 'x' }, [opened]), 'not-found', 'unitId', 'no unit "gd-none" in ledger "gd-2021"');
    });

    it('refuses to retire a unit twice', () => {
      expectProblem(() => when({ kind: 'retire-unit', ledgerId: LEDGER, unitId: 'gd-sz', reason: 'again' }, [opened, retired('gd-sz')]), 'conflict', 'unitId', 'unit "gd-sz" is already retired');
    });

    it('refuses an empty or blank reason', () => {
      for (const reason of ['', '   ', '\t\n']) {
        expectProblem(() => when({ kind: 'retire-unit', ledgerId: LEDGER, unitId: 'gd-sz', reason }, [opened]), 'invalid', 'reason', 'a reason is required');
      }
    });

    it('folds a retirement into the state, keeping the other units active', () => {
      const state = given([opened, retired('gd-sz')]);
      expect(state.units.get('gd-sz')).toEqual({ retired: true });
      expect(state.units.get('gd-grid')).toEqual({ retired: false });
      expect(state.opened).toBe(true);
    });
  });
});
