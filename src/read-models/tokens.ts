/** Injection token of the read-model database (better-sqlite3). */
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
