import type Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';

/**
 * Server-side sessions, in the read-model database (beside the log, shared by every process on the
 * machine, untouched by rebuilds). The cookie holds a random 32-byte id; only its SHA-256 is kept,
 * so a copy of the database opens no session. A row lives until sign-out, idle expiry or absolute
 * expiry; a password change or reset, or disabling the account, ends the person's sessions.
 */
export interface SessionRow {
  login: string;
  csrf: string;
  password_version: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

/** Seen-at is written at most this often, so that reading pages does not write on every request. */
const TOUCH_EVERY_MS = 30_000;

const hashId = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

export class SessionStore {
  constructor(
    private readonly db: Database.Database,
    readonly limits: SessionLimits,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS sessions (
      id_hash TEXT PRIMARY KEY,
      login TEXT NOT NULL,
      csrf TEXT NOT NULL,
      password_version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`);
    db.exec('CREATE INDEX IF NOT EXISTS sessions_login ON sessions (login)');
  }

  /** Starts a session: the id for the cookie (shown once) and the CSRF token for state-changing requests. */
  start(login: string, passwordVersion: number, now: number): { id: string; csrf: string; expiresAt: number } {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = now + this.limits.absoluteMs;
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?').run(now, now - this.limits.idleMs);
    this.db.prepare('INSERT INTO sessions (id_hash, login, csrf, password_version, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(hashId(id), login, csrf, passwordVersion, now, now, expiresAt);
    return { id, csrf, expiresAt };
  }

  /** The live session of a cookie id, its idle time renewed; null when unknown, signed out or expired. */
  find(id: string, now: number): SessionRow | null {
    const key = hashId(id);
    const row = this.db.prepare('SELECT login, csrf, password_version, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?').get(key) as SessionRow | undefined;
    if (!row) return null;
    if (now >= row.expires_at || now - row.last_seen_at >= this.limits.idleMs) {
      this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(key);
      return null;
    }
    if (now - row.last_seen_at >= TOUCH_EVERY_MS) this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(now, key);
    return row;
  }

  end(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashId(id));
  }

  /** Ends every session of a person (password changed or reset, account disabled); returns how many. */
  endAllOf(login: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE login = ?').run(login).changes;
  }
}
