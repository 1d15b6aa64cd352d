import { join, resolve } from 'node:path';
import { loadConfig, templatesDir } from '../../../src/config';

/** The environment is read in one place: every variable parsed once, a bad one refused at start-up by name. */
describe('loadConfig', () => {
  const load = (env: NodeJS.ProcessEnv, options: { port?: string } = {}) => loadConfig({ store: 'sqlite:/tmp/x/ledger.db', liveProjections: true, ...options }, env);

  it('gives the defaults for an empty environment', () => {
    expect(load({})).toMatchObject({
      port: 3000,
      readModelsPath: '/tmp/x/ledger.read-models.db',
      reportsDir: '/tmp/x/reports',
      bodyLimits: { json: 1024 * 1024, workbook: 8 * 1024 * 1024 },
      access: { rateLimit: { perSecond: 100, burst: 200 }, session: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 }, tokenDays: 90 },
      scheduleIntervalMs: 60_000,
    });
  });

  it('reads every variable', () => {
    const config = load({
      PORT: '8080',
      LEDGER_READ_MODELS: '/srv/rm.db',
      LEDGER_REPORTS_DIR: '/srv/reports',
      LEDGER_MAX_EVENT_BYTES: '2048',
      LEDGER_LOCK_WAIT_MS: '0',
      LEDGER_MAX_BODY_BYTES: '4096',
      LEDGER_MAX_WORKBOOK_BYTES: '65536',
      LEDGER_RATE_LIMIT_PER_SEC: '0',
      LEDGER_RATE_LIMIT_BURST: '5',
      LEDGER_SESSION_IDLE_MINUTES: '5',
      LEDGER_SESSION_MAX_HOURS: '1',
      LEDGER_TOKEN_DAYS: '7',
      LEDGER_SCHEDULE_INTERVAL_MS: '0',
    });
    expect(config).toMatchObject({
      port: 8080,
      readModelsPath: '/srv/rm.db',
      reportsDir: '/srv/reports',
      maxEventBytes: 2048,
      lockWaitMs: 0,
      bodyLimits: { json: 4096, workbook: 65536 },
      access: { rateLimit: { perSecond: 0, burst: 5 }, session: { idleMs: 5 * 60_000, absoluteMs: 3_600_000 }, tokenDays: 7 },
      scheduleIntervalMs: 0,
    });
  });

  it('reads the locale for the CLI: LC_ALL before LANG, none when it is not one of ours', () => {
    expect(load({ LANG: 'zh_CN.UTF-8' }).lang).toBe('zh');
    expect(load({ LANG: 'zh_CN.UTF-8', LC_ALL: 'vi_VN' }).lang).toBe('vi');
    expect(load({ LANG: 'de_DE.UTF-8' }).lang).toBeUndefined();
    expect(() => load({ LANG: 'zh_CN.UTF-8', PORT: 'x' })).toThrow(expect.objectContaining({ name: 'ConfigError', lang: 'zh' }));
  });

  it('settles the templates folder from LEDGER_TEMPLATES_DIR, and refuses one without programmes and reports', () => {
    const shipped = resolve('templates');
    load({ LEDGER_TEMPLATES_DIR: `${shipped}/./` });
    expect(templatesDir()).toBe(shipped);
    expect(() => load({ LEDGER_TEMPLATES_DIR: join(shipped, 'reports') })).toThrow(`LEDGER_TEMPLATES_DIR: ${join(shipped, 'reports')} has no programmes or reports folder`);
    expect(templatesDir()).toBe(shipped);
    load({});
    expect(templatesDir()).toBe(shipped);
  });

  it('lets --port win over PORT', () => {
    expect(load({ PORT: '8080' }, { port: '9090' }).port).toBe(9090);
  });

  it.each([
    ['LEDGER_SCHEDULE_INTERVAL_MS', 'soon', 'LEDGER_SCHEDULE_INTERVAL_MS: "soon" must be a whole number of at least 0'],
    ['LEDGER_SCHEDULE_INTERVAL_MS', '1.5', 'LEDGER_SCHEDULE_INTERVAL_MS: "1.5" must be a whole number of at least 0'],
    ['PORT', '70000', 'PORT: "70000" must be a whole number of at least 0 and at most 65535'],
    ['LEDGER_MAX_EVENT_BYTES', '0', 'LEDGER_MAX_EVENT_BYTES: "0" must be a whole number of at least 1'],
    ['LEDGER_LOCK_WAIT_MS', '-1', 'LEDGER_LOCK_WAIT_MS: "-1" must be a whole number of at least 0'],
    ['LEDGER_MAX_WORKBOOK_BYTES', '8MB', 'LEDGER_MAX_WORKBOOK_BYTES: "8MB" must be a whole number of at least 1'],
    ['LEDGER_RATE_LIMIT_BURST', '0', 'LEDGER_RATE_LIMIT_BURST: "0" must be a whole number of at least 1'],
    ['LEDGER_READ_MODELS', ' ', 'LEDGER_READ_MODELS: must be a path, not blank'],
    ['LEDGER_STORE', 'mysql://x', 'LEDGER_STORE: "mysql://x" is neither sqlite:<path> nor an EventStoreDB connection string (esdb://host:2113?tls=false)'],
  ])('refuses %s=%j naming the variable', (name, value, message) => {
    expect(() => loadConfig({ liveProjections: true }, { [name]: value })).toThrow(message);
  });
});
