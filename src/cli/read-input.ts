import { readFileSync } from 'node:fs';
import { UsageError } from './command';

/** Reads a file named on the command line as UTF-8; a missing or unreadable file is a usage error. */
export function readInput(file: string): string;
export function readInput(file: string, encoding: null): Buffer;
export function readInput(file: string, encoding: 'utf8' | null = 'utf8'): string | Buffer {
  try {
    return encoding ? readFileSync(file, encoding) : readFileSync(file);
  } catch (error) {
    throw UsageError.of('cli.cannotRead', { file, why: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
  }
}
