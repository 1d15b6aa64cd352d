import 'reflect-metadata';
import { runCli } from './cli/run-cli';

/** `npm run ledger -- <command>`: the operators' CLI. */
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
