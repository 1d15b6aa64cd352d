import type { Projection } from './projection';

/**
 * Every version of every programme, with the log position and time from which it held: what a
 * ledger required on any date is a query for the last version at or before that moment.
 */
export const programmesProjection: Projection = {
  name: 'programmes',
  version: 1,
  handles: ['ProgrammeRegistered', 'ProgrammeAmended'],
  tables: ['programme_versions_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS programme_versions_v1 (
      programme_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      digest TEXT NOT NULL,
      source TEXT NOT NULL,
      title TEXT NOT NULL,
      language TEXT NOT NULL,
      template TEXT NOT NULL,
      changes TEXT,
      PRIMARY KEY (programme_id, version)
    )`,
  ],
  apply(event, tables) {
    const data = event.data as { programmeId: string; digest: string; source: string; template: { title: string; language: string }; changes?: unknown };
    tables.run(
      `INSERT INTO programme_versions_v1 (programme_id, version, position, recorded_at, digest, source, title, language, template, changes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      data.programmeId,
      event.revision + 1,
      event.position,
      event.recordedAt,
      data.digest,
      data.source,
      data.template.title,
      data.template.language,
      JSON.stringify(data.template),
      data.changes === undefined ? null : JSON.stringify(data.changes),
    );
  },
};

export interface ProgrammeVersionRow {
  programme_id: string;
  version: number;
  position: number;
  recorded_at: string;
  digest: string;
  source: string;
  title: string;
  language: string;
  template: string;
  changes: string | null;
}
