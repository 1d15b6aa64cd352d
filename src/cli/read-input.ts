import { readFileSync } from 'node:fs';
import { UsageError } from './command';

/** Reads a file named on the command line as UTF-8; a missing or unreadable file is a usage error. */
export function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
