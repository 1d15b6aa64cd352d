import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/commands';
import { freePort } from '../support/free-port';

/**
 * The compiled build as it ships: `npm run build:if-stale` (what `npm start` does first), then
 * dist/src/main.js and dist/src/cli.js run by plain node, from another working directory, the
 * templates found through LEDGER_TEMPLATES_DIR alone.
 */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');

describe('the compiled service (dist/), as a process', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-dist-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  const env = { ...process.env, LEDGER_STORE: store, LEDGER_TEMPLATES_DIR: join(ROOT, 'templates'), LEDGER_SCHEDULE_INTERVAL_MS: '0' };
  const node = (script: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [script, ...args], { cwd: directory, env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });

  beforeAll(() => {
    // Compiling takes 10–40 s on a loaded machine; nothing when dist/ is newer than every source file.
    const build = spawnSync('npm', ['run', 'build:if-stale'], { cwd: ROOT, encoding: 'utf8', timeout: 150_000 });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  }, 160_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('serves /health, the OpenAPI description and the web application, registers the shipped programmes, and stops on SIGTERM', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, [MAIN], { cwd: directory, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const listening = new Promise<void>((resolve, reject) => {
      const look = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('"message":"listening"')) resolve();
      };
      server.stdout.on('data', look);
      server.stderr.on('data', look);
      server.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${log}`)));
    });
    try {
      await listening;
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const document = (await (await fetch(`http://127.0.0.1:${port}/api/docs/json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths)).toContain('/api/ledgers/{ledgerId}/workbooks/{unitId}');
      const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`);
      expect(signIn.status).toBe(200);
      expect(await signIn.text()).toContain('<form');
      const font = await fetch(`http://127.0.0.1:${port}/assets/fonts/noto-sans-sc-700.ttf`);
      expect(font.status).toBe(200);
      expect((await font.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
      expect(log.match(/registered shipped programme/g)).toHaveLength(5);
    } finally {
      server.kill('SIGTERM');
      const [code, signal] = await once(server, 'exit');
      expect(code === 0 || signal === 'SIGTERM').toBe(true);
    }
    // The compiled CLI over the same file: the programmes the server registered, the log intact.
    const listed = node(CLI, ['programme', 'list', '--json']);
    expect(listed.status).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((p) => p.id)).toEqual(['angiang-ocop-2022', 'camau-ocop-2022', 'cnipa-2021-2022', 'dongthap-ocop-2026-2030', 'nea-2021-37']);
    expect(node(CLI, ['verify']).status).toBe(0);
  }, 90_000);

  it('lists every command in --help', () => {
    const help = node(CLI, ['--help']);
    expect(help.status).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(`  ${command.name} `);
  });

  it('stops at start-up naming a bad variable, and a templates folder it cannot find', () => {
    const interval = node(MAIN, [], { LEDGER_SCHEDULE_INTERVAL_MS: 'often' });
    expect(interval.status).toBe(1);
    expect(interval.stderr).toContain('LEDGER_SCHEDULE_INTERVAL_MS: "often" must be a whole number of at least 0');
    const templates = node(MAIN, [], { LEDGER_TEMPLATES_DIR: '' });
    expect(templates.status).toBe(1);
    expect(templates.stderr).toContain(`LEDGER_TEMPLATES_DIR: ${join(directory, 'templates')} has no programmes or reports folder`);
  });
});
