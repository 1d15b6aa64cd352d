import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { MerkleTiles } from '../../src/evidence/merkle-tiles';
import { verifyConsistency, verifyInclusion } from '../../src/evidence/merkle';
import { sampleEvent, streamFor, unitOf } from './sample-events';

/**
 * The Merkle tree over the bench's log (issue 18), in its own process: building the tiled tree from
 * the whole log, one inclusion and one consistency proof over the whole tree (mean and worst of 200
 * each, every proof verified), and appends of 100-event batches with the tree kept current after
 * each append against the same appends without it (on a fresh store).
 */
async function main() {
  const [logPath, directory] = process.argv.slice(2);
  const store = new SqliteEventStore(logPath);
  const db = new Database(join(directory, 'tree.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const tiles = new MerkleTiles(db);
  let started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const { size } = await tiles.catchUp(store);
  const treeBuildEventsPerSec = Math.round(size / (Number(process.hrtime.bigint() - started) / 1e9));
  // CPU time beside wall time: on a shared machine (load above the core count) the wall figure mostly measures the neighbours.
  const { user, system } = process.cpuUsage(cpu);
  const treeBuildCpuEventsPerSec = Math.round(size / ((user + system) / 1e6));
  const root = tiles.root(size);

  const inclusion: number[] = [];
  const consistency: number[] = [];
  const proofsCpu = process.cpuUsage();
  for (let i = 0; i < 200; i++) {
    const index = Math.floor(Math.random() * size);
    started = process.hrtime.bigint();
    const path = tiles.inclusion(index, size);
    inclusion.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!verifyInclusion(index, size, tiles.leaf(index), path, root)) throw new Error(`evidence bench: the inclusion proof of ${index} does not verify`);
    const from = 1 + Math.floor(Math.random() * (size - 1));
    started = process.hrtime.bigint();
    const proof = tiles.consistency(from, size);
    consistency.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!verifyConsistency(from, size, tiles.root(from), root, proof)) throw new Error(`evidence bench: the consistency proof from ${from} does not verify`);
  }
  const proofsUsage = process.cpuUsage(proofsCpu);
  const proofsCpuMs = (proofsUsage.user + proofsUsage.system) / 1000;
  await store.close();
  db.close();

  const appendsWithout = await appendRate(false);
  const appendsWith = await appendRate(true);
  const mean = (values: number[]) => Number((values.reduce((a, b) => a + b, 0) / values.length).toFixed(2));
  process.stdout.write(
    JSON.stringify({
      treeEvents: size,
      treeBuildEventsPerSec,
      treeBuildCpuEventsPerSec,
      /** CPU per proof, both kinds together, verification and root computations included (an upper bound). */
      proofCpuMsUpperBound: Number((proofsCpuMs / 400).toFixed(2)),
      inclusionProofMs: mean(inclusion),
      inclusionProofMaxMs: Number(Math.max(...inclusion).toFixed(2)),
      consistencyProofMs: mean(consistency),
      consistencyProofMaxMs: Number(Math.max(...consistency).toFixed(2)),
      appendsWithoutTreePerSec: appendsWithout,
      appendsWithTreePerSec: appendsWith,
      appendSlowdownWithTreePct: Number((100 * (1 - appendsWith / appendsWithout)).toFixed(1)),
    }),
  );
}

/** Appends 20,000 events in 100-event batches to a fresh store; `withTree`: the tree caught up after every append. */
async function appendRate(withTree: boolean): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-bench-tree-'));
  const store = new SqliteEventStore(join(directory, 'ledger.db'));
  const db = new Database(join(directory, 'tree.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const tiles = new MerkleTiles(db);
  try {
    const started = process.hrtime.bigint();
    for (let n = 0; n < 20_000; n += 100) {
      await appendChained(store, streamFor(n), Array.from({ length: 100 }, (_, k) => sampleEvent(n + k, unitOf(n))), 'any');
      if (withTree) await tiles.catchUp(store);
    }
    return Math.round(20_000 / (Number(process.hrtime.bigint() - started) / 1e9));
  } finally {
    await store.close();
    db.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

void main();
