import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs the real CLI as a separate process (what `npm run ledger --` runs), returning its exit code and output. */
export function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}, as: { uid?: number; gid?: number } = {}) {
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: ROOT,
    ...as,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts a TypeScript script of the project as a child process. */
export function spawnScript(script: string, args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
    env: { ...process.env, ...options.env },
  });
}

/** Resolves with the child's exit code (null when killed by a signal). */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}
