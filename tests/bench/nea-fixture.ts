import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Clock } from '../../src/event-sourcing/clock';
import { systemContext } from '../../src/event-sourcing/request-context';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import type { Metric, ProgrammeTemplate } from '../../src/programmes/template';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { unitsCsv } from '../../src/ledgers/open-ledger/units-csv';

/**
 * The NEA programme (国能综通监管〔2021〕37号) as the benchmarks use it: a ledger of units of its
 * roles, and valid submission records generated over its metrics, dimensions and periods.
 */
export const NEA_FILE = join(__dirname, '../../templates/programmes/nea-2021-37.yaml');
export const NEA_ID = 'nea-2021-37';

let template: ProgrammeTemplate | undefined;
export function neaTemplate(): ProgrammeTemplate {
  return (template ??= parse(readFileSync(NEA_FILE, 'utf8')) as ProgrammeTemplate);
}

export interface BenchUnit {
  id: string;
  role: string;
}

/** Units by role, e.g. { 'supply-company': 800, 'energy-authority': 150 }: ids `<role>-<n>`, flat (no parents). */
export function benchUnits(counts: Record<string, number>): BenchUnit[] {
  return Object.entries(counts).flatMap(([role, count]) => Array.from({ length: count }, (_, n) => ({ id: `${role}-${n + 1}`, role })));
}

export function benchUnitsCsv(units: readonly BenchUnit[]): string {
  return unitsCsv(units.map((u) => ({ id: u.id, name: `单位 ${u.id}`, role: u.role, parent: null })));
}

/** Registers the NEA programme and opens a ledger of it with these units, through the application's own command bus. */
export async function openNeaLedger(app: INestApplicationContext, ledgerId: string, units: readonly BenchUnit[]): Promise<void> {
  const commands = app.get(CommandBus);
  const runner = app.get(ProjectionRunner);
  await commands.execute(new RegisterProgrammeCommand(readFileSync(NEA_FILE, 'utf8'), NEA_FILE, systemContext('bench')));
  await runner.catchUp();
  await commands.execute(new OpenLedgerCommand(ledgerId, NEA_ID, `bench ${ledgerId}`, benchUnitsCsv(units), 'units.csv', systemContext('bench')));
  await runner.catchUp();
}

/** Every (metric, dimensions) cell of the programme's submitted metrics: 9 metrics, 76 cells. */
function metricCells(): { metric: Metric; dimensions: Record<string, string> }[] {
  const cells: { metric: Metric; dimensions: Record<string, string> }[] = [];
  for (const metric of neaTemplate().metrics ?? []) {
    if (metric.derivedFrom) continue;
    let combos: Record<string, string>[] = [{}];
    for (const dimension of metric.dimensions ?? []) combos = combos.flatMap((c) => dimension.values.map((v) => ({ ...c, [dimension.id]: v.id })));
    for (const dimensions of combos) cells.push({ metric, dimensions });
  }
  return cells;
}

/**
 * The benches run on 20 January 2022 (Beijing), inside the programme's years. A period locks 30
 * days after its due date, so on that day the NEA calendar's open periods are the year 2021 (due
 * 15 January 2022, locks 14 February), 2022-H1 and the year 2022. The clock runs at real speed
 * from there, so recorded times advance as they would.
 */
export const BENCH_NOW = '2022-01-20T02:00:00.000Z';
export function benchClock(): Clock {
  const offset = Date.now() - Date.parse(BENCH_NOW);
  return { now: () => new Date(Date.now() - offset) };
}

/** The periods the NEA calendar accepts and that are open on BENCH_NOW. */
export const NEA_PERIODS = ['2021', '2022-H1', '2022'];

let cells: ReturnType<typeof metricCells> | undefined;

/**
 * How many distinct figures a unit can state on BENCH_NOW: one per (metric, dimensions, period)
 * — 76 cells × 3 open periods. A unit states each once; changing one takes a correction.
 */
export function figuresPerUnit(): number {
  cells ??= metricCells();
  return cells.length * NEA_PERIODS.length;
}

function figure(k: number, seed: number): { metric: Metric; dimensions: Record<string, string>; period: string; value: number } {
  cells ??= metricCells();
  if (k < 0 || k >= figuresPerUnit()) throw new Error(`bench: a unit has ${figuresPerUnit()} distinct figures to state, not ${k + 1}`);
  const { metric, dimensions } = cells[k % cells.length];
  const min = metric.min ?? 0;
  const max = metric.max ?? min + 5000;
  return { metric, dimensions, period: NEA_PERIODS[Math.floor(k / cells.length)], value: min + ((seed * 7919) % (max - min + 1)) };
}

/** A unit's k-th distinct figure (k < figuresPerUnit()): every metric cell, then the next open period; values within the metric's bounds. */
export function metricRecord(ledger: string, unit: string, k: number, seed: number = k): Record<string, unknown> {
  const { metric, dimensions, period, value } = figure(k, seed);
  const record: Record<string, unknown> = { type: 'metric', ledger, unit, period, metric: metric.id, value };
  if (Object.keys(dimensions).length > 0) record.dimensions = dimensions;
  return record;
}

/** A correction of the event now holding a unit's k-th figure, with a new value. */
export function correctionRecord(ledger: string, unit: string, k: number, corrects: string, seed: number): Record<string, unknown> {
  return { type: 'correction', ledger, unit, corrects, reason: '复核后更正 (bench)', value: figure(k, seed).value };
}

export function rss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function msSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** An error as one bounded line for stderr: a DomainError over 100,000 lines can name every line. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return text.length > 3000 ? `${text.slice(0, 3000)}… (${text.length} characters)` : text;
}

/**
 * Node's arguments for a bench child process: ts-node, after BENCH_NODE_ARGS if set (e.g.
 * "--cpu-prof --cpu-prof-dir=prof" to profile the parts that run in children).
 */
export function childNodeArgs(): string[] {
  return [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '-r', 'ts-node/register/transpile-only'];
}

/** Runs a bench file in a fresh process (stderr passed through) and parses the JSON it prints. */
export function runChild<T>(file: string, args: string[]): T {
  const output = execFileSync(process.execPath, [...childNodeArgs(), file, ...args], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output) as T;
}

/** A bench child's ending: its figures as one JSON line on stdout, or the failure named on stderr and exit 1. */
export function printFigures(name: string, figures: Promise<object>): void {
  figures.then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error: unknown) => {
      process.stderr.write(`${name}: ${describeError(error)}\n`);
      process.exit(1);
    },
  );
}

/** A bench run by hand: over a fresh temp folder (removed afterwards), its figures printed readably. */
export async function runStandalone(prefix: string, bench: (directory: string) => object | Promise<object>): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  try {
    console.log(JSON.stringify(await bench(directory), null, 2));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
