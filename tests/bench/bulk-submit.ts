import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { operatorContext } from '../../src/cli/operator-context';
import { loadConfig } from '../../src/config';
import { BulkSubmitCommand, type BulkSubmitResult } from '../../src/ledgers/submit/bulk-submit.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { benchClock, benchUnits, metricRecord, msSince, openNeaLedger, printFigures, rss, runChild, runStandalone } from './nea-fixture';

/**
 * `submit` of a 100,000-line NDJSON file of valid metric records (1,000 units of every NEA role,
 * 100 distinct figures each over the metric cells and open periods) through BulkSubmitCommand in
 * an application context, as the CLI's
 * `submit` runs it: timed from the command to its result. In a child process of its own, so its
 * peak RSS is the bulk submit's (plus the application's start-up, reported apart).
 * With `withIds`, every line carries a client-chosen id (what makes a re-submitted file skip the
 * lines already appended): a second, smaller run measures that path.
 */
export const BULK_LEDGER = 'bench-bulk';
export const BULK_UNIT_MIX = { 'supply-company': 800, 'energy-authority': 150, 'nea-regional-office': 40, 'price-authority': 5, 'cec-media': 5 };

export interface BulkFigures {
  lines: number;
  ms: number;
  linesPerSec: number;
  baselineRssMb: number;
  peakRssMb: number;
  fileMb: number;
}

/** The bench file: `lines` valid metric records over the units, metric cells and open periods (ids when asked). */
export function writeBulkFile(file: string, lines: number, withIds: boolean): void {
  const units = benchUnits(BULK_UNIT_MIX);
  const rows: string[] = [];
  for (let n = 0; n < lines; n++) {
    // Unit after unit, each stating its next figure: 100,000 lines over 1,000 units are 100 figures a unit.
    const record = metricRecord(BULK_LEDGER, units[n % units.length].id, Math.floor(n / units.length), n);
    rows.push(JSON.stringify(withIds ? { ...record, id: randomUUID() } : record));
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
}

/** In the child: an application context over a fresh store, the NEA ledger opened, then `submit` of the file as the CLI runs it. */
async function child(directory: string, file: string, lines: number): Promise<BulkFigures> {
  const config = { ...loadConfig({ store: `sqlite:${join(directory, `${basename(file, '.ndjson')}.db`)}`, liveProjections: false }, {}), clock: benchClock() };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
  try {
    await openNeaLedger(app, BULK_LEDGER, benchUnits(BULK_UNIT_MIX));
    // As `submit` does: the file is read, the projections caught up, then the command runs.
    const text = readFileSync(file, 'utf8');
    await app.get(ProjectionRunner).catchUp();
    const baselineRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
    const started = process.hrtime.bigint();
    const result: BulkSubmitResult = await app.get(CommandBus).execute(new BulkSubmitCommand(text, file, operatorContext()));
    const ms = msSince(started);
    if (result.lines !== lines || result.appended !== lines || result.duplicates !== 0) {
      throw new Error(`bulk bench: expected ${lines} lines appended, got ${JSON.stringify(result)}`);
    }
    return { lines, ms: Math.round(ms), linesPerSec: Math.round(lines / (ms / 1000)), baselineRssMb, peakRssMb: rss(), fileMb: Number((Buffer.byteLength(text) / 2 ** 20).toFixed(1)) };
  } finally {
    await app.close();
  }
}

/** Writes the file here, then submits it in a fresh process and returns its figures. */
export function runBulk(directory: string, lines: number, withIds: boolean): BulkFigures {
  const file = join(directory, withIds ? 'bulk-ids.ndjson' : 'bulk.ndjson');
  writeBulkFile(file, lines, withIds);
  return runChild<BulkFigures>(__filename, ['--child', directory, file, String(lines)]);
}

export async function benchBulkSubmit(options: { directory: string; lines?: number; idLines?: number }): Promise<Record<string, number>> {
  const plain = runBulk(options.directory, options.lines ?? 100_000, false);
  const figures: Record<string, number> = {
    bulkSubmitLinesPerSec: plain.linesPerSec,
    bulkSubmitLines: plain.lines,
    bulkSubmitMs: plain.ms,
    bulkSubmitPeakRssMb: plain.peakRssMb,
    bulkSubmitBaselineRssMb: plain.baselineRssMb,
    bulkSubmitFileMb: plain.fileMb,
  };
  if (options.idLines) {
    const ids = runBulk(options.directory, options.idLines, true);
    figures.bulkSubmitWithIdsLinesPerSec = ids.linesPerSec;
    figures.bulkSubmitWithIdsLines = ids.lines;
  }
  return figures;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') printFigures('bulk-submit', child(args[1], args[2], Number(args[3])));
  else {
    const lines = Number(args[args.indexOf('--lines') + 1]) || 100_000;
    const idLines = Number(args[args.indexOf('--id-lines') + 1]) || 0;
    void runStandalone('ledger-bench-bulk-', (directory) => benchBulkSubmit({ directory, lines, idLines }));
  }
}
