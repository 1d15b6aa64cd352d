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
  /** The store's location (`sqlite:<path>`, as --store takes it); default ledger.db in the folder. */
  store?: string;
  /** Follow the log live, as the server does (default), or catch up only when asked, as the CLI does. */
  liveProjections?: boolean;
  clock?: Clock;
  /** The environment loadConfig reads; default none, so the developer's variables never leak in. */
  env?: NodeJS.ProcessEnv;
  /** Settings put over the loaded configuration (a reports folder, a lock wait, a read-model file …). */
  config?: Partial<LedgerConfig>;
}

/**
 * The production application, as `serve` builds it (AppModule through createServer, no module,
 * command or projection list replaced), initialised over an embedded store in a temporary folder.
 */
export async function bootTestApp(options: BootOptions = {}): Promise<TestApp> {
  const own = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'ledger-test-'));
  const loaded = loadConfig({ store: options.store ?? `sqlite:${join(directory, 'ledger.db')}`, liveProjections: options.liveProjections ?? true }, options.env ?? {});
  const config: LedgerConfig = { ...loaded, ...options.config, ...(options.clock ? { clock: options.clock } : {}) };
  const app = await createServer(config, false);
  try {
    await app.init();
  } catch (error) {
    // A refused start (a store that cannot serve) still releases what it opened.
    await app.close();
    throw error;
  }
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
