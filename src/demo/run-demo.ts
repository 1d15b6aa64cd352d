import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../event-sourcing/clock';
import { DomainError } from '../event-sourcing/domain-error';
import type { EventStore } from '../event-sourcing/event-store.port';
import { systemContext } from '../event-sourcing/request-context';
import { CLOCK, EVENT_STORE } from '../event-sourcing/tokens';
import { LedgerDirectory } from '../ledgers/ledger-directory';
import { OpenLedgerCommand } from '../ledgers/open-ledger/open-ledger.command';
import { TaskStatusQuery } from '../ledgers/queries/task-status.query';
import { BulkSubmitCommand } from '../ledgers/submit/bulk-submit.command';
import { currentPeriods } from '../programmes/calendar';
import { localDateOf } from '../programmes/local-time';
import type { ProgrammeTemplate } from '../programmes/template';
import { registerShippedProgrammes } from '../programmes/shipped-programmes';
import { ProjectionRunner } from '../read-models/projection-runner';
import { REPORT_PROVIDERS } from '../reports/data/providers';
import { GenerateReportQuery, type GeneratedReport } from '../reports/generate/generate-report.query';
import { unitsCsv } from '../ledgers/open-ledger/units-csv';
import { DEMO_LEDGERS } from './demo-ledgers';
import { demoRecords } from './demo-records';

/**
 * `npm run demo`: registers the shipped programmes, opens one sample ledger per programme, submits
 * a season of progress, figures and corrections, says where things stand, and writes every report
 * of the current calendar to ./out/ as xlsx and PDF. Every id is derived from what it describes, so
 * running it again appends nothing.
 */
export async function runDemo(app: INestApplicationContext, out: (line: string) => void, outDir = 'out'): Promise<void> {
  const commands = app.get(CommandBus);
  const runner = app.get(ProjectionRunner);
  const directory = app.get(LedgerDirectory);
  const context = systemContext('demo');
  await registerShippedProgrammes(commands, app.get<EventStore>(EVENT_STORE), context);
  await runner.catchUp();
  for (const demo of DEMO_LEDGERS) {
    const { template } = await directory.programme(demo.programmeId);
    if (!(await exists(directory, demo.ledgerId))) {
      await commands.execute(new OpenLedgerCommand(demo.ledgerId, demo.programmeId, demo.name, unitsCsv(demo.units(template)), `${demo.ledgerId}.units.csv`, context));
      await runner.catchUp();
    }
    const ledger = await directory.get(demo.ledgerId);
    const today = localDateOf(app.get<Clock>(CLOCK).now().toISOString(), template.timeZone);
    const records = [...demoRecords(ledger, today), ...(demo.ocopSeason?.() ?? [])];
    const submitted = await commands.execute(new BulkSubmitCommand(records.map((r) => JSON.stringify(r)).join('\n'), `${demo.ledgerId}.demo.ndjson`, context));
    await runner.catchUp();
    const status = await app.get(QueryBus).execute(new TaskStatusQuery(demo.ledgerId));
    const counts = new Map<string, number>();
    status.rows.forEach((r) => counts.set(r.status, (counts.get(r.status) ?? 0) + 1));
    out(
      `${demo.ledgerId} (${demo.programmeId}, ${ledger.units.size} units): ${submitted.appended} new events` +
        (submitted.duplicates ? `, ${submitted.duplicates} already there` : '') +
        `; ${status.rows.length} (task, unit) pairs: ${[...counts].sort().map(([s, n]) => `${s} ${n}`).join(', ')}`,
    );
    const files = await writeReports(app, ledger.ledgerId, template, today, join(outDir, demo.ledgerId));
    out(`  ${files.length} report files in ${join(outDir, demo.ledgerId)}`);
  }
}

/** Every report the programme owes for the current calendar's periods, as of now, in both formats. */
async function writeReports(app: INestApplicationContext, ledgerId: string, template: ProgrammeTemplate, today: string, directory: string): Promise<string[]> {
  mkdirSync(directory, { recursive: true });
  const written: string[] = [];
  for (const period of currentPeriods(template, today)) {
    for (const reportId of template.reports.filter((id) => id in REPORT_PROVIDERS)) {
      for (const format of ['xlsx', 'pdf']) {
        const report: GeneratedReport = await app.get(QueryBus).execute(new GenerateReportQuery(ledgerId, reportId, period.id, format));
        const file = join(directory, `${reportId}.${period.id}.${format}`);
        writeFileSync(file, report.bytes);
        written.push(file);
      }
    }
  }
  return written;
}

async function exists(directory: LedgerDirectory, ledgerId: string): Promise<boolean> {
  try {
    await directory.get(ledgerId);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not-found') return false;
    throw error;
  }
}
