import type { Projection } from './projection';

/**
 * Every person's account as it stands: name, contact, language, grants, and whether it is disabled.
 * Password hashes are never copied here; sign-in reads the person's own stream.
 */
export const peopleProjection: Projection = {
  name: 'people',
  version: 1,
  handles: ['PersonCreated', 'PersonDetailsChanged', 'PersonGrantsChanged', 'PersonDisabled', 'PersonEnabled', 'PersonPasswordReset', 'PersonPasswordChanged'],
  tables: ['people_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS people_v1 (
      login TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      contact TEXT NOT NULL,
      language TEXT NOT NULL,
      grants TEXT NOT NULL,
      disabled_reason TEXT,
      must_change_password INTEGER NOT NULL,
      created_by TEXT,
      created_at TEXT NOT NULL,
      changed_at TEXT NOT NULL
    )`,
  ],
  apply(event, tables) {
    const data = event.data as Record<string, unknown> & { login: string };
    switch (event.type) {
      case 'PersonCreated':
        tables.run(
          `INSERT INTO people_v1 (login, name, contact, language, grants, disabled_reason, must_change_password, created_by, created_at, changed_at)
           VALUES (?, ?, ?, ?, ?, NULL, 1, ?, ?, ?)`,
          data.login,
          data.name,
          data.contact,
          data.language,
          JSON.stringify(data.grants),
          typeof event.metadata.actor === 'string' ? event.metadata.actor : null,
          event.recordedAt,
          event.recordedAt,
        );
        return;
      case 'PersonDetailsChanged':
        tables.run('UPDATE people_v1 SET name = ?, contact = ?, language = ?, changed_at = ? WHERE login = ?', data.name, data.contact, data.language, event.recordedAt, data.login);
        return;
      case 'PersonGrantsChanged':
        tables.run('UPDATE people_v1 SET grants = ?, changed_at = ? WHERE login = ?', JSON.stringify(data.grants), event.recordedAt, data.login);
        return;
      case 'PersonDisabled':
        tables.run('UPDATE people_v1 SET disabled_reason = ?, changed_at = ? WHERE login = ?', data.reason, event.recordedAt, data.login);
        return;
      case 'PersonEnabled':
        tables.run('UPDATE people_v1 SET disabled_reason = NULL, changed_at = ? WHERE login = ?', event.recordedAt, data.login);
        return;
      case 'PersonPasswordReset':
      case 'PersonPasswordChanged':
        tables.run('UPDATE people_v1 SET must_change_password = ?, changed_at = ? WHERE login = ?', event.type === 'PersonPasswordReset' ? 1 : 0, event.recordedAt, data.login);
        return;
    }
  },
};

export interface PersonRow {
  login: string;
  name: string;
  contact: string;
  language: string;
  grants: string;
  disabled_reason: string | null;
  must_change_password: number;
  created_by: string | null;
  created_at: string;
  changed_at: string;
}
