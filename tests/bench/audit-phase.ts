import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as progress from '../../src/cli/progress';
import { runCli } from '../../src/cli/run-cli';
import { msSince, printFigures, rss, runChild } from './nea-fixture';

/**
 * The auditors' operations over the big bench log, exactly as an operator runs them: the CLI's
 * `verify`, `export <file>` and `import <file>` (into a fresh empty store: the file's digest, one
 * pass that checks and restores each line, projection rebuild), called in-process through runCli. In a child process of
 * its own, so its peak RSS says whether they stream. `verify` must report the log intact with the
 * expected number of events (the bench appends through appendChained, so every event carries its
 * stream's hash chain), and the imported store must end with the same event (position, id, chain
 * hash) and count as the original; anything else fails the bench.
 */
export interface AuditFigures {
  verifyEventsPerSec: number;
  exportEventsPerSec: number;
  importEventsPerSec: number;
  verifyMs: number;
  exportMs: number;
  importMs: number;
  exportFileMb: number;
  auditPeakRssMb: number;
  /** The import's two parts: the load (the file's digest, then one pass that checks and restores each line) and the projection rebuild; wall and CPU time. */
  importLoadMs?: number;
  importLoadCpuMs?: number;
  importLoadEventsPerSec?: number;
  importRebuildMs?: number;
  importCpuMs: number;
}

async function cli(...args: string[]): Promise<{ ms: number; cpuMs: number; out: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const code = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  const ms = msSince(started);
  if (code !== 0) throw new Error(`audit bench: \`${args.join(' ')}\` exited ${code}: ${[...err, ...out].join(' | ')}`);
  return { ms, cpuMs: cpuMsSince(cpu), out };
}

/** CPU time (user + system) of this process since `from`, in ms. */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1000;
}

/** `intact: N events in S streams up to position P; log digest sha256:… (t s)`: the count and digest, or a loud failure. */
function intact(out: string[], events: number, what: string): string {
  const match = /^intact: (\d+) events in \d+ streams up to position \d+; (?:head|log) digest (sha256:[0-9a-f]{64})/.exec(out[0] ?? '');
  if (!match) throw new Error(`audit bench: verify of ${what} did not report an intact log: ${out.join(' | ')}`);
  if (Number(match[1]) !== events) throw new Error(`audit bench: verify of ${what} counted ${match[1]} events, expected ${events}`);
  return match[2];
}

/**
 * Where the CLI's `import` spends its time: it shows a progress bar named "import" from the end of
 * the file's digest to the end of its one pass (check and restore), then rebuilds the projections.
 * The bench wraps progressBar (module export, looked up at each call) to note when (wall and CPU) a
 * bar stops; nothing else changes.
 */
function watchProgressBars(): Map<string, { stopped?: bigint; cpuStopped?: NodeJS.CpuUsage }> {
  const seen = new Map<string, { stopped?: bigint; cpuStopped?: NodeJS.CpuUsage }>();
  const original = progress.progressBar;
  (progress as { progressBar: typeof original }).progressBar = (label: string) => {
    const moments: { stopped?: bigint; cpuStopped?: NodeJS.CpuUsage } = {};
    seen.set(label, moments);
    const bar = original(label);
    return { update: bar.update, stop: () => ((moments.stopped = process.hrtime.bigint()), (moments.cpuStopped = process.cpuUsage()), bar.stop()) };
  };
  return seen;
}

/** The log's head: position, count and the last event's id and chain hash. */
function headOf(path: string): { position: number; events: number; id: string; hash: string } {
  const db = new Database(path, { readonly: true });
  try {
    const last = db.prepare('SELECT position, id, metadata FROM events ORDER BY position DESC LIMIT 1').get() as { position: number; id: string; metadata: string };
    const { events } = db.prepare('SELECT COUNT(*) AS events FROM events').get() as { events: number };
    return { position: last.position, events, id: last.id, hash: String(JSON.parse(last.metadata).hash) };
  } finally {
    db.close();
  }
}

async function child(logPath: string, directory: string, events: number): Promise<AuditFigures> {
  // LEDGER_STORE / LEDGER_READ_MODELS of the environment must not point the CLI elsewhere.
  delete process.env.LEDGER_STORE;
  delete process.env.LEDGER_READ_MODELS;
  const bars = watchProgressBars();
  const store = `sqlite:${logPath}`;
  const verified = await cli('verify', '--store', store);
  intact(verified.out, events, 'the bench log');

  const file = join(directory, 'export.ndjson');
  const exported = await cli('export', file, '--store', store);
  if (exported.out[0] !== `exported ${events} events to ${file}`) throw new Error(`audit bench: export said ${exported.out.join(' | ')}`);

  const copy = join(directory, 'imported.db');
  const importStarted = process.hrtime.bigint();
  const importCpu = process.cpuUsage();
  const imported = await cli('import', file, '--store', `sqlite:${copy}`);
  if (!imported.out[0]?.startsWith(`imported ${events} events from ${file}`)) throw new Error(`audit bench: import said ${imported.out.join(' | ')}`);
  const [original, restored] = [headOf(logPath), headOf(copy)];
  if (JSON.stringify(original) !== JSON.stringify(restored)) {
    throw new Error(`audit bench: the imported store's head ${JSON.stringify(restored)} differs from the original's ${JSON.stringify(original)}`);
  }

  const perSec = (ms: number) => Math.round(events / (ms / 1000));
  const figures: AuditFigures = {
    verifyEventsPerSec: perSec(verified.ms),
    exportEventsPerSec: perSec(exported.ms),
    importEventsPerSec: perSec(imported.ms),
    verifyMs: Math.round(verified.ms),
    exportMs: Math.round(exported.ms),
    importMs: Math.round(imported.ms),
    exportFileMb: Math.round(statSync(file).size / 2 ** 20),
    auditPeakRssMb: rss(),
    importCpuMs: Math.round(imported.cpuMs),
  };
  const bar = bars.get('import');
  if (bar?.stopped && bar.cpuStopped) {
    figures.importLoadMs = Math.round(Number(bar.stopped - importStarted) / 1e6);
    const { user, system } = bar.cpuStopped;
    figures.importLoadCpuMs = Math.round((user + system - importCpu.user - importCpu.system) / 1000);
    figures.importLoadEventsPerSec = perSec(figures.importLoadMs);
    figures.importRebuildMs = Math.round(imported.ms) - figures.importLoadMs;
  }
  return figures;
}

/** Runs verify, export and import over the log at `logPath` (holding `events` events) in a fresh process; files go to `directory`. */
export function benchAudit(options: { logPath: string; directory: string; events: number }): AuditFigures {
  return runChild<AuditFigures>(__filename, [options.logPath, options.directory, String(options.events)]);
}

if (require.main === module) {
  const [logPath, directory, events] = process.argv.slice(2);
  printFigures('audit-phase', child(logPath, directory, Number(events)));
}
