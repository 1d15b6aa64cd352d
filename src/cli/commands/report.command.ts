import { QueryBus } from '@nestjs/cqrs';
import { writeFileSync } from 'node:fs';
import { parseAsOf } from '../../audit/as-of';
import { GenerateReportQuery, type GeneratedReport } from '../../reports/generate/generate-report.query';
import { ListReportsQuery, type RecordedReport } from '../../reports/list-reports.query';
import { UsageError, type CliCommand } from '../command';

export const reportCommand: CliCommand = {
  name: 'report',
  usage: '<ledgerId> <reportId> --period <period> --format xlsx|pdf --out <file> [--as-of <ISO-8601|position>]',
  summary: 'write one report; without --as-of, as of now',
  positionals: [2, 2],
  options: { period: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, 'as-of': { type: 'string' } },
  async run({ positionals: [ledgerId, reportId], values, withApp, out }) {
    for (const option of ['period', 'format', 'out']) if (!values[option]) throw UsageError.required('report', option);
    if (values.format !== 'xlsx' && values.format !== 'pdf') throw UsageError.of('cli.optionNotOneOf', { command: 'report', option: 'format', value: String(values.format), allowed: 'xlsx, pdf' });
    const asOf = parseAsOf(values['as-of'] as string | undefined, '--as-of');
    await withApp(async (app) => {
      const report: GeneratedReport = await app.get(QueryBus).execute(new GenerateReportQuery(ledgerId, reportId, values.period as string, values.format as string, asOf));
      writeFileSync(values.out as string, report.bytes);
      out(`wrote ${values.out}: ${report.reportId} ${report.period} of ${ledgerId} as of ${report.asOf} (log position ${report.position}); sha256:${report.digest}`);
    });
  },
};

export const reportsCommand: CliCommand = {
  name: 'reports',
  usage: '<ledgerId> [--json]',
  summary: 'list the reports recorded on the ledger’s calendar, with their files’ digests',
  positionals: [1, 1],
  options: { json: { type: 'boolean' } },
  async run({ positionals: [ledgerId], values, withApp, out }) {
    await withApp(async (app) => {
      const reports: RecordedReport[] = await app.get(QueryBus).execute(new ListReportsQuery(ledgerId));
      if (values.json) return out(JSON.stringify(reports));
      if (reports.length === 0) out(`no report recorded for ${ledgerId} yet`);
      for (const r of reports) {
        out(`${r.reportId.padEnd(24)} ${r.period.padEnd(8)} due ${r.due ?? '—'}  as of ${r.asOf}  log ${r.logPosition}  ${r.files.map((f) => `${f.format} sha256:${f.sha256.slice(0, 16)}…`).join('  ')}`);
      }
    });
  },
};
