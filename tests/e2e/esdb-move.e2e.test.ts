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
    delete process.env.LEDGER_READ_MODELS;
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

  it('SQLite → EventStoreDB → SQLite keeps every event and the log digest, across an interrupted import and a stream over MaxAppendSize', async () => {
    const source = await neaStore();
    directory = source.directory;
    expect((await cli(source.store, 'submit', progressFile(directory, 40, 'move'))).code).toBe(0);
    // One stream of 24 events of 60 KiB: 1.4 MB, over the server's 1 MiB MaxAppendSize as a single run.
    const embedded = new SqliteEventStore(source.path);
    for (let n = 0; n < 24; n++) await appendChained(embedded, 'unit-attachments', [newEvent('AttachmentRecorded', { text: 'x'.repeat(60 * 1024), n })], 'any');
    await embedded.close();
    const digest = (await cli(source.store, 'verify')).stdout.match(/sha256:[0-9a-f]{64}/)![0];

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

    const back = join(directory, 'from-esdb.ndjson');
    expect((await cli(esdb, 'export', back)).code).toBe(0);
    expect(withoutPositions(back)).toEqual(withoutPositions(exported));
    process.env.LEDGER_READ_MODELS = join(directory, 'back.read-models.db');
    const target = `sqlite:${join(directory, 'back.db')}`;
    expect((await cli(target, 'import', back)).err).toEqual([]);
    expect((await cli(target, 'verify')).stdout).toContain(digest);
  }, 120_000);
});
