import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { cli } from '../support/cli-in-process';
import { EventStoreDbTestDouble } from '../support/esdb-test-double/server';
import { neaStore, progressFile } from '../support/nea-store';
import { newEvent } from '../support/streams';

/**
 * An operator outgrowing one machine: the embedded log exported, imported into the EventStoreDB path (the
 * wire test double, through the real client), verified there, exported again and imported back into SQLite.
 * The log digest survives both moves; positions are each store's own.
 */
describe('moving the log between the embedded store and EventStoreDB', () => {
  let node: EventStoreDbTestDouble;
  let directory: string;
  beforeAll(async () => {
    node = await EventStoreDbTestDouble.start();
  });
  afterAll(async () => {
    for (const name of ['LEDGER_READ_MODELS', 'LEDGER_CHECKPOINT_KEY', 'LEDGER_CHECKPOINTS_DIR', 'LEDGER_ORIGIN']) delete process.env[name];
    await node.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  /** The log lines of an export file without their positions (the one field each store numbers itself). */
  const withoutPositions = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const { position: _position, ...rest } = JSON.parse(line) as Record<string, unknown>;
        return rest;
      });

  it('SQLite → EventStoreDB → SQLite keeps every event, the log digest and the verifiability of a report drawn before the move, across an interrupted import and a stream over MaxAppendSize', async () => {
    const source = await neaStore();
    directory = source.directory;
    expect((await cli(source.store, 'submit', progressFile(directory, 40, 'move'))).code).toBe(0);
    // One stream of 24 events of 60 KiB: 1.4 MB, over the server's 1 MiB MaxAppendSize as a single run.
    const embedded = new SqliteEventStore(source.path);
    for (let n = 0; n < 24; n++) await appendChained(embedded, 'unit-attachments', [newEvent('AttachmentRecorded', { text: 'x'.repeat(60 * 1024), n })], 'any');
    await embedded.close();
    const digest = (await cli(source.store, 'verify')).stdout.match(/sha256:[0-9a-f]{64}/)![0];

    // A regulator's report drawn before the move: it pins the log's tree (size and root), not a store position.
    const report = join(directory, 'task-status.pdf');
    expect((await cli(source.store, 'report', 'gd-2021', 'task-status', '--period', '2021-H1', '--format', 'pdf', '--out', report)).code).toBe(0);
    const key = (await cli(source.store, 'checkpoint', '--public-key')).stdout.trim();
    const verifiesReport = async (store: string) => {
      const checked = await cli(store, 'verify', '--report', report, '--key', key);
      expect(checked.err).toEqual([]);
      expect(checked.stdout).toMatch(/task-status 2021-H1 of gd-2021, as of \S+ \(sha256:[0-9a-f]{64}, tree size \d+ root \S+ signed\); regenerated identically/);
    };
    // The operator moves the signing key and origin with the log (they live outside it).
    process.env.LEDGER_CHECKPOINT_KEY = join(directory, 'checkpoint-key.pem');
    process.env.LEDGER_CHECKPOINTS_DIR = join(directory, 'checkpoints');
    process.env.LEDGER_ORIGIN = 'compliance-ledger/ledger';

    const exported = join(directory, 'from-sqlite.ndjson');
    expect((await cli(source.store, 'export', exported)).code).toBe(0);
    process.env.LEDGER_READ_MODELS = join(directory, 'esdb.read-models.db');
    const esdb = node.connectionString();
    node.failAppendsAfter(3);
    const interrupted = await cli(esdb, 'import', exported);
    expect(interrupted.code).toBe(3);
    expect((await cli(esdb, 'verify')).err.join('\n')).toMatch(/unfinished import/);
    node.resume();
    const resumed = await cli(esdb, 'import', exported);
    expect(resumed.err).toEqual([]);
    expect(resumed.stdout).toMatch(/resumed after the \d+ events an interrupted import had loaded/);
    const verified = await cli(esdb, 'verify');
    expect(verified.err).toEqual([]);
    expect(verified.stdout).toContain(digest);
    await verifiesReport(esdb);

    const back = join(directory, 'from-esdb.ndjson');
    expect((await cli(esdb, 'export', back)).code).toBe(0);
    expect(withoutPositions(back)).toEqual(withoutPositions(exported));
    process.env.LEDGER_READ_MODELS = join(directory, 'back.read-models.db');
    const target = `sqlite:${join(directory, 'back.db')}`;
    expect((await cli(target, 'import', back)).err).toEqual([]);
    expect((await cli(target, 'verify')).stdout).toContain(digest);
    await verifiesReport(target);
  }, 120_000);
});
