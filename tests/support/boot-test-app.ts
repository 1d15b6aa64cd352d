import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LedgerConfig } from '../../src/config';
import type { Clock } from '../../src/event-sourcing/clock';
import { createServer } from '../../src/server';

export interface TestApp {
  app: INestApplication;
  config: LedgerConfig;
  /** The temporary folder of the store, removed by close() unless the caller gave its own. */
  directory: string;
  close(): Promise<void>;
}

export interface BootOptions {
  /** The store's folder (ledger.db in it); default a fresh temporary one. */
  directory?: string;
  /** Follow the log live, as the server does (default), or catch up only when asked, as the CLI does. */
  liveProjections?: boolean;
  clock?: Clock;
  /** The environment loadConfig reads; default none, so the developer's variables never leak in. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The production application, as `serve` builds it (AppModule through createServer, no module,
 * command or projection list replaced), initialised over an embedded store in a temporary folder.
 */
export async function bootTestApp(options: BootOptions = {}): Promise<TestApp> {
  const own = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'ledger-test-'));
  const loaded = loadConfig({ store: `sqlite:${join(directory, 'ledger.db')}`, liveProjections: options.liveProjections ?? true }, options.env ?? {});
  const config = options.clock ? { ...loaded, clock: options.clock } : loaded;
  const app = await createServer(config, false);
  await app.init();
  return {
    app,
    config,
    directory,
    async close() {
      await app.close();
      if (own) rmSync(directory, { recursive: true, force: true });
    },
  };
}
