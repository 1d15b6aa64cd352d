import { EsdbEventStore } from '../../src/event-store/esdb/esdb-event-store';
import { EventStoreDbTestDouble } from '../support/esdb-test-double/server';
import { describeEventStoreContract } from './event-store.contract';

/**
 * The contract through the real @eventstore/db-client on the wire: against a real server when
 * EVENTSTORE_CONNECTION_STRING is set, otherwise against the wire-level test double (tests/support/esdb-test-double).
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
let node: EventStoreDbTestDouble | undefined;
afterAll(async () => node?.stop());

describeEventStoreContract(connectionString ? `EventStoreDB at ${connectionString}` : 'EventStoreDB wire test double', async ({ maxEventBytes }) => {
  if (connectionString) return new EsdbEventStore(connectionString, { maxEventBytes });
  node = await EventStoreDbTestDouble.start();
  return new EsdbEventStore(node.connectionString(), { maxEventBytes });
});
