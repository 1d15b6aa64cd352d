import { canonicalJson } from '../src/event-sourcing/canonical-json';
import type { Projection } from './projection';

/**
 * Each person's name and grants over time, a row per version with the log position and time from
 * which it held and at which it was superseded: a report as of a past moment names people as they
 * were then (people_v1 holds only the account as it stands).
 */
export const personNamesProjection: Projection = {
  name: 'person-names',
  version: 1,
  handles: ['PersonCreated', 'PersonDetailsChanged', 'PersonGrantsChanged'],
  tables: ['person_names_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS person_names_v1 (
      login TEXT NOT NULL,
      name TEXT NOT NULL,
      grants TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      superseded_position INTEGER,
      superseded_at TEXT,
      PRIMARY KEY (login, position)
    )`,
  ],
  apply(event, tables) {
    const data = event.data as { login: string; name?: string; grants?: unknown };
    const current = tables.get<{ name: string; grants: string }>('SELECT name, grants FROM person_names_v1 WHERE login = ? AND superseded_position IS NULL', data.login);
    if (event.type !== 'PersonCreated' && !current) return;
    const name = event.type === 'PersonGrantsChanged' ? current!.name : String(data.name);
    // Canonical text, so a live event (keys as sent) and the same event replayed (keys as stored) compare equal.
    const grants = event.type === 'PersonDetailsChanged' ? current!.grants : canonicalJson(data.grants);
    if (current && current.name === name && current.grants === grants) return;
    tables.run('UPDATE person_names_v1 SET superseded_position = ?, superseded_at = ? WHERE login = ? AND superseded_position IS NULL', event.position, event.recordedAt, data.login);
    tables.run('INSERT INTO person_names_v1 (login, name, grants, position, recorded_at) VALUES (?, ?, ?, ?, ?)', data.login, name, grants, event.position, event.recordedAt);
  },
};
