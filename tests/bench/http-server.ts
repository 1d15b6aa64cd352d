import { adminPrincipal } from '../../src/access/principal';
import { CommandBus } from '@nestjs/cqrs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { IssueTokenCommand, type IssueTokenResult } from '../../src/access/issue-token/issue-token.command';
import { loadConfig } from '../../src/config';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { EVENT_STORE } from '../../src/event-sourcing/tokens';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { createServer } from '../../src/server';
import { benchClock, benchUnits, describeError, msSince, openNeaLedger, rss } from './nea-fixture';

/**
 * The server side of the HTTP benchmark, in its own process (forked by http-submissions.ts with an
 * IPC channel) so that the load generator does not share its event loop: the real application
 * (createServer, live projections, token guard) listening on an ephemeral port of 127.0.0.1 over a
 * temp SQLite store. It opens a NEA ledger of `units` supply companies, issues one submitter token
 * per unit through the application's CommandBus, and sends { kind: 'ready', port, head, clients }.
 * Asked { kind: 'lag' }, it answers at once with the log head and the lowest projection checkpoint
 * (and the largest lag sampled during the load), then waits for the projections to reach the head
 * and sends the time that took, with the CPU time the process spent from 'ready' until then.
 */
export const HTTP_LEDGER = 'bench-http';

export type ServerMessage =
  | { kind: 'ready'; port: number; head: number; clients: { unit: string; token: string }[] }
  | { kind: 'lag'; head: number; lowest: number; maxLag: number; catchUpMs: number; cpuMs: number; error?: string }
  | { kind: 'stopped'; peakRssMb: number };

async function main() {
  const [directory, unitCount] = process.argv.slice(2);
  // The environment's LEDGER_STORE / LEDGER_READ_MODELS must not redirect the bench to a real store.
  const config = { ...loadConfig({ store: `sqlite:${join(directory, 'http.db')}`, liveProjections: true }, {}), clock: benchClock() };
  const app = await createServer(config, false);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const units = benchUnits({ 'supply-company': Number(unitCount) });
  await openNeaLedger(app, HTTP_LEDGER, units);
  const commands = app.get(CommandBus);
  const clients: { unit: string; token: string }[] = [];
  for (const unit of units) {
    const issued: IssueTokenResult = await commands.execute(new IssueTokenCommand({ unit: unit.id, role: 'submitter', ledger: HTTP_LEDGER, label: 'bench' }, adminPrincipal('system:bench')));
    clients.push({ unit: unit.id, token: issued.token });
  }
  const store = app.get<EventStore>(EVENT_STORE);
  const runner = app.get(ProjectionRunner);
  await runner.whenCaughtUp(await store.headPosition());
  const send = (message: ServerMessage) => process.send!(message);
  // How far the live projections fall behind while the load runs, sampled every 50 ms.
  let maxLag = 0;
  const sampler = setInterval(() => {
    void store.headPosition().then((head) => (maxLag = Math.max(maxLag, head - runner.position())));
  }, 50);
  const head = await store.headPosition();
  // CPU time, not wall time: on a shared machine it is what the server itself spends on the load.
  const cpuAtReady = process.cpuUsage();
  send({ kind: 'ready', port, head, clients });

  process.on('message', (message: { kind: string }) => {
    void (async () => {
      if (message.kind === 'lag') {
        clearInterval(sampler);
        const head = await store.headPosition();
        const lowest = runner.position();
        const started = process.hrtime.bigint();
        const failure = await Promise.race([
          runner.whenCaughtUp(head).then(() => null),
          new Promise<string>((resolve) => {
            const poll = setInterval(() => {
              const error = runner.lastError();
              if (error) resolve(`the live projections stopped: ${error.message}`);
            }, 200);
            const timeout = setTimeout(() => resolve('the projections did not reach the head within 300 s'), 300_000);
            void runner.whenCaughtUp(head).then(() => (clearInterval(poll), clearTimeout(timeout)));
          }),
        ]);
        const cpu = process.cpuUsage(cpuAtReady);
        send({ kind: 'lag', head, lowest, maxLag, catchUpMs: msSince(started), cpuMs: (cpu.user + cpu.system) / 1000, ...(failure ? { error: failure } : {}) });
      } else if (message.kind === 'stop') {
        await app.close();
        send({ kind: 'stopped', peakRssMb: rss() });
        process.disconnect();
      }
    })();
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`http-server: ${describeError(error)}\n`);
    process.exit(1);
  });
}
