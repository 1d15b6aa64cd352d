import Database from 'better-sqlite3';

/** Holds the write lock of a SQLite file (BEGIN IMMEDIATE) from another process until killed; says "locked" once it holds it. */
const db = new Database(process.argv[2]);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
// The interval keeps the connection reachable: a collected connection would be closed, and its lock released.
setInterval(() => db.inTransaction, 60_000);
