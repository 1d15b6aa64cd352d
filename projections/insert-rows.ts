import type { ReadModelTables } from './projection';

/** Rows per INSERT statement: few statements per batch, well under SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 64;

/**
 * Inserts rows (each its values in `columns` order) with multi-row INSERTs of a fixed size, so a
 * batch costs a statement call per 64 rows instead of one per row and reuses two prepared statements.
 */
export function insertRows(tables: ReadModelTables, table: string, columns: readonly string[], rows: readonly unknown[][]): void {
  const one = `(${columns.map(() => '?').join(', ')})`;
  const sql = (count: number) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => one).join(', ')}`;
  let start = 0;
  if (rows.length >= ROWS_PER_STATEMENT) {
    const full = sql(ROWS_PER_STATEMENT);
    for (; start + ROWS_PER_STATEMENT <= rows.length; start += ROWS_PER_STATEMENT) tables.run(full, ...rows.slice(start, start + ROWS_PER_STATEMENT).flat());
  }
  if (start === rows.length) return;
  const single = sql(1);
  for (; start < rows.length; start++) tables.run(single, ...rows[start]);
}
