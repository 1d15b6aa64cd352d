import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { Grant, Principal } from '../../access/principal';
import type { Role } from '../../access/roles';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';

export interface ReachableLedger {
  ledgerId: string;
  name: string;
  programmeId: string;
  /** What the caller may do here: each grant that reaches the ledger, with its unit's name in the ledger. */
  grants: { role: Role; unit: string; unitName: string | null }[];
}

/**
 * The open ledgers a caller's grants reach, with the grants: a unit-bound grant on every ledger
 * (submitter, reviewer) reaches the ledgers that have the unit; the other roles on every ledger reach all.
 */
export class ReachableLedgersQuery extends Query<ReachableLedger[]> {
  constructor(readonly principal: Principal) {
    super();
  }
}

const UNIT_BOUND: readonly Role[] = ['submitter', 'reviewer'];

@QueryHandler(ReachableLedgersQuery)
export class ReachableLedgersHandler implements IQueryHandler<ReachableLedgersQuery, ReachableLedger[]> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ principal }: ReachableLedgersQuery): Promise<ReachableLedger[]> {
    await this.runner.catchUp();
    const ledgers = this.db.prepare('SELECT ledger_id, name, programme_id FROM ledgers_v1 ORDER BY ledger_id').all() as { ledger_id: string; name: string; programme_id: string }[];
    const unitName = this.db.prepare('SELECT name FROM ledger_units_v1 WHERE ledger_id = ? AND unit_id = ? AND retired_position IS NULL');
    const reaches = (grant: Grant, ledgerId: string) => {
      if (grant.ledger !== null && grant.ledger !== ledgerId) return null;
      const name = (unitName.get(ledgerId, grant.unit) as { name: string } | undefined)?.name ?? null;
      if (UNIT_BOUND.includes(grant.role) && name === null) return null;
      return { role: grant.role, unit: grant.unit, unitName: name };
    };
    return ledgers
      .map((ledger) => ({
        ledgerId: ledger.ledger_id,
        name: ledger.name,
        programmeId: ledger.programme_id,
        grants: principal.grants.map((grant) => reaches(grant, ledger.ledger_id)).filter((grant) => grant !== null),
      }))
      .filter((ledger) => ledger.grants.length > 0);
  }
}
