import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { LedgerDefinition } from '../ledgers/ledger-directory';
import { READ_MODEL_DB } from '../read-models/tokens';
import { displayActor, knownActors } from '../reports/display-actor';

/** Names an event's actor as people read it: a person by name and unit, a token by its label and unit. */
export type ActorName = (actor: string | null) => string;

/** The pages' one way to name actors: the reports' displayActor over the ledger's people, tokens and units. */
@Injectable()
export class WebActors {
  constructor(@Inject(READ_MODEL_DB) private readonly db: Database.Database) {}

  of(ledger: LedgerDefinition): ActorName {
    const known = knownActors(this.db, ledger);
    return (actor) => displayActor(actor, known);
  }
}
