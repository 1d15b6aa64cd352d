import { QueryBus } from '@nestjs/cqrs';
import { writeFileSync } from 'node:fs';
import { parseAsOf } from '../../audit/as-of';
import { GenerateReportQuery, type GeneratedReport } from '../../reports/generate/generate-report.query';
import { UsageError, type CliCommand } from '../command';

export const reportCommand: CliCommand = {
  name: 'report',
  usage: '<ledgerId> <reportId> --period <period> --format xlsx|pdf --out <file> [--as-of <ISO-8601|position>]',
  summary: 'write one report; without --as-of, as of now',
  positionals: [2, 2],
  options: { period: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, 'as-of': { type: 'string' } },
  async run({ positionals: [ledgerId, reportId], values, withApp, out }) {
    for (const option of ['period', 'format', 'out']) if (!values[option]) throw new UsageError(`report: --${option} is required`);
    if (values.format !== 'xlsx' && values.format !== 'pdf') throw new UsageError(`report: --format must be xlsx or pdf, not "${values.format}"`);
    const asOf = parseAsOf(values['as-of'] as string | undefined, '--as-of');
    await withApp(async (app) => {
      const report: GeneratedReport = await app.get(QueryBus).execute(new GenerateReportQuery(ledgerId, reportId, values.period as string, values.format as string, asOf));
      writeFileSync(values.out as string, report.bytes);
      out(`wrote ${values.out}: ${report.reportId} ${report.period} of ${ledgerId} as of ${report.asOf} (log position ${report.position}); sha256:${report.digest}`);
    });
  },
};
