/**
 * The leader-loss drill, against a REAL three-node EventStoreDB / KurrentDB cluster (run by
 * tests/drill/leader-loss.sh, which starts one with Docker). Not part of `npm test`: no server runs there.
 *
 * While a subscription follows the log, it appends chained events one by one; after BEFORE of them are
 * acknowledged it stops the leader's container, keeps appending through the election (repeating each
 * append, with the same event ids, until it is acknowledged) until AFTER more are, then checks:
 * - nothing acknowledged is lost and nothing is written twice (the stream holds exactly the acknowledged ids);
 * - each write is read back at once from the new leader (read-your-writes, no stale follower read);
 * - the subscription survived the loss and delivered every event once, in order;
 * - `verify` passes over the whole log (hash chains, order, recorded times never going back).
 * Environment: DRILL_CONNECTION (the cluster's connection string), DRILL_NODES (`service=host:port,…`, the
 * nodes' HTTP endpoints as advertised), DRILL_STOP (a shell command stopping `{service}`).
 */
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { verifyLog } from '../../src/evidence/verify-log';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { StoreUnavailableError } from '../../src/event-sourcing/errors';
import { EsdbEventStore } from '../../src/event-store/esdb/esdb-event-store';

const BEFORE = 50;
const AFTER = 50;
const DEADLINE_MS = 180_000;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run tests/drill/leader-loss.sh)`);
  return value;
}

/** The service whose node the cluster's gossip names as the live leader. */
async function leaderService(nodes: Map<string, string>): Promise<string> {
  for (const endpoint of nodes.values()) {
    try {
      const gossip = (await (await fetch(`http://${endpoint}/gossip`)).json()) as { members: Array<{ state: string; isAlive: boolean; httpEndPointPort: number }> };
      const leader = gossip.members.find((m) => m.state === 'Leader' && m.isAlive);
      const found = leader && [...nodes].find(([, e]) => e.endsWith(`:${leader.httpEndPointPort}`));
      if (found) return found[0];
    } catch {
      // this node is down or not answering: ask the next
    }
  }
  throw new Error('no node names a live leader');
}

async function main(): Promise<number> {
  const nodes = new Map(env('DRILL_NODES').split(',').map((pair) => pair.split('=') as [string, string]));
  const store = new EsdbEventStore(env('DRILL_CONNECTION'), { readTimeoutMs: 10_000 });
  const stream = `drill-${randomUUID().replace(/-/g, '')}`;
  const failures: string[] = [];
  const delivered: string[] = [];
  const acknowledged: string[] = [];
  const errors = new Map<string, number>();
  const started = Date.now();

  const subscription = store.subscribeToAll({ after: await store.headPosition() });
  const following = (async () => {
    for await (const message of subscription) if (message.kind === 'event' && message.event.stream === stream) delivered.push(message.event.id);
  })();

  let stoppedAt = 0;
  let firstAckAfterStop = 0;
  while (acknowledged.length < BEFORE + AFTER) {
    if (Date.now() - started > DEADLINE_MS) throw new Error(`the drill took over ${DEADLINE_MS / 1000} s`);
    if (acknowledged.length === BEFORE && !stoppedAt) {
      const leader = await leaderService(nodes);
      console.log(`stopping the leader: ${leader}`);
      execSync(env('DRILL_STOP').replace('{service}', leader), { stdio: 'inherit' });
      stoppedAt = Date.now();
    }
    const event = { id: randomUUID(), type: 'DrillEventRecorded', data: { n: acknowledged.length }, metadata: {} };
    for (;;) {
      try {
        await appendChained(store, stream, [event], 'any');
        break;
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        errors.set(error.fault, (errors.get(error.fault) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    acknowledged.push(event.id);
    if (stoppedAt && !firstAckAfterStop) firstAckAfterStop = Date.now();
    // Read-your-writes: the event just acknowledged is the stream's last, read from the leader.
    for await (const last of store.readStream(stream, { direction: 'backwards', maxCount: 1 })) {
      if (last.id !== event.id) failures.push(`append ${acknowledged.length}: read back ${last.id}, not the event just written`);
    }
  }

  const stored: string[] = [];
  for await (const event of store.readStream(stream)) stored.push(event.id);
  if (JSON.stringify(stored) !== JSON.stringify(acknowledged)) failures.push(`the stream holds ${stored.length} events for ${acknowledged.length} acknowledged appends (lost or doubled writes)`);
  for (const waitUntil = Date.now() + 30_000; delivered.length < acknowledged.length && Date.now() < waitUntil; ) await new Promise((r) => setTimeout(r, 200));
  if (JSON.stringify(delivered) !== JSON.stringify(acknowledged)) failures.push(`the subscription delivered ${delivered.length} of ${acknowledged.length} events (or out of order, or twice)`);
  const verified = await verifyLog(store.readAll());
  if (!verified.ok) failures.push(`verify: ${verified.failure.reason} at ${verified.failure.event.id}`);

  await subscription.close();
  await following.catch((error: unknown) => failures.push(`the subscription failed: ${String(error)}`));
  await store.close();

  console.log(`leader stopped after ${BEFORE} appends; next acknowledged append after ${firstAckAfterStop - stoppedAt} ms`);
  console.log(`store errors met and retried: ${[...errors].map(([fault, n]) => `${fault} ×${n}`).join(', ') || 'none'}`);
  console.log(`verify: ${verified.ok ? `intact, ${verified.events} events, log digest sha256:${verified.logDigest}` : 'FAILED'}`);
  for (const failure of failures) console.error(`FAIL ${failure}`);
  console.log(failures.length === 0 ? 'leader-loss drill: PASSED' : 'leader-loss drill: FAILED');
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
