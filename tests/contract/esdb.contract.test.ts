import { EsdbEventStore } from '../../src/event-store/esdb/esdb-event-store';
import { describeEventStoreContract } from './event-store.contract';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract(`EventStoreDB at ${connectionString}`, async ({ maxEventBytes }) =>
    new EsdbEventStore(connectionString, { maxEventBytes }),
  );
} else {
  describe('EventStore contract: EventStoreDB', () => {
    it.skip('skipped: EVENTSTORE_CONNECTION_STRING is not set (no EventStoreDB server is reachable here)', () => undefined);
  });
  console.log('EventStoreDB contract suite skipped: set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false) to run it.');
}
