import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli-in-process';
import { freePort } from '../support/free-port';
import { spawnScript } from '../support/run-cli-process';

describe('serve (what npm start runs), as a process', () => {
  it('registers the shipped programmes on an empty store, answers /health, and stops on SIGTERM', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-serve-'));
    const port = await freePort();
    const store = `sqlite:${join(directory, 'ledger.db')}`;
    const server = spawnScript('src/cli.ts', ['serve', '--port', String(port), '--store', store]);
    let log = '';
    server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      let health: { status: string } | null = null;
      // Starting the process compiles the whole application: up to a minute on a loaded machine.
      for (const deadline = Date.now() + 60_000; Date.now() < deadline && !health; ) {
        health = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => (r.ok ? (r.json() as Promise<{ status: string }>) : null),
          () => null,
        );
        if (!health) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health).toEqual({ status: 'ok' });
      // The operator's first admin token, created by the CLI while the server runs.
      const created = await cli(store, 'token', 'create', '--unit', 'it-team', '--role', 'admin');
      expect(created.code).toBe(0);
      const get = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: `Bearer ${created.out[0]}` } })).json();
      expect(await get('/api/health')).toMatchObject({ status: 'ok', head: 6 });
      const programmes = (await get('/api/programmes')) as { id: string }[];
      expect(programmes.map((p) => p.id)).toEqual(['angiang-ocop-2022', 'camau-ocop-2022', 'cnipa-2021-2022', 'dongthap-ocop-2026-2030', 'nea-2021-37']);
      expect(log).toMatch(/"message":"listening"/);
    } finally {
      server.kill('SIGTERM');
      const [code, signal] = await once(server, 'exit');
      expect(code === 0 || signal === 'SIGTERM').toBe(true);
      rmSync(directory, { recursive: true, force: true });
    }
  }, 90_000);
});
