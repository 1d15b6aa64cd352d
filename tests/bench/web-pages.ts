import { CommandBus } from '@nestjs/cqrs';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { IssueTokenCommand, type IssueTokenResult } from '../../src/access/issue-token/issue-token.command';
import { adminPrincipal } from '../../src/access/principal';
import type { Role } from '../../src/access/roles';
import { operatorContext } from '../../src/cli/operator-context';
import { loadConfig } from '../../src/config';
import { systemContext } from '../../src/event-sourcing/request-context';
import { OpenLedgerCommand } from '../../src/ledgers/open-ledger/open-ledger.command';
import { BulkSubmitCommand } from '../../src/ledgers/submit/bulk-submit.command';
import type { ProgrammeTemplate } from '../../src/programmes/template';
import { RegisterProgrammeCommand } from '../../src/programmes/register-programme/register-programme.command';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { createServer } from '../../src/server';
import { benchClock, benchUnits, benchUnitsCsv, msSince, neaTemplate, openNeaLedger, printFigures, rss, runChild, runStandalone } from './nea-fixture';
import { progressLines, STATUS_LEDGER, STATUS_UNIT_MIX } from './task-status';

const CAMAU_FILE = join(__dirname, '../../templates/programmes/camau-ocop-2022.yaml');
const OCOP_LEDGER = 'bench-ocop';

/**
 * Every main page of the web application (server-rendered HTML) over HTTP, on the task-status
 * bench's ledger: 1,000 units × the NEA's 57 tasks (about 40,000 (task, unit) pairs, a third with
 * two progress reports); the OCOP page on a Cà Mau OCOP ledger of 1,000 units. Each page is called
 * as a browser calls it, with the token of a role that may open it (Accept-Language zh-CN): one
 * warm-up, then `runs` GETs; the median is `webPage.<page>.ms` (the board's also `boardPageMs`,
 * the figure BENCHMARKS.md has tracked since before this bench covered every page), and the CPU
 * time the process spent on it, `webPage.<page>.cpuMs` (server and client share the process; on a
 * machine shared with other work the CPU time says what the wall time cannot). The board
 * keeps its statuses for the next pages until the log moves; `boardAfterChange` times it after
 * each change, when it is worked out afresh. In a child
 * process of its own. Alone: `npx ts-node --transpile-only tests/bench/web-pages.ts [runs]`.
 */
