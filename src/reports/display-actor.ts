import type Database from 'better-sqlite3';
import { asOfCondition, heldAt, type AsOf } from '../audit/as-of';
import type { LedgerDefinition } from '../ledgers/ledger-directory';

/** What names the actors of a ledger's events: its units, the API tokens (label and unit) and the people (name and unit on this ledger) recorded in the read models. */
export interface KnownActors {
  units: ReadonlyMap<string, { name: string }>;
  tokens: ReadonlyMap<string, { label: string | null; unit: string }>;
  people: ReadonlyMap<string, { name: string; unit: string | null }>;
}

/**
 * The actors as they were named at a moment (now by default): a report as of a past moment names a
 * person renamed or moved to another unit since as they were then, so drawing it again gives the same bytes.
 */
export function knownActors(db: Database.Database, ledger: LedgerDefinition, asOf: AsOf = { kind: 'now' }): KnownActors {
  const issued = asOfCondition(asOf, 'issued_position', 'issued_at');
  const tokens = db.prepare(`SELECT token_id, label, unit FROM tokens_v2 WHERE ${issued.sql}`).all(...issued.params) as { token_id: string; label: string | null; unit: string }[];
  const held = heldAt(asOf);
  const people = db.prepare(`SELECT login, name, grants FROM person_names_v1 WHERE ${held.sql}`).all(...held.params) as { login: string; name: string; grants: string }[];
  const unitOn = (grants: string) => (JSON.parse(grants) as { ledger: string | null; unit: string }[]).find((g) => g.ledger === null || g.ledger === ledger.ledgerId)?.unit ?? null;
  return {
    units: ledger.units,
    tokens: new Map(tokens.map((r) => [r.token_id, { label: r.label, unit: r.unit }])),
    people: new Map(people.map((p) => [p.login, { name: p.name, unit: unitOn(p.grants) }])),
  };
}

/**
 * The one way an event's actor is shown to people: an API token by its label and its unit's name
 * (`陈晓明（广东电网有限责任公司）`), a local operator as `cli:<user>`, the product itself as
 * `system:<what>`; a person by name and unit (`陈丽（广东电网有限责任公司）`); an actor not known here as recorded.
 */
export function displayActor(actor: string | null, known: KnownActors): string {
  if (actor === null) return '';
  if (actor.startsWith('token:')) {
    const token = known.tokens.get(actor.slice('token:'.length));
    if (!token) return actor;
    const unit = known.units.get(token.unit)?.name ?? token.unit;
    return token.label ? `${token.label}（${unit}）` : unit;
  }
  if (actor.startsWith('person:')) {
    const person = known.people.get(actor.slice('person:'.length));
    if (!person) return actor;
    const unit = person.unit === null ? null : (known.units.get(person.unit)?.name ?? person.unit);
    return unit ? `${person.name}（${unit}）` : person.name;
  }
  return actor;
}
