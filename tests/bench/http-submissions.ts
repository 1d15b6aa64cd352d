import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTTP_LEDGER, type ServerMessage } from './http-server';
import { childNodeArgs, correctionRecord, figuresPerUnit, metricRecord, msSince } from './nea-fixture';

/**
 * HTTP submissions under load: the real server (http-server.ts, its own process, rate limit off)
 * and `clients` concurrent clients here, each with its own keep-alive connection, unit and
 * submitter token, posting to POST /api/ledgers/:id/submissions for `seconds` (or until
 * `maxRequests` in all): first the unit's distinct metric figures (228: a unit states each
 * (metric, dimensions, period) once), then corrections of them, as units revise their figures. Every answer must be 201: anything else stops the bench with the
 * status and body. Then: how far the live projections were behind the log right after the load,
 * and how long they took to reach its head.
 */
export interface HttpBenchOptions {
  directory: string;
  clients?: number;
  seconds?: number;
  maxRequests?: number;
  log?: (line: string) => void;
}

export interface HttpBenchFigures {
  httpSubmissionsPerSec: number;
  httpSubmissionP95Ms: number;
  httpSubmissionP50Ms: number;
  httpSubmissions: number;
  /** Of those, corrections: a unit states each figure once (metric, dimensions, period), then corrects it. */
  httpCorrections: number;
  httpFirstSecondPerSec: number;
  httpLastSecondPerSec: number;
  projectionLagAfterHttpEvents: number;
  /** The largest head − lowest checkpoint sampled every 50 ms in the server during the load. */
  projectionMaxLagDuringHttpEvents: number;
  projectionCatchUpAfterHttpMs: number;
  httpServerPeakRssMb: number;
  /** The server's CPU time (user + system) per acknowledged submission, the load and the projections' catch-up included: readable on a shared machine. */
  httpServerCpuMsPerSubmission: number;
}

function post(agent: Agent, port: number, path: string, token: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The next message of a kind from the server process; its death first is an error. */
function nextMessage<K extends ServerMessage['kind']>(child: ChildProcess, kind: K, timeoutMs: number): Promise<Extract<ServerMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`http bench: no "${kind}" from the server within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (message: ServerMessage) => message.kind === kind && done(null, message as Extract<ServerMessage, { kind: K }>);
    const onExit = (code: number | null, signal: string | null) => done(new Error(`http bench: the server process exited (code ${code}, signal ${signal}) before "${kind}"`));
    function done(error: Error | null, message?: Extract<ServerMessage, { kind: K }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchHttpSubmissions(options: HttpBenchOptions): Promise<HttpBenchFigures> {
  const clients = options.clients ?? 16;
  const seconds = options.seconds ?? 10;
  const maxRequests = options.maxRequests ?? Number.MAX_SAFE_INTEGER;
  const child = fork(join(__dirname, 'http-server.ts'), [options.directory, String(clients)], {
    execArgv: childNodeArgs(),
    env: { ...process.env, LEDGER_RATE_LIMIT_PER_SEC: '0' },
    // The server's stdout must not mix into the bench's --json output.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout?.pipe(process.stderr);
  let stopped = false;
  try {
    const ready = await nextMessage(child, 'ready', 120_000);
    options.log?.(`http: server on 127.0.0.1:${ready.port}, ${clients} clients for ${seconds} s…`);
    const path = `/api/ledgers/${HTTP_LEDGER}/submissions`;
    const latencies: number[] = [];
    const perSecond: number[] = [];
    let issued = 0;
    let corrections = 0;
    const figures = figuresPerUnit();
    const started = process.hrtime.bigint();
    const deadline = Date.now() + seconds * 1000;
    const agents: Agent[] = [];
    await Promise.all(
      ready.clients.map(async ({ unit, token }) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        agents.push(agent);
        // The event now holding each of the unit's figures: once all are stated, the next submissions correct them.
        const holders: string[] = [];
        for (let n = 0; Date.now() < deadline && issued < maxRequests; n++) {
          issued++;
          const k = n % figures;
          const record = n < figures ? metricRecord(HTTP_LEDGER, unit, k, n) : correctionRecord(HTTP_LEDGER, unit, k, holders[k], n);
          const sent = process.hrtime.bigint();
          const response = await post(agent, ready.port, path, token, JSON.stringify(record));
          const ms = msSince(sent);
          if (response.status !== 201) {
            throw new Error(`http bench: POST ${path} (${record.type}) for ${unit} answered ${response.status}, not 201: ${response.body.slice(0, 500)}`);
          }
          holders[k] = (JSON.parse(response.body) as { eventId: string }).eventId;
          if (n >= figures) corrections++;
          latencies.push(ms);
          const second = Math.floor(msSince(started) / 1000);
          perSecond[second] = (perSecond[second] ?? 0) + 1;
        }
      }),
    );
    const elapsedMs = msSince(started);
    agents.forEach((agent) => agent.destroy());
    child.send({ kind: 'lag' });
    const lag = await nextMessage(child, 'lag', 320_000);
    if (lag.error) throw new Error(`http bench: ${lag.error}`);
    const appended = lag.head - ready.head;
    if (appended !== latencies.length) throw new Error(`http bench: ${latencies.length} requests answered 201 but the log grew by ${appended} events`);
    child.send({ kind: 'stop' });
    const { peakRssMb } = await nextMessage(child, 'stopped', 60_000);
    stopped = true;
    const sorted = [...latencies].sort((a, b) => a - b);
    const whole = perSecond.slice(0, Math.floor(elapsedMs / 1000));
    return {
      httpSubmissionsPerSec: Math.round(latencies.length / (elapsedMs / 1000)),
      httpSubmissionP95Ms: Number(percentile(sorted, 95).toFixed(1)),
      httpSubmissionP50Ms: Number(percentile(sorted, 50).toFixed(1)),
      httpSubmissions: latencies.length,
      httpCorrections: corrections,
      httpFirstSecondPerSec: whole[0] ?? 0,
      httpLastSecondPerSec: whole[whole.length - 1] ?? 0,
      projectionLagAfterHttpEvents: lag.head - lag.lowest,
      projectionMaxLagDuringHttpEvents: lag.maxLag,
      projectionCatchUpAfterHttpMs: Math.round(lag.catchUpMs),
      httpServerPeakRssMb: peakRssMb,
      httpServerCpuMsPerSubmission: Number((lag.cpuMs / Math.max(latencies.length, 1)).toFixed(2)),
    };
  } finally {
    // After "stopped" the server exits by itself (give it a moment); a failed run ends it here.
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => (child.kill(), resolve()), stopped ? 10_000 : 0);
        child.once('exit', () => (clearTimeout(timer), resolve()));
      });
    }
  }
}

if (require.main === module) {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-bench-http-'));
  const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 10;
  benchHttpSubmissions({ directory, seconds, log: (l) => process.stderr.write(`${l}\n`) })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => rmSync(directory, { recursive: true, force: true }));
}