async function child(directory: string, runs: number): Promise<Record<string, number>> {
  const config = { ...loadConfig({ store: `sqlite:${join(directory, 'web.db')}`, liveProjections: false }, {}), clock: benchClock() };
  const app = await createServer(config, false);
  try {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const units = benchUnits(STATUS_UNIT_MIX);
    await openNeaLedger(app, STATUS_LEDGER, units);
    const commands = app.get(CommandBus);
    await commands.execute(new BulkSubmitCommand(progressLines(units).lines.join('\n'), 'progress.ndjson', operatorContext()));
    const ocopUnits = await openOcopLedger(commands);
    await app.get(ProjectionRunner).catchUp();
    const token = async (unit: string, role: Role, ledger: string | null = STATUS_LEDGER) =>
      ((await commands.execute(new IssueTokenCommand({ unit, role, ledger, label: `bench ${role}` }, adminPrincipal('system:bench')))) as IssueTokenResult).token;
    const regulator = units.find((u) => u.role === 'energy-authority')!.id;
    const clerk = units.find((u) => u.role === 'supply-company')!.id;
    const [regulatorToken, auditorToken, clerkToken, adminToken, ocopToken] = [
      await token(regulator, 'regulator'),
      await token(regulator, 'auditor'),
      await token(clerk, 'submitter'),
      await token(regulator, 'admin', null),
      await token(ocopUnits[0], 'regulator', OCOP_LEDGER),
    ];
    const ledger = `/ledgers/${STATUS_LEDGER}`;
    // Before each GET of `boardAfterChange`, a unit reports progress: the board is worked out afresh, as after every change to the log.
    const clerkTask = neaTemplate().tasks.find((t) => t.lead.includes('supply-company'))!.number;
    let changes = 0;
    const change = async () => {
      const on = `2021-0${1 + (changes % 9)}-${String(10 + (changes++ % 18)).padStart(2, '0')}`;
      await commands.execute(new BulkSubmitCommand(JSON.stringify({ type: 'progress', ledger: STATUS_LEDGER, unit: clerk, task: clerkTask, status: 'in-progress', on, note: `bench ${changes}` }), 'change.ndjson', operatorContext()));
    };
    const pages: { name: string; path: string; token: string; shows: string; before?: () => Promise<void> }[] = [
      { name: 'myTasks', path: '/tasks', token: clerkToken, shows: '<main' },
      { name: 'unitWorkspace', path: `${ledger}/units/${clerk}`, token: clerkToken, shows: '<main' },
      { name: 'figuresGrid', path: `${ledger}/units/${clerk}/figures`, token: clerkToken, shows: '<form' },
      { name: 'board', path: `${ledger}/board`, token: regulatorToken, shows: 'table class="board"' },
      { name: 'boardAfterChange', path: `${ledger}/board?offset=50`, token: regulatorToken, shows: 'table class="board"', before: change },
      { name: 'overdueList', path: `${ledger}/board?status=overdue#overdue`, token: regulatorToken, shows: 'id="overdue"' },
      { name: 'reportsCalendar', path: `${ledger}/reports`, token: regulatorToken, shows: '<table' },
      { name: 'history', path: `${ledger}/history`, token: auditorToken, shows: '<table' },
      { name: 'audit', path: '/audit', token: auditorToken, shows: '<form' },
      { name: 'ocop', path: `/ledgers/${OCOP_LEDGER}/ocop`, token: ocopToken, shows: '<table' },
      { name: 'people', path: '/admin/people', token: adminToken, shows: '<table' },
    ];
    const get = async (page: (typeof pages)[number]) => {
      await page.before?.();
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const response = await fetch(`http://127.0.0.1:${port}${page.path}`, { headers: { Authorization: `Bearer ${page.token}`, 'Accept-Language': 'zh-CN' } });
      const text = await response.text();
      const ms = msSince(started);
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      if (response.status !== 200 || !text.includes(page.shows)) throw new Error(`${page.name} (${page.path}): ${response.status} ${text.slice(0, 300)}`);
      return { ms, cpuMs, bytes: Buffer.byteLength(text) };
    };
    const figures: Record<string, number> = {};
    for (const page of pages) {
      const first = await get(page);
      const times: number[] = [];
      const cpuTimes: number[] = [];
      for (let i = 0; i < runs; i++) {
        const { ms, cpuMs } = await get(page);
        times.push(ms);
        cpuTimes.push(cpuMs);
      }
      const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
      figures[`webPage.${page.name}.ms`] = median(times);
      figures[`webPage.${page.name}.cpuMs`] = median(cpuTimes);
      figures[`webPage.${page.name}.coldMs`] = Math.round(first.ms);
      figures[`webPage.${page.name}.kb`] = Math.round(first.bytes / 1024);
    }
    return { boardPageMs: figures['webPage.board.ms'], ...figures, webPagesPeakRssMb: rss() };
  } finally {
    await app.close();
  }
}

/** The Cà Mau OCOP programme and a ledger of 1,000 units spread over its roles. */
async function openOcopLedger(commands: CommandBus): Promise<string[]> {
  const yaml = readFileSync(CAMAU_FILE, 'utf8');
  const template = parse(yaml) as ProgrammeTemplate;
  const roles = template.roles.map((r) => r.id);
  const units = benchUnits(Object.fromEntries(roles.map((role, n) => [role, Math.floor(1000 / roles.length) + (n < 1000 % roles.length ? 1 : 0)])));
  await commands.execute(new RegisterProgrammeCommand(yaml, CAMAU_FILE, systemContext('bench')));
  await commands.execute(new OpenLedgerCommand(OCOP_LEDGER, template.id, 'bench OCOP', benchUnitsCsv(units), 'units.csv', systemContext('bench')));
  return units.map((u) => u.id);
}

export function benchWebPages(options: { directory: string; runs?: number }): Record<string, number> {
  return runChild<Record<string, number>>(__filename, ['--child', options.directory, String(options.runs ?? 7)]);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') printFigures('web-pages', child(args[1], Number(args[2])));
  else void runStandalone('ledger-bench-web-', (directory) => benchWebPages({ directory, runs: args[0] ? Number(args[0]) : 7 }));
}
