import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { PersonRow } from '../../../projections/people.projection';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import type { Grant } from '../principal';

export interface PersonSummary {
  login: string;
  name: string;
  contact: string;
  language: string;
  grants: Grant[];
  disabled: { reason: string } | null;
  mustChangePassword: boolean;
  createdBy: string | null;
  createdAt: string;
}

/** Every account (never a password hash), by login; the caller filters to the people it may manage. */
export class ListPeopleQuery extends Query<PersonSummary[]> {}

@QueryHandler(ListPeopleQuery)
export class ListPeopleHandler implements IQueryHandler<ListPeopleQuery, PersonSummary[]> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute(): Promise<PersonSummary[]> {
    await this.runner.catchUp();
    const rows = this.db.prepare('SELECT * FROM people_v1 ORDER BY login').all() as PersonRow[];
    return rows.map((row) => ({
      login: row.login,
      name: row.name,
      contact: row.contact,
      language: row.language,
      grants: JSON.parse(row.grants) as Grant[],
      disabled: row.disabled_reason === null ? null : { reason: row.disabled_reason },
      mustChangePassword: row.must_change_password === 1,
      createdBy: row.created_by,
      createdAt: row.created_at,
    }));
  }
}
