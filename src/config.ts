import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Clock } from './event-sourcing/clock';
import { isLang, type Lang } from './i18n/languages';

/*
 * The one place the environment is read: every variable is parsed and checked here, once, and a bad
 * value stops start-up with an error naming the variable. Everything else receives LedgerConfig.
 */

/** Injection token of the application's LedgerConfig. */
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

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
  /** The HTTP port (PORT, `serve --port`; default 3000). */
  port: number;
  /** Largest request bodies: JSON (LEDGER_MAX_BODY_BYTES) and workbook uploads (LEDGER_MAX_WORKBOOK_BYTES). */
  bodyLimits: BodyLimits;
  /** Rate limit, session lifetimes and token lifetime (LEDGER_RATE_LIMIT_*, LEDGER_SESSION_*, LEDGER_TOKEN_DAYS). */
  access: AccessSettings;
  /** How often the server looks for reports that fell due (LEDGER_SCHEDULE_INTERVAL_MS; 0: never). */
  scheduleIntervalMs: number;
  /** The checkpoint signing key, origin and kept checkpoints; defaults beside the log (evidenceSettings). */
  evidence?: Partial<EvidenceSettings>;
  /** The language of the locale (LC_ALL, else LANG: zh_CN.UTF-8 → zh), when it is one of ours: the CLI speaks it unless --lang says otherwise. */
  lang?: Lang;
}

export interface BodyLimits {
  json: number;
  workbook: number;
}

