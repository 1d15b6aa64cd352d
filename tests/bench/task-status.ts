import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { operatorContext } from '../../src/cli/operator-context';
import { loadConfig } from '../../src/config';
import { BulkSubmitCommand } from '../../src/ledgers/submit/bulk-submit.command';
import { TaskStatusQuery, type TaskStatusReport } from '../../src/ledgers/queries/task-status.query';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { benchClock, benchUnits, msSince, neaTemplate, openNeaLedger, printFigures, rss, runChild, runStandalone } from './nea-fixture';

/**
 * TaskStatusQuery over a NEA ledger of 1,000 units spread over the programme's roles (800 supply
 * companies, 150 energy authorities, 40 regional offices, 5 price authorities, 5 media units), so
 * that its 57 tasks × their responsible units make about 40,000 (task, unit) rows; a third of the
 * pairs have two progress reports (in progress, then completed), submitted through
 * BulkSubmitCommand. The query runs once to warm up, then `runs` times: the median is `statusMs`.
 * In a child process of its own (the bench's main process holds the big log's leftovers).
 */
export const STATUS_LEDGER = 'bench-status';
export const STATUS_UNIT_MIX = { 'supply-company': 800, 'energy-authority': 150, 'nea-regional-office': 40, 'price-authority': 5, 'cec-media': 5 };

/** Two progress reports for every third (task, responsible unit) pair: in progress, then completed. */
export function progressLines(units: { id: string; role: string }[]): { lines: string[]; pairs: number } {
  const lines: string[] = [];
  let pairs = 0;
  for (const task of neaTemplate().tasks) {
    for (const unit of units) {
      if (!task.lead.includes(unit.role) && !task.cooperating.includes(unit.role)) continue;
      if (pairs++ % 3 !== 0) continue;
      const month = 1 + (pairs % 12);
      const day = 1 + (pairs % 28);
      const on = (year: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const base = { type: 'progress', ledger: STATUS_LEDGER, unit: unit.id, task: task.number };
      lines.push(JSON.stringify({ ...base, status: 'in-progress', on: on(2020), note: '推进中' }));
      lines.push(JSON.stringify({ ...base, status: 'completed', on: on(2021), note: '已完成', evidence: [`文号〔2021〕${pairs}号`] }));
    }
  }
  return { lines, pairs };
}

async function child(directory: string, runs: number): Promise<Record<string, number>> {
  const config = { ...loadConfig({ store: `sqlite:${join(directory, 'status.db')}`, liveProjections: false }, {}), clock: benchClock() };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
  try {
    const units = benchUnits(STATUS_UNIT_MIX);
    await openNeaLedger(app, STATUS_LEDGER, units);
    const { lines, pairs } = progressLines(units);
    await app.get(CommandBus).execute(new BulkSubmitCommand(lines.join('\n'), 'progress.ndjson', operatorContext()));
    await app.get(ProjectionRunner).catchUp();
    const queries = app.get(QueryBus);
    const query = () => queries.execute<TaskStatusQuery, TaskStatusReport>(new TaskStatusQuery(STATUS_LEDGER));
    let started = process.hrtime.bigint();
    const first = await query();
    const coldMs = msSince(started);
    if (first.rows.length !== pairs) throw new Error(`status bench: ${first.rows.length} rows where ${pairs} (task, unit) pairs were expected`);
    const completed = first.rows.filter((r) => r.progress === 'completed').length;
    if (completed === 0) throw new Error('status bench: no row shows the completed progress reports');
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      started = process.hrtime.bigint();
      await query();
      times.push(msSince(started));
    }
    times.sort((a, b) => a - b);
    return {
      statusMs: Math.round(times[Math.floor(times.length / 2)]),
      statusMinMs: Math.round(times[0]),
      statusColdMs: Math.round(coldMs),
      statusRows: first.rows.length,
      statusProgressEvents: lines.length,
      statusUnits: units.length,
      statusPeakRssMb: rss(),
    };
  } finally {
    await app.close();
  }
}

export function benchTaskStatus(options: { directory: string; runs?: number }): Record<string, number> {
  return runChild<Record<string, number>>(__filename, ['--child', options.directory, String(options.runs ?? 7)]);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') printFigures('task-status', child(args[1], Number(args[2])));
  else void runStandalone('ledger-bench-status-', (directory) => benchTaskStatus({ directory }));
}
