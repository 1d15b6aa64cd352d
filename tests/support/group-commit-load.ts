import { closeSync, openSync, writeSync } from 'node:fs';
import { lastEvent } from '../../src/event-sourcing/chained-appender';
import { WrongExpectedRevisionError } from '../../src/event-sourcing/errors';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { newEvent } from './streams';

/**
 * Load for the group-commit crash test, run as a child process until it is killed: `writers`
 * concurrent appenders over a few shared streams, each appending with the exact revision it read,
 * so that appenders racing for one stream conflict. Every outcome is written to `ackFile`
 * synchronously once the store has answered: `ok <id> <stream> <revision>` or `conflict <id> <stream>`.
 */
async function main() {
  const [path, ackFile, writers, streams] = process.argv.slice(2);
  const store = new SqliteEventStore(path);
  const acks = openSync(ackFile, 'a');
  const streamNames = Array.from({ length: Number(streams) }, (_, n) => `load-${n}`);
  const writer = async (index: number) => {
    for (let n = 0; ; n++) {
      const stream = streamNames[(index + n) % streamNames.length];
      const head = await lastEvent(store, stream);
      const event = newEvent('Loaded', { writer: index, n });
      try {
        const result = await store.append(stream, [event], head ? head.revision : 'no-stream');
        writeSync(acks, `ok ${event.id} ${stream} ${result.nextRevision}\n`);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        writeSync(acks, `conflict ${event.id} ${stream}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: Number(writers) }, (_, index) => writer(index))).finally(() => closeSync(acks));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
