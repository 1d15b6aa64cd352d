import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The signed checkpoints the ledger has published, one file a tree size (`checkpoint-<size>.txt`)
 * in a directory beside the log: what `verify` compares the log with when no checkpoint is given.
 * Written once (a temporary file renamed into place) and never changed. `:memory:` (an in-memory
 * log's) keeps none.
 */
export class CheckpointFiles {
  constructor(private readonly dir: string) {}

  write(size: number, note: string): string | null {
    if (this.dir === ':memory:') return null;
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, `checkpoint-${size}.txt`);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, note);
    renameSync(temporary, path);
    return path;
  }

  /** The checkpoint of the largest tree, or null when none was written. */
  latest(): { size: number; path: string; note: string } | null {
    if (this.dir === ':memory:') return null;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const sizes = names.map((name) => /^checkpoint-(\d+)\.txt$/.exec(name)).filter((m) => m !== null).map((m) => Number(m[1]));
    if (sizes.length === 0) return null;
    const size = Math.max(...sizes);
    const path = join(this.dir, `checkpoint-${size}.txt`);
    return { size, path, note: readFileSync(path, 'utf8') };
  }
}
