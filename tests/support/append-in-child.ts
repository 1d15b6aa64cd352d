import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { newEvent } from './streams';

/** Appends N events to a stream of the given log file from another process, then exits. */
async function main() {
  const [path, stream, count] = process.argv.slice(2);
  const store = new SqliteEventStore(path);
  for (let n = 0; n < Number(count); n++) await appendChained(store, stream, [newEvent('FromOtherProcess', { n })], 'any');
  await store.close();
}

void main();
