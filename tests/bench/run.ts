import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { chainMetadata } from '../../src/event-sourcing/hash-chain';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { EVENT_LOG_SCHEMA } from '../../src/event-store/sqlite/schema';
import { sampleEvent, streamFor } from './sample-events';

/**
 * `npm run bench [-- --json] [-- --events N]`: the engine against the physical limit of this
 * machine (raw better-sqlite3 inserts of the same rows in the same transaction sizes), then the
 * whole-log read and projection catch-up over N events (default 1,000,000) in a separate process.
 */
const args = process.argv.slice(2);
const json = args.includes('--json');
const totalEvents = Number(args[args.indexOf('--events') + 1] || 1_000_000) || 1_000_000;
const log = (line: string) => (json ? undefined : process.stderr.write(`${line}\n`));

function rate(count: number, started: bigint): number {
  return Math.round(count / (Number(process.hrtime.bigint() - started) / 1e9));
}

/** Raw inserts of already-chained rows into the same schema with the same pragmas: no engine at all. */
function rawInserts(path: string, count: number, batch: number): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(EVENT_LOG_SCHEMA);
  const insert = db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const revisions = new Map<string, number>();
  const rows = Array.from({ length: count }, (_, n) => {
    const event = sampleEvent(n);
    const stream = streamFor(n);
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    const metadata = chainMetadata(event, stream, revision, 'f'.repeat(64));
    return [event.id, stream, revision, event.type, JSON.stringify(event.data), JSON.stringify(metadata), new Date().toISOString()];
  });
  const write = db.transaction((slice: unknown[][]) => slice.forEach((row) => insert.run(...row)));
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += batch) write(rows.slice(i, i + batch));
  const result = rate(count, started);
  db.close();
  return result;
}

async function engineAppends(store: SqliteEventStore, count: number, batch: number, offset: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += batch) {
    const n = offset + i;
    const events = Array.from({ length: batch }, (_, k) => sampleEvent(n + k));
    // A batch goes to one stream, as one command's events do.
    await appendChained(store, streamFor(n), events, 'any');
  }
  return rate(count, started);
}

async function main() {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  try {
    log(`bench: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    const rawSqliteSingleInsertsPerSec = rawInserts(join(directory, 'raw-single.db'), 2_000, 1);
    const rawSqliteBatchedInsertsPerSec = rawInserts(join(directory, 'raw-batched.db'), 200_000, 100);
    const rawSqliteBatched1000InsertsPerSec = rawInserts(join(directory, 'raw-batched-1000.db'), 200_000, 1000);
    log(`raw SQLite inserts: ${rawSqliteSingleInsertsPerSec}/s single, ${rawSqliteBatchedInsertsPerSec}/s in 100-row and ${rawSqliteBatched1000InsertsPerSec}/s in 1,000-row transactions`);

    const path = join(directory, 'ledger.db');
    const store = new SqliteEventStore(path);
    const engineSingleAppendsPerSec = await engineAppends(store, 2_000, 1, 0);
    const engineBatchedAppendsPerSec = await engineAppends(store, 200_000, 100, 2_000);
    log(`engine appends: ${engineSingleAppendsPerSec}/s single, ${engineBatchedAppendsPerSec}/s in 100-event batches`);
    log(`filling the log to ${totalEvents} events…`);
    // The rest of the log goes in 1,000-event batches, which measures that size too.
    const filled = 202_000;
    const engineBatched1000AppendsPerSec = await engineAppends(store, Math.max(totalEvents - filled, 100_000), 1000, filled);
    await store.close();

    log('reading the whole log and catching up projections in a separate process…');
    const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'read-phase.ts'), path, join(directory, 'read.db')], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const readPhase = JSON.parse(output) as { events: number; readAllEventsPerSec: number; catchUpEventsPerSec: number; peakRssMb: number };
    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      engineSingleAppendsPerSec,
      engineBatchedAppendsPerSec,
      rawSqliteSingleInsertsPerSec,
      rawSqliteBatchedInsertsPerSec,
      engineToRawBatchedRatio: Number((engineBatchedAppendsPerSec / rawSqliteBatchedInsertsPerSec).toFixed(2)),
      engineBatched1000AppendsPerSec,
      rawSqliteBatched1000InsertsPerSec,
      logEvents: readPhase.events,
      readAllEventsPerSec: readPhase.readAllEventsPerSec,
      catchUpEventsPerSec: readPhase.catchUpEventsPerSec,
      peakRssMb: readPhase.peakRssMb,
      targets: {
        engineToRawBatchedRatio: '>= 0.5',
        catchUpEventsPerSec: '>= 100000',
        peakRssMb: '< 300 while reading 1,000,000 events',
      },
    };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      for (const [key, value] of Object.entries(result)) if (key !== 'targets') log(`${key.padEnd(32)} ${value}`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

void main();
