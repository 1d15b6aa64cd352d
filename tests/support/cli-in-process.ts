import { runCli } from '../../src/cli/run-cli';

/** Runs the CLI in this process against a store, capturing its output lines. */
export async function cli(store: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--store', store], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err, stdout: out.join('\n') };
}