export interface AccessSettings {
  /** Requests per second per API token (0: no limit) and the burst above it. */
  rateLimit: { perSecond: number; burst: number };
  /** Sessions end after this long without a request, and this long after sign-in whatever happens. */
  session: { idleMs: number; absoluteMs: number };
  /** Lifetime of a new API token when its issuer names none. */
  tokenDays: number;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_WORKBOOK_BYTES = 8 * 1024 * 1024;
export const DEFAULT_SCHEDULE_INTERVAL_MS = 60_000;

/** A whole number from the environment, or the default; anything else stops start-up naming the variable. */
export function wholeNumberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}: "${text}" must be a whole number of at least ${min}${max < Number.MAX_SAFE_INTEGER ? ` and at most ${max}` : ''}`);
  }
  return value;
}

/** LEDGER_MAX_BODY_BYTES (default 1 MiB) and LEDGER_MAX_WORKBOOK_BYTES (default 8 MiB: an .xlsx is zipped XML, larger than JSON). */
export function readBodyLimits(env: NodeJS.ProcessEnv): BodyLimits {
  return {
    json: wholeNumberFromEnv(env, 'LEDGER_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1),
    workbook: wholeNumberFromEnv(env, 'LEDGER_MAX_WORKBOOK_BYTES', DEFAULT_MAX_WORKBOOK_BYTES, 1),
  };
}

/**
 * LEDGER_RATE_LIMIT_PER_SEC (default 100; 0 turns the limit off), LEDGER_RATE_LIMIT_BURST
 * (default 200, at least 1), LEDGER_SESSION_IDLE_MINUTES (30), LEDGER_SESSION_MAX_HOURS (12) and
 * LEDGER_TOKEN_DAYS (90).
 */
export function readAccessSettings(env: NodeJS.ProcessEnv): AccessSettings {
  return {
    rateLimit: { perSecond: wholeNumberFromEnv(env, 'LEDGER_RATE_LIMIT_PER_SEC', 100, 0), burst: wholeNumberFromEnv(env, 'LEDGER_RATE_LIMIT_BURST', 200, 1) },
    session: {
      idleMs: wholeNumberFromEnv(env, 'LEDGER_SESSION_IDLE_MINUTES', 30, 1) * 60_000,
      absoluteMs: wholeNumberFromEnv(env, 'LEDGER_SESSION_MAX_HOURS', 12, 1) * 3_600_000,
    },
    tokenDays: wholeNumberFromEnv(env, 'LEDGER_TOKEN_DAYS', 90, 1),
  };
}

/** A port number (`--port` or PORT): a whole number from 0 to 65535. */
export function parsePort(text: string | undefined, name: string): number {
  return wholeNumberFromEnv({ [name]: text }, name, DEFAULT_PORT, 0, 65535);
}

/** A path from the environment: unset means the default; set, it must not be blank. */
function pathFromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = env[name];
  if (text === undefined) return undefined;
  if (text.trim() === '') throw new Error(`${name}: must be a path, not blank`);
  return text;
}

/**
 * The shipped programme templates, report layouts and samples (LEDGER_TEMPLATES_DIR; default
 * ./templates of the working directory, which `npm start`, `npm run ledger` and the container's
 * WORKDIR all are). loadConfig reads and checks the variable and settles the folder for the process;
 * before it runs (unit tests, tools) it is ./templates.
 */
let templatesFolder = resolve('templates');

export function templatesDir(): string {
  return templatesFolder;
}

function checkTemplatesDir(dir: string): void {
  const missing = ['programmes', 'reports'].filter((sub) => !existsSync(join(dir, sub)));
  if (missing.length > 0) {
    throw new Error(`LEDGER_TEMPLATES_DIR: ${dir} has no ${missing.join(' or ')} folder (run from the project folder, or set LEDGER_TEMPLATES_DIR to its templates/)`);
  }
}

export interface EvidenceSettings {
  /** The Ed25519 key that signs checkpoints (LEDGER_CHECKPOINT_KEY; default checkpoint-key.pem beside the log), outside the store; `:memory:` (an in-memory log's): a key of the process only. */
  keyPath: string;
  /** The log's origin line and key name (LEDGER_ORIGIN; default compliance-ledger/<log file name>). */
  origin: string;
  /** Where signed checkpoints are kept (LEDGER_CHECKPOINTS_DIR; default <log name>.checkpoints/ beside the log, so two logs in one folder keep theirs apart); `:memory:`: nowhere. */
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
    checkpointsDir: config.evidence?.checkpointsDir ?? (memory ? ':memory:' : join(dir, `${name}.checkpoints`)),
    intervalMs: config.evidence?.intervalMs ?? 600_000,
  };
}

export const DEFAULT_STORE = 'sqlite:./data/ledger.db';

/** Parses `--store` / LEDGER_STORE: `sqlite:<path>` or an EventStoreDB connection string. */
export function parseStoreUri(uri: string, name = 'store'): StoreLocation {
  if (uri.startsWith('sqlite:')) {
    const path = uri.slice('sqlite:'.length);
    if (!path) throw new Error(`${name}: sqlite:<path> needs a path`);
    return { kind: 'sqlite', path };
  }
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\//.test(uri)) return { kind: 'esdb', connectionString: uri };
  throw new Error(`${name}: "${uri}" is neither sqlite:<path> nor an EventStoreDB connection string (esdb://host:2113?tls=false)`);
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

/** The configuration of a server or CLI run: options given on the command line first, then the environment, then the defaults. */
export function loadConfig(options: { store?: string; port?: string; liveProjections: boolean }, env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const lang = localeLang(env);
  try {
    return readConfig(options, env, lang);
  } catch (error) {
    throw new ConfigError((error as Error).message, lang);
  }
}

/** A configuration refused at start-up; it still tells the locale's language, so the refusal can be given in it. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly lang: Lang | undefined,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function readConfig(options: Parameters<typeof loadConfig>[0], env: NodeJS.ProcessEnv, lang: Lang | undefined): LedgerConfig {
  const templates = resolve(env.LEDGER_TEMPLATES_DIR || 'templates');
  checkTemplatesDir(templates);
  const store = options.store !== undefined ? parseStoreUri(options.store, '--store') : parseStoreUri(env.LEDGER_STORE || DEFAULT_STORE, 'LEDGER_STORE');
  const maxEventBytes = env.LEDGER_MAX_EVENT_BYTES?.trim() ? wholeNumberFromEnv(env, 'LEDGER_MAX_EVENT_BYTES', 0, 1) : undefined;
  const lockWaitMs = env.LEDGER_LOCK_WAIT_MS?.trim() ? wholeNumberFromEnv(env, 'LEDGER_LOCK_WAIT_MS', 0, 0) : undefined;
  const config: LedgerConfig = {
    store,
    lockWaitMs,
    readModelsPath: pathFromEnv(env, 'LEDGER_READ_MODELS') ?? defaultReadModelsPath(store),
    reportsDir: pathFromEnv(env, 'LEDGER_REPORTS_DIR') ?? join(store.kind === 'sqlite' && store.path !== ':memory:' ? dirname(store.path) : 'data', 'reports'),
    liveProjections: options.liveProjections,
    maxEventBytes,
    port: options.port !== undefined ? parsePort(options.port, '--port') : parsePort(env.PORT, 'PORT'),
    bodyLimits: readBodyLimits(env),
    access: readAccessSettings(env),
    scheduleIntervalMs: wholeNumberFromEnv(env, 'LEDGER_SCHEDULE_INTERVAL_MS', DEFAULT_SCHEDULE_INTERVAL_MS, 0),
    evidence: evidenceFromEnv(env),
    lang,
  };
  templatesFolder = templates;
  return config;
}

function localeLang(env: NodeJS.ProcessEnv): Lang | undefined {
  const locale = (env.LC_ALL || env.LANG || '').toLowerCase().split(/[_.@-]/)[0];
  return isLang(locale) ? locale : undefined;
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
