import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { ProgrammeVersionRow } from '../../../projections/programmes.projection';
import { asOfCondition, type AsOf } from '../../audit/as-of';
import { DomainError } from '../../event-sourcing/domain-error';
import { READ_MODEL_DB } from '../../read-models/tokens';
import type { ProgrammeTemplate } from '../template';
import { problem } from '../../i18n/problem';

export interface ProgrammeSummary {
  id: string;
  title: string;
  language: string;
  version: number;
  digest: string;
  importedFrom: string;
  recordedAt: string;
  position: number;
  tasks: number;
  indicators: number;
}

export type ProgrammeView = ProgrammeTemplate & {
  version: number;
  digest: string;
  /** The file the version was imported from. */
  importedFrom: string;
  recordedAt: string;
  position: number;
};

/** The latest version of each programme at a moment: one SQL query over the versions table. */
function versionsAt(db: Database.Database, asOf: AsOf, programmeId?: string): ProgrammeVersionRow[] {
  const moment = asOfCondition(asOf, 'position', 'recorded_at');
  const only = programmeId ? 'AND programme_id = ?' : '';
  return db
    .prepare(
      `SELECT v.* FROM programme_versions_v1 v
       JOIN (SELECT programme_id AS id, MAX(version) AS version FROM programme_versions_v1 WHERE ${moment.sql} ${only} GROUP BY programme_id) latest
         ON v.programme_id = latest.id AND v.version = latest.version
       ORDER BY v.programme_id`,
    )
    .all(...moment.params, ...(programmeId ? [programmeId] : [])) as ProgrammeVersionRow[];
}

export class ListProgrammesQuery extends Query<ProgrammeSummary[]> {
  constructor(readonly asOf: AsOf = { kind: 'now' }) {
    super();
  }
}

export class GetProgrammeQuery extends Query<ProgrammeView> {
  constructor(
    readonly programmeId: string,
    readonly asOf: AsOf = { kind: 'now' },
  ) {
    super();
  }
}

@QueryHandler(ListProgrammesQuery)
export class ListProgrammesHandler implements IQueryHandler<ListProgrammesQuery, ProgrammeSummary[]> {
  constructor(@Inject(READ_MODEL_DB) private readonly db: Database.Database) {}
  async execute({ asOf }: ListProgrammesQuery): Promise<ProgrammeSummary[]> {
    return versionsAt(this.db, asOf).map((row) => {
      const template = JSON.parse(row.template) as ProgrammeTemplate;
      return {
        id: row.programme_id,
        title: row.title,
        language: row.language,
        version: row.version,
        digest: row.digest,
        importedFrom: row.source,
        recordedAt: row.recorded_at,
        position: row.position,
        tasks: template.tasks.length,
        indicators: template.indicators?.length ?? 0,
      };
    });
  }
}

@QueryHandler(GetProgrammeQuery)
export class GetProgrammeHandler implements IQueryHandler<GetProgrammeQuery, ProgrammeView> {
  constructor(@Inject(READ_MODEL_DB) private readonly db: Database.Database) {}
  async execute({ programmeId, asOf }: GetProgrammeQuery): Promise<ProgrammeView> {
    const [row] = versionsAt(this.db, asOf, programmeId);
    if (!row) throw new DomainError('not-found', [problem('programmeId', asOf.kind === 'now' ? 'problem.unknownProgramme' : 'problem.unknownProgrammeThen', { id: programmeId })]);
    const template = JSON.parse(row.template) as ProgrammeTemplate;
    // Every list a programme may leave out is shown, empty if need be: readers rely on the keys.
    return {
      ...template,
      indicators: template.indicators ?? [],
      metrics: template.metrics ?? [],
      sections: template.sections ?? [],
      goals: template.goals ?? [],
      version: row.version,
      digest: row.digest,
      importedFrom: row.source,
      recordedAt: row.recorded_at,
      position: row.position,
    };
  }
}
