import type Database from 'better-sqlite3';
import type { LedgerDefinition } from '../ledgers/ledger-directory';

/** What names the actors of a ledger's events: its units, and the API tokens (label and unit) recorded in the read models. */
export interface KnownActors {
  units: ReadonlyMap<string, { name: string }>;
  tokens: ReadonlyMap<string, { label: string | null; unit: string }>;
}

export function knownActors(db: Database.Database, ledger: LedgerDefinition): KnownActors {
  const rows = db.prepare('SELECT token_id, label, unit FROM tokens_v1').all() as { token_id: string; label: string | null; unit: string }[];
  return { units: ledger.units, tokens: new Map(rows.map((r) => [r.token_id, { label: r.label, unit: r.unit }])) };
}

/**
 * The one way an event's actor is shown to people: an API token by its label and its unit's name
 * (`陈晓明（广东电网有限责任公司）`), a local operator as `cli:<user>`, the product itself as
 * `system:<what>`; an actor not known here as recorded. (People's names join here when sign-in lands.)
 */
export function displayActor(actor: string | null, known: KnownActors): string {
  if (actor === null) return '';
  if (actor.startsWith('token:')) {
    const token = known.tokens.get(actor.slice('token:'.length));
    if (!token) return actor;
    const unit = known.units.get(token.unit)?.name ?? token.unit;
    return token.label ? `${token.label}（${unit}）` : unit;
  }
  return actor;
}
