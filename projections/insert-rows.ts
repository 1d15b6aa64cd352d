import type { ReadModelTables } from './projection';

/** Rows per INSERT statement: few statements per batch, well under SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 64;

/**
 * Inserts rows (each its values in `columns` order) with multi-row INSERTs of a fixed size, so a
 * batch costs a statement call per 64 rows instead of one per row and reuses two prepared statements.
 * A statement's values go as one array (better-sqlite3 binds an array's items in order), not as
 * hundreds of spread arguments.
 */
export function insertRows(tables: ReadModelTables, table: string, columns: readonly string[], rows: readonly unknown[][]): void {
  const one = `(${columns.map(() => '?').join(', ')})`;
  const sql = (count: number) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => one).join(', ')}`;
  let start = 0;
  if (rows.length >= ROWS_PER_STATEMENT) {
    const full = sql(ROWS_PER_STATEMENT);
    const values = new Array<unknown>(ROWS_PER_STATEMENT * columns.length);
    for (; start + ROWS_PER_STATEMENT <= rows.length; start += ROWS_PER_STATEMENT) {
      let at = 0;
      for (let row = start; row < start + ROWS_PER_STATEMENT; row++) for (const value of rows[row]) values[at++] = value;
      tables.run(full, values);
    }
  }
  if (start === rows.length) return;
  const single = sql(1);
  for (; start < rows.length; start++) tables.run(single, rows[start]);
}
