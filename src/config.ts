import { basename, dirname, join } from 'node:path';
import type { Clock } from './event-sourcing/clock';

/** Where the log lives: the embedded file or an EventStoreDB connection string. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'esdb'; connectionString: string };

export interface LedgerConfig {
  store: StoreLocation;
  /** The SQLite file of read models and projection checkpoints. */
  readModelsPath: string;
  /** Follow the log live (the server) or only catch up when asked (CLI commands). */
  liveProjections: boolean;
  maxEventBytes?: number;
  /** How long a write waits for a store locked by another writer before it is answered 503 / exit 3 (LEDGER_LOCK_WAIT_MS; default 5000). */
  lockWaitMs?: number;
  /** Where generated report files are kept (LEDGER_REPORTS_DIR; default beside the read models: ./data/reports). */
  reportsDir: string;
  /** Where "now" comes from (tests and replays inject a fixed clock). */
  clock?: Clock;
  /** The checkpoint signing key, origin and kept checkpoints; defaults beside the log (evidenceSettings). */
  evidence?: Partial<EvidenceSettings>;
}

export interface EvidenceSettings {
  /** The Ed25519 key that signs checkpoints (LEDGER_CHECKPOINT_KEY; default checkpoint-key.pem beside the log), outside the store; `:memory:` (an in-memory log's): a key of the process only. */
  keyPath: string;
  /** The log's origin line and key name (LEDGER_ORIGIN; default compliance-ledger/<log file name>). */
  origin: string;
  /** Where signed checkpoints are kept (LEDGER_CHECKPOINTS_DIR; default checkpoints/ beside the log); `:memory:`: nowhere. */
  checkpointsDir: string;
  /** How often the server signs a checkpoint of a log that grew (LEDGER_CHECKPOINT_INTERVAL_MS; default 600000; 0: never). */
  intervalMs: number;
}

/** The evidence settings, each defaulting to a place beside the embedded log (./data for EventStoreDB). */
export function evidenceSettings(config: LedgerConfig): EvidenceSettings {
  const { store } = config;
  const memory = store.kind === 'sqlite' && store.path === ':memory:';
  const dir = store.kind === 'sqlite' && !memory ? dirname(store.path) : 'data';
  const name = store.kind === 'sqlite' && store.path !== ':memory:' ? basename(store.path).replace(/\.db$/, '') : 'ledger';
  return {
    keyPath: config.evidence?.keyPath ?? (memory ? ':memory:' : join(dir, 'checkpoint-key.pem')),
    origin: config.evidence?.origin ?? `compliance-ledger/${name.replace(/[\s+]/g, '_') || 'ledger'}`,
    checkpointsDir: config.evidence?.checkpointsDir ?? (memory ? ':memory:' : join(dir, 'checkpoints')),
    intervalMs: config.evidence?.intervalMs ?? 600_000,
  };
}

export const DEFAULT_STORE = 'sqlite:./data/ledger.db';

/** Parses `--store` / LEDGER_STORE: `sqlite:<path>` or an EventStoreDB connection string. */
export function parseStoreUri(uri: string): StoreLocation {
  if (uri.startsWith('sqlite:')) {
    const path = uri.slice('sqlite:'.length);
    if (!path) throw new Error('store: sqlite:<path> needs a path');
    return { kind: 'sqlite', path };
  }
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\//.test(uri)) return { kind: 'esdb', connectionString: uri };
  throw new Error(`store: "${uri}" is neither sqlite:<path> nor an EventStoreDB connection string (esdb://host:2113?tls=false)`);
}

export function describeStore(location: StoreLocation): string {
  return location.kind === 'sqlite' ? `sqlite:${location.path}` : location.connectionString.replace(/\/\/[^@/]*@/, '//***@');
}

/** Read models sit beside the embedded log (`ledger.db` → `ledger.read-models.db`), or in ./data for EventStoreDB. */
export function defaultReadModelsPath(location: StoreLocation): string {
  if (location.kind === 'esdb') return join('data', 'read-models.db');
  if (location.path === ':memory:') return ':memory:';
  const base = location.path.replace(/\.db$/, '');
  return join(dirname(base), `${base.slice(dirname(base).length + 1)}.read-models.db`);
}

export function loadConfig(options: { store?: string; liveProjections: boolean }, env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const store = parseStoreUri(options.store ?? env.LEDGER_STORE ?? DEFAULT_STORE);
  const maxEventBytes = env.LEDGER_MAX_EVENT_BYTES ? Number(env.LEDGER_MAX_EVENT_BYTES) : undefined;
  if (maxEventBytes !== undefined && !(Number.isInteger(maxEventBytes) && maxEventBytes > 0)) {
    throw new Error('LEDGER_MAX_EVENT_BYTES: must be a positive whole number of bytes');
  }
  const lockWaitMs = env.LEDGER_LOCK_WAIT_MS ? Number(env.LEDGER_LOCK_WAIT_MS) : undefined;
  if (lockWaitMs !== undefined && !(Number.isInteger(lockWaitMs) && lockWaitMs >= 0)) throw new Error('LEDGER_LOCK_WAIT_MS: must be a whole number of milliseconds');
  return {
    store,
    lockWaitMs,
    readModelsPath: env.LEDGER_READ_MODELS ?? defaultReadModelsPath(store),
    reportsDir: env.LEDGER_REPORTS_DIR ?? join(store.kind === 'sqlite' && store.path !== ':memory:' ? dirname(store.path) : 'data', 'reports'),
    liveProjections: options.liveProjections,
    maxEventBytes,
    evidence: evidenceFromEnv(env),
  };
}

function evidenceFromEnv(env: NodeJS.ProcessEnv): Partial<EvidenceSettings> {
  const evidence: Partial<EvidenceSettings> = {};
  if (env.LEDGER_CHECKPOINT_KEY) evidence.keyPath = env.LEDGER_CHECKPOINT_KEY;
  if (env.LEDGER_CHECKPOINTS_DIR) evidence.checkpointsDir = env.LEDGER_CHECKPOINTS_DIR;
  if (env.LEDGER_ORIGIN) {
    if (!/^[^\s+]+$/u.test(env.LEDGER_ORIGIN)) throw new Error('LEDGER_ORIGIN: must have no spaces and no "+" (it names the signing key too)');
    evidence.origin = env.LEDGER_ORIGIN;
  }
  if (env.LEDGER_CHECKPOINT_INTERVAL_MS) {
    const ms = Number(env.LEDGER_CHECKPOINT_INTERVAL_MS);
    if (!(Number.isInteger(ms) && ms >= 0)) throw new Error('LEDGER_CHECKPOINT_INTERVAL_MS: must be a whole number of milliseconds');
    evidence.intervalMs = ms;
  }
  return evidence;
}
