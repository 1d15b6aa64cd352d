import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { openReadModelDb } from '../../src/read-models/read-model-db';
import { PROJECTIONS } from '../../projections';

/**
 * Run in its own process so its peak RSS is the memory of streaming the whole log, not of
 * building it: reads every event, then catches the projections up from zero.
 */
async function main() {
  const [path, readModelsPath] = process.argv.slice(2);
  const store = new SqliteEventStore(path);
  let count = 0;
  let started = process.hrtime.bigint();
  for await (const event of store.readAll()) if (event.position > 0) count++;
  const readSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  const runner = new ProjectionRunner(store, openReadModelDb(readModelsPath), PROJECTIONS, { batchSize: 5000 });
  started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await runner.rebuild();
  const catchUpSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  // CPU time (every thread of the process: GC and SQLite included): the figure a loaded machine does not distort.
  const { user, system } = process.cpuUsage(cpu);
  await store.close();
  const result = {
    events: count,
    readAllEventsPerSec: Math.round(count / readSeconds),
    catchUpEventsPerSec: Math.round(count / catchUpSeconds),
    catchUpCpuEventsPerSec: Math.round(count / ((user + system) / 1e6)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(result));
}

void main();
