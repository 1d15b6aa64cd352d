import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { systemContext } from '../../src/event-sourcing/request-context';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { registerShippedProgrammes } from '../../src/programmes/shipped-programmes';
import { bootTestApp, type BootOptions } from '../support/boot-test-app';
import { cli } from '../support/cli-in-process';
import { neaStore, progressFile, progressLine } from '../support/nea-store';
import { exited, runCliProcess, spawnScript } from '../support/run-cli-process';
import { sizeLimitedDir } from '../support/size-limited-dir';
import { newEvent } from '../support/streams';
import { tempStore } from '../support/temp-store';

/**
 * The store failing under the service and the CLI, on real files and real processes: a lock held
 * by another process, a read-only file, a full disk, kill -9 during `submit` and `import`, and a
 * file submitted while 16 HTTP clients write. Each answer is named (503 with Retry-After, exit 3),
 * nothing acknowledged is lost, and nothing is half-done.
 */

const NOBODY = { uid: 65534, gid: 65534 };

/** The events of a log file, read over a connection of its own (0 while another process has not yet created the table). */
const countEvents = (path: string, where = '1 = 1') => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM events WHERE ${where}`).get() as { n: number }).n;
  } catch (error) {
    if (/no such table/.test((error as Error).message)) return 0;
    throw error;
  } finally {
    db.close();
  }
};

const eventIds = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
};

async function server(options: BootOptions): Promise<{ app: INestApplication; http: ReturnType<typeof request> }> {
  const { app } = await bootTestApp(options);
  return { app, http: request(app.getHttpServer()) as unknown as ReturnType<typeof request> };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before a line: ${text}`)));
  });
}

