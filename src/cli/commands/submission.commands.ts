import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { isUtf8 } from 'node:buffer';
import { DomainError, type Problem } from '../../event-sourcing/domain-error';
import { writeFileSync } from 'node:fs';
import { parseAsOf } from '../../audit/as-of';
import type { GeneratedReport, ReportFormat } from '../../reports/generate/generate-report.query';
import { HistoryReportQuery } from '../../reports/history-report.query';
import { HistoryQuery, type HistoryEntry, type HistoryPage } from '../../ledgers/queries/history.query';
import { TaskStatusQuery } from '../../ledgers/queries/task-status.query';
import { BulkSubmitCommand } from '../../ledgers/submit/bulk-submit.command';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { UsageError, type CliCommand } from '../command';
import { operatorContext } from '../operator-context';
import { progressBar } from '../progress';
import { readInput } from '../read-input';
import { problem } from '../../i18n/problem';

/** The file's text, if every line is UTF-8; otherwise a DomainError naming each line that is not (a lenient decode would put U+FFFD in silently). */
function utf8Lines(bytes: Buffer, file: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const problems: Problem[] = [];
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    if (!isUtf8(bytes.subarray(start, stop))) problems.push(problem(`${file}:${line} (line)`, 'problem.notUtf8'));
    start = stop + 1;
  }
  throw new DomainError('invalid', problems);
}

export const submitCommand: CliCommand = {
  name: 'submit',
  usage: '<file.ndjson>',
  summary: 'append the submissions of the file (one JSON record a line); any bad line rejects the whole file',
  positionals: [1, 1],
  async run({ positionals: [file], withApp, out }) {
    const text = utf8Lines(readInput(file, null), file);
    await withApp(async (app) => {
      await app.get(ProjectionRunner).catchUp();
      const bar = progressBar('submit');
      const result = await app.get(CommandBus).execute(new BulkSubmitCommand(text, file, operatorContext(), (done, total) => bar.update(done, total)));
      bar.stop();
      out(
        `appended ${result.appended} events from ${result.lines} lines to ${result.streams} unit streams` +
          (result.duplicates ? ` (${result.duplicates} already appended, skipped)` : '') +
          (result.position ? `; log position ${result.position}` : ''),
      );
    });
  },
};

export const statusCommand: CliCommand = {
  name: 'status',
  usage: '<ledgerId> [--as-of <ISO-8601|position>] [--unit <unitId>] [--task <number>] [--json]',
  summary: 'task status per (task, unit)',
  positionals: [1, 1],
  options: { 'as-of': { type: 'string' }, unit: { type: 'string' }, task: { type: 'string' }, json: { type: 'boolean' } },
  async run({ positionals: [ledgerId], values, withApp, out }) {
    const asOf = parseAsOf(values['as-of'] as string | undefined, '--as-of');
    await withApp(async (app) => {
      await app.get(ProjectionRunner).catchUp();
      const report = await app.get(QueryBus).execute(new TaskStatusQuery(ledgerId, asOf, { unit: values.unit as string, task: values.task as string }));
      if (values.json) return out(JSON.stringify(report));
      out(`${report.ledgerId} (${report.programmeId} v${report.programmeVersion}) as of ${report.asOf}: ${report.rows.length} (task, unit) pairs`);
      for (const r of report.rows) {
        const latest = r.progress ? `  reported ${r.progress} on ${r.lastReportOn}${r.note ? `: ${r.note}` : ''}${r.evidence.length ? ` [evidence: ${r.evidence.join('; ')}]` : ''}` : '';
        out(`  ${r.task.padEnd(8)} ${r.unit.padEnd(20)} ${r.status.padEnd(18)} due ${r.due ?? '—'}${r.completedOn ? `  completed ${r.completedOn}` : ''}${r.period ? `  period ${r.period}` : ''}${latest}`);
      }
    });
  },
};

function describe(entry: HistoryEntry): string {
  const who = `${entry.actor ?? '?'} (${entry.role ?? '?'})`;
  const facts = JSON.stringify(entry.type === 'SubmissionCorrected' ? entry.data.facts : stripIds(entry.data));
  const correction = entry.replaced ? ` corrects ${entry.replaced.eventId}: ${JSON.stringify(stripIds(entry.replaced.data.facts ? (entry.replaced.data.facts as Record<string, unknown>) : entry.replaced.data))} → ${facts}; reason: ${entry.data.reason}` : ` ${facts}`;
  const backfilled = typeof entry.data.reportedOn === 'string' ? ` [back-filled: reported ${entry.data.reportedOn}, recorded ${entry.recordedAt.slice(0, 10)} by ${entry.actor ?? '?'}]` : '';
  return `${String(entry.position).padStart(8)} ${entry.recordedAt} ${entry.type} ${entry.unit ?? ''} by ${who}${correction}${backfilled}${entry.supersededBy ? ` [superseded by ${entry.supersededBy}]` : ''}`;
}

function stripIds(data: Record<string, unknown>): Record<string, unknown> {
  const { ledgerId: _l, unitId: _u, ...rest } = data;
  return rest;
}

export const historyCommand: CliCommand = {
  name: 'history',
  usage: '<ledgerId> [--unit <u>] [--task <n>] [--metric <id>] [--product <id>] [--as-of <ISO-8601|position>] [--json | --out <file.xlsx|file.pdf>]',
  summary: 'the events of a ledger in order, corrections with what they replaced (filterable; exportable as xlsx or PDF)',
  positionals: [1, 1],
  options: {
    unit: { type: 'string' },
    task: { type: 'string' },
    metric: { type: 'string' },
    product: { type: 'string' },
    'as-of': { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string' },
  },
  async run({ positionals: [ledgerId], values, withApp, out }) {
    const asOf = parseAsOf(values['as-of'] as string | undefined, '--as-of');
    const format = values.out ? /\.(xlsx|pdf)$/i.exec(values.out as string)?.[1]?.toLowerCase() : undefined;
    if (values.out && !format) throw UsageError.of('cli.outFormat', { command: 'history' });
    const filter = { unit: values.unit as string, task: values.task as string, metric: values.metric as string, product: values.product as string };
    await withApp(async (app) => {
      const queries = app.get(QueryBus);
      if (format) {
        const file: GeneratedReport = await queries.execute(new HistoryReportQuery(ledgerId, filter, format as ReportFormat, asOf));
        writeFileSync(values.out as string, file.bytes);
        return out(`wrote ${values.out}: the history of ${ledgerId} as of ${file.asOf} (log position ${file.position}); sha256:${file.digest}`);
      }
      const entries: HistoryEntry[] = [];
      for (let after: number | null = 0; after !== null; ) {
        const page: HistoryPage = await queries.execute(new HistoryQuery(ledgerId, { ...filter, after, asOf, limit: 5000 }));
        if (values.json) entries.push(...page.entries);
        else page.entries.forEach((e) => out(describe(e)));
        after = page.next;
      }
      if (values.json) out(JSON.stringify(entries));
    });
  },
};
