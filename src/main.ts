import 'reflect-metadata';
import { loadConfig } from './config';
import { serve } from './server';

/** `npm start`: the HTTP API on PORT (3000) over LEDGER_STORE (default sqlite:./data/ledger.db). */
async function main(): Promise<void> {
  // A bad variable stops start-up here, one line naming it.
  await serve(loadConfig({ liveProjections: true }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