/** Polls a condition on files another process writes (not a projection: there is nothing to wait on but the file). */
async function until(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('a lock held by another process', () => {
  it('writes wait without freezing the service, then 503 with Retry-After; the same key meanwhile is 409; the CLI exits 3; after the lock, the retry appends', async () => {
    const { directory, path, store, token } = await neaStore();
    const { app, http } = await server({ directory, config: { lockWaitMs: 3000 } });
    const holder = spawnScript('tests/support/hold-lock.ts', [path]);
    try {
      expect(await firstLine(holder)).toBe('locked');
      const before = countEvents(path);
      const post = () => http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'during-lock').send(progressLine('gd-grid', 'locked'));
      const started = Date.now();
      const waiting = post().then((r) => r);
      const healthStarted = Date.now();
      await http.get('/health').expect(200);
      expect(Date.now() - healthStarted).toBeLessThan(1000);
      const again = await post().expect(409);
      expect(again.body.problems[0]).toMatchObject({ field: 'Idempotency-Key', reason: expect.stringMatching(/still being processed/) });
      const first = await waiting;
      expect(first.status).toBe(503);
      expect(first.headers['retry-after']).toBe('1');
      expect(first.body).toMatchObject({ error: 'store-unavailable', problems: [{ reason: expect.stringMatching(/locked by another writer/) }] });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);

      process.env.LEDGER_LOCK_WAIT_MS = '300';
      const submitted = await cli(store, 'submit', progressFile(directory, 3, 'locked'));
      delete process.env.LEDGER_LOCK_WAIT_MS;
      expect(submitted.code).toBe(3);
      expect(submitted.err.join('\n')).toMatch(/locked by another writer/);
      expect(countEvents(path)).toBe(before);

      holder.kill('SIGKILL');
      await exited(holder);
      // The 503 freed the key: the retry runs and appends once.
      await post().expect(201);
      expect(countEvents(path)).toBe(before + 1);
    } finally {
      delete process.env.LEDGER_LOCK_WAIT_MS;
      holder.kill('SIGKILL');
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a read-only log file', () => {
  it('the service (run as a user who may not write it) answers /health and writes 503 with Retry-After; verify exits 0', async () => {
    const { directory, path, store, token } = await neaStore();
    // Every shipped programme registered now, so that serving appends nothing at start.
    const { app } = await server({ directory, liveProjections: false });
    await registerShippedProgrammes(app.get(CommandBus), app.get<EventStore>(EVENT_STORE), systemContext('test'));
    await app.close();
    for (const file of readdirSync(directory)) chownSync(join(directory, file), NOBODY.uid, NOBODY.gid);
    chownSync(path, 0, 0);
    chmodSync(path, 0o444);
    const before = countEvents(path);

    const verified = runCliProcess(['verify', '--store', store], {}, NOBODY);
    expect(verified.stderr).toBe('');
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/^intact: /) });
    const port = await freePort();
    const serving = spawnScript('src/cli.ts', ['serve', '--port', String(port), '--store', store], { ...NOBODY, env: { LEDGER_SCHEDULE_INTERVAL_MS: '0' } });
    try {
      await firstListening(serving);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toBe('30');
      // The public learns up or down only; the fault is for operators (GET /api/health).
      expect(await health.json()).toEqual({ status: 'degraded', store: 'unavailable' });
      const posted = await fetch(`http://127.0.0.1:${port}/api/ledgers/gd-2021/submissions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(progressLine('gd-grid', 'read-only')),
      });
      expect(posted.status).toBe(503);
      expect(posted.headers.get('retry-after')).toBe('30');
      expect(JSON.stringify(await posted.json())).not.toContain(directory);
    } finally {
      serving.kill('SIGKILL');
      await exited(serving);
    }
    expect(countEvents(path)).toBe(before);
    rmSync(directory, { recursive: true, force: true });
  }, 120_000);
});

/** Resolves once `serve` logs (on stderr) that it listens. */
function firstListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('"listening"')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
  });
}

describe('a full disk', () => {
  it('writes answer 503 with Retry-After and /health says degraded; every acknowledged event stays; freeing space heals it', async () => {
    const small = sizeLimitedDir(4 * 1024 * 1024);
    // The machine must allow a size-limited file system (tmpfs, as root): without it this test cannot show a full disk.
    expect(small).not.toBeNull();
    const { directory: logDir, dispose } = small!;
    const readModels = join(logDir, '..', `${logDir.split('/').pop()}-read-models.db`);
    process.env.LEDGER_READ_MODELS = readModels;
    const { path, store, token } = await neaStore(logDir);
    delete process.env.LEDGER_READ_MODELS;
    const { app, http } = await server({ directory: logDir, config: { readModelsPath: readModels } });
    const filler = join(logDir, 'filler');
    try {
      const { bavail, bsize } = statfsSync(logDir);
      writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 48 * 1024)));
      const acknowledged: string[] = [];
      let refused: request.Response | null = null;
      for (let n = 0; n < 400 && !refused; n++) {
        const response = await http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${token}`).send(progressLine('gd-grid', `full ${n} ${'填'.repeat(300)}`));
        if (response.status === 201) acknowledged.push(response.body.eventId);
        else refused = response;
      }
      expect(refused).not.toBeNull();
      expect(refused!.status).toBe(503);
      expect(refused!.headers['retry-after']).toBe('30');
      expect(refused!.body).toMatchObject({ error: 'store-unavailable', problems: [{ reason: expect.stringMatching(/disk of the store is full/) }] });
      const degraded = await http.get('/health').expect(503);
      expect(degraded.body).toEqual({ status: 'degraded', store: 'unavailable' });
      const details = await http.get('/api/health').set('Authorization', `Bearer ${token}`).expect(503);
      expect(details.body).toMatchObject({ status: 'degraded', store: 'unavailable', fault: 'full' });

      rmSync(filler);
      const healed = await http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${token}`).send(progressLine('gd-grid', 'after')).expect(201);
      acknowledged.push(healed.body.eventId);
      await http.get('/health').expect(200);
      const ids = eventIds(path);
      expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
      expect((await cli(store, 'verify')).code).toBe(0);
    } finally {
      await app.close();
      rmSync(readModels, { force: true });
      rmSync(`${readModels}-wal`, { force: true });
      rmSync(`${readModels}-shm`, { force: true });
      dispose();
    }
  }, 60_000);
});

describe('kill -9', () => {
  it('during submit: the file is in the log whole or not at all; submitting it again completes it once', async () => {
    const { directory, path, store } = await neaStore();
    const file = progressFile(directory, 8000, 'killed');
    const submitting = spawnScript('src/cli.ts', ['submit', file, '--store', store]);
    const wal = `${path}-wal`;
    // Killed once the append has written part of its transaction (the log's WAL grows), or when it ends.
    await until(() => submitting.exitCode !== null || (existsSync(wal) && statSync(wal).size > 512 * 1024), 60_000);
    submitting.kill('SIGKILL');
    await exited(submitting);
    const progress = "type = 'ProgressReported'";
    expect([0, 8000]).toContain(countEvents(path, progress));
    const again = await cli(store, 'submit', file);
    expect(again.code).toBe(0);
    expect(countEvents(path, progress)).toBe(8000);
    const thrice = await cli(store, 'submit', file);
    expect(thrice.stdout).toMatch(/^appended 0 events from 8000 lines .*\(8000 already appended, skipped\)/);
    expect((await cli(store, 'verify')).code).toBe(0);
    rmSync(directory, { recursive: true, force: true });
  }, 90_000);

  it('during import: the store says so (verify exits 1, the service and the CLI refuse it), and importing the same file again finishes it', async () => {
    const source = tempStore();
    for (let n = 0; n < 300; n++) await appendChained(source.store, `unit-s${n % 7}`, Array.from({ length: 10 }, () => newEvent('Imported', { n })), 'any');
    const file = join(source.directory, 'log.ndjson');
    expect((await cli(`sqlite:${source.path}`, 'export', file)).code).toBe(0);
    const digest = (await cli(`sqlite:${source.path}`, 'verify')).stdout.match(/sha256:[0-9a-f]{64}/)![0];
    const target = join(source.directory, 'target.db');
    const importing = spawnScript('src/cli.ts', ['import', file, '--batch', '10', '--store', `sqlite:${target}`]);
    await until(() => importing.exitCode !== null || (existsSync(target) && countEvents(target) > 0), 60_000);
    importing.kill('SIGKILL');
    await exited(importing);
    const loaded = countEvents(target);
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(3000);

    const verified = await cli(`sqlite:${target}`, 'verify');
    expect(verified.code).toBe(1);
    expect(verified.err.join('\n')).toMatch(/unfinished import/);
    const status = await cli(`sqlite:${target}`, 'stats');
    expect(status.code).toBe(3);
    await expect(bootTestApp({ directory: dirname(target), store: `sqlite:${target}` })).rejects.toThrow(/unfinished import/);

    const resumed = await cli(`sqlite:${target}`, 'import', file);
    expect(resumed.err).toEqual([]);
    expect(resumed.stdout).toMatch(new RegExp(`^imported ${3000 - loaded} events .*resumed after the ${loaded} events`));
    const whole = await cli(`sqlite:${target}`, 'verify');
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain(digest);
    await source.dispose();
  }, 90_000);
});

describe('one write path under concurrency', () => {
  it('a CLI file submitted while 16 HTTP clients write, then the same file again: the log grows by the file once plus the 201s', async () => {
    const { directory, path, store, token } = await neaStore();
    const { app, http } = await server({ directory });
    try {
      // Only the submissions: the live scheduler may meanwhile record back-filled reports of the ledger.
      const submissions = "type = 'ProgressReported'";
      const before = countEvents(path, submissions);
      const file = progressFile(directory, 2000, 'concurrent');
      const submitting = spawnScript('src/cli.ts', ['submit', file, '--store', store]);
      const done = exited(submitting);
      let running = true;
      void done.then(() => (running = false));
      const statuses: number[] = [];
      await Promise.all(
        Array.from({ length: 16 }, async (_, client) => {
          for (let n = 0; running || n < 3; n++) {
            const response = await http.post('/api/ledgers/gd-2021/submissions').set('Authorization', `Bearer ${token}`).send(progressLine(client % 2 ? 'gz-grid' : 'gd-grid', `client ${client} #${n}`));
            statuses.push(response.status);
          }
        }),
      );
      expect(await done).toBe(0);
      // 409 is the contract's answer when two writers of one unit's stream race (optimistic concurrency; the client retries); never a 5xx.
      expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
      const created = statuses.filter((s) => s === 201).length;
      expect(created).toBeGreaterThan(16);
      const again = await cli(store, 'submit', file);
      expect(again.stdout).toMatch(/^appended 0 events from 2000 lines .*\(2000 already appended, skipped\)/);
      expect(countEvents(path, submissions) - before).toBe(2000 + created);
      expect((await cli(store, 'verify')).code).toBe(0);
    } finally {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 90_000);
});
