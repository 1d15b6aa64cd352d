import type { QueryBus } from '@nestjs/cqrs';
import type { Principal } from '../../access/principal';
import { ReachableLedgersQuery, type ReachableLedger } from '../../ledgers/queries/reachable-ledgers.query';

/** What the grant forms write for "every ledger". */
export const EVERY_LEDGER = '*';

/** The ledgers an admin may hand grants on: every open ledger its admin grants reach, and `*` for an admin of every ledger. */
export async function grantableLedgers(queries: QueryBus, principal: Principal): Promise<string[]> {
  const reachable: ReachableLedger[] = await queries.execute(new ReachableLedgersQuery(principal));
  const everyLedger = principal.grants.some((g) => g.role === 'admin' && g.ledger === null);
  return [...(everyLedger ? [EVERY_LEDGER] : []), ...reachable.filter((l) => l.grants.some((g) => g.role === 'admin')).map((l) => l.ledgerId)];
}
