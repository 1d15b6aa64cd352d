import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory on a file system of its own, `bytes` large: a real full disk (tmpfs mounted here; the
 * tests run as root). Returns null where the machine does not allow mounting.
 */
export function sizeLimitedDir(bytes: number): { directory: string; dispose: () => void } | null {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=1777`, 'tmpfs', directory], { stdio: 'ignore' });
  } catch {
    rmSync(directory, { recursive: true, force: true });
    return null;
  }
  return {
    directory,
    dispose: () => {
      execFileSync('umount', [directory]);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
