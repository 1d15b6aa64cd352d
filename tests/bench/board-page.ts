import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IssueTokenCommand, type IssueTokenResult } from '../../src/access/issue-token/issue-token.command';
import { adminPrincipal } from '../../src/access/principal';
import { operatorContext } from '../../src/cli/operator-context';
import { loadConfig } from '../../src/config';
import { BulkSubmitCommand } from '../../src/ledgers/submit/bulk-submit.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { createServer } from '../../src/server';
import { benchClock, benchUnits, describeError, msSince, openNeaLedger, rss, runChild } from './nea-fixture';
import { progressLines, STATUS_LEDGER, STATUS_UNIT_MIX } from './task-status';

/**
 * The regulator's status board page (GET /ledgers/{id}/board, server-rendered HTML) over HTTP, on
 * the task-status bench's ledger: 1,000 units × the NEA's 57 tasks (about 40,000 (task, unit) pairs,
 * a third with two progress reports), called with a regulator's token as a browser calls it with
 * its session. One warm-up, then `runs` GETs of the first page and of a filtered one (one status):
 * the medians are `boardPageMs` and `boardPageFilteredMs`. In a child process of its own.
 */
async function child(directory: string, runs: number): Promise<Record<string, number>> {
  const config = { ...loadConfig({ store: `sqlite:${join(directory, 'board.db')}`, liveProjections: false }, {}), clock: benchClock() };
  const app = await createServer(config, false);
  try {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const units = benchUnits(STATUS_UNIT_MIX);
    await openNeaLedger(app, STATUS_LEDGER, units);
    const { lines } = progressLines(units);
    const commands = app.get(CommandBus);
    await commands.execute(new BulkSubmitCommand(lines.join('\n'), 'progress.ndjson', operatorContext()));
    await app.get(ProjectionRunner).catchUp();
    const regulator = units.find((u) => u.role === 'energy-authority')!;
    const issued: IssueTokenResult = await commands.execute(new IssueTokenCommand({ unit: regulator.id, role: 'regulator', ledger: STATUS_LEDGER, label: 'bench' }, adminPrincipal('system:bench')));
    const get = async (query: string) => {
      const started = process.hrtime.bigint();
      const response = await fetch(`http://127.0.0.1:${port}/ledgers/${STATUS_LEDGER}/board${query}`, { headers: { Authorization: `Bearer ${issued.token}`, 'Accept-Language': 'zh-CN' } });
      const text = await response.text();
      const ms = msSince(started);
      if (response.status !== 200 || !text.includes('table class="board"')) throw new Error(`board page: ${response.status} ${text.slice(0, 300)}`);
      return { ms, bytes: Buffer.byteLength(text) };
    };
    const first = await get('');
    const median = async (query: string) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push((await get(query)).ms);
      times.sort((a, b) => a - b);
      return Math.round(times[Math.floor(times.length / 2)]);
    };
    return {
      boardPageMs: await median(''),
      boardPageFilteredMs: await median('?status=overdue'),
      boardPageColdMs: Math.round(first.ms),
      boardPageKb: Math.round(first.bytes / 1024),
      boardPagePeakRssMb: rss(),
    };
  } finally {
    await app.close();
  }
}

export function benchBoardPage(options: { directory: string; runs?: number }): Record<string, number> {
  return runChild<Record<string, number>>(__filename, ['--child', options.directory, String(options.runs ?? 7)]);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    child(args[1], Number(args[2])).then(
      (figures) => process.stdout.write(JSON.stringify(figures)),
      (error: unknown) => {
        process.stderr.write(`board-page: ${describeError(error)}\n`);
        process.exit(1);
      },
    );
  } else {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-bench-board-'));
    try {
      console.log(JSON.stringify(benchBoardPage({ directory }), null, 2));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
}
