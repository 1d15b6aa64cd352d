/** Injection token of the UnitDirectory that `token create` consults. */
export const UNIT_DIRECTORY = Symbol('UNIT_DIRECTORY');

/**
 * The hook through which issuing a token checks its unit: does the unit exist in the ledger (or,
 * for a token not bound to a ledger, in any ledger)? The ledgers module provides the real one
 * through `AccessModule.forRoot({ unitDirectory })`.
 */
export interface UnitDirectory {
  unitExists(unitId: string, ledgerId: string | null): Promise<boolean>;
}

/** Until ledgers and their units exist, every unit is accepted. */
export class AcceptAnyUnit implements UnitDirectory {
  async unitExists(): Promise<boolean> {
    return true;
  }
}
