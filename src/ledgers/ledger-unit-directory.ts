import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { UnitDirectory } from '../access/unit-directory';
import { ProjectionRunner } from '../read-models/projection-runner';
import { READ_MODEL_DB } from '../read-models/tokens';

/** Whether a unit is (still) in a ledger, or in any ledger: what issuing a token checks. */
@Injectable()
export class LedgerUnitDirectory implements UnitDirectory {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
  ) {}

  async unitExists(unitId: string, ledgerId: string | null): Promise<boolean> {
    await this.runner.catchUp();
    const row = ledgerId
      ? this.db.prepare('SELECT 1 FROM ledger_units_v1 WHERE unit_id = ? AND ledger_id = ? AND retired_position IS NULL').get(unitId, ledgerId)
      : this.db.prepare('SELECT 1 FROM ledger_units_v1 WHERE unit_id = ? AND retired_position IS NULL').get(unitId);
    return row !== undefined;
  }
}
