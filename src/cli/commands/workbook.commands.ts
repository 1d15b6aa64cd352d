import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { writeFileSync } from 'node:fs';
import { DownloadWorkbookQuery, type DownloadedWorkbook } from '../../ledgers/workbook/download-workbook.query';
import { UploadWorkbookCommand, type UploadWorkbookResult } from '../../ledgers/workbook/upload-workbook.command';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { UsageError, type CliCommand } from '../command';
import { operatorContext } from '../operator-context';
import { readInput } from '../read-input';

export const workbookDownloadCommand: CliCommand = {
  name: 'workbook download',
  usage: '<ledgerId> --unit <unitId> --period <period> --out <file.xlsx>',
  summary: 'write the fill-in workbook of a unit for a period: its tasks (status, date, note, evidence) and the programme’s metrics',
  positionals: [1, 1],
  options: { unit: { type: 'string' }, period: { type: 'string' }, out: { type: 'string' } },
  async run({ positionals: [ledgerId], values, withApp, out }) {
    for (const option of ['unit', 'period', 'out']) if (!values[option]) throw UsageError.required('workbook download', option);
    await withApp(async (app) => {
      const workbook: DownloadedWorkbook = await app.get(QueryBus).execute(new DownloadWorkbookQuery(ledgerId, values.unit as string, values.period as string));
      writeFileSync(values.out as string, workbook.bytes);
      out(
        `wrote ${values.out}: workbook of ${workbook.unitId} in ${workbook.ledgerId} for ${workbook.period} (${workbook.programmeId} v${workbook.programmeVersion}): ` +
          `${workbook.tasks} tasks, ${workbook.metrics} metric rows`,
      );
    });
  },
};

export const workbookUploadCommand: CliCommand = {
  name: 'workbook upload',
  usage: '<file.xlsx> [--ledger <ledgerId>] [--unit <unitId>] [--period <period>]',
  summary: 'append the filled rows of a workbook (all or nothing); problems are named by sheet and cell; the options refuse a workbook for anything else',
  positionals: [1, 1],
  options: { ledger: { type: 'string' }, unit: { type: 'string' }, period: { type: 'string' } },
  async run({ positionals: [file], values, withApp, out }) {
    const bytes = readInput(file, null);
    await withApp(async (app) => {
      await app.get(ProjectionRunner).catchUp();
      const expected = { ledgerId: values.ledger as string | undefined, unitId: values.unit as string | undefined, period: values.period as string | undefined };
      const result: UploadWorkbookResult = await app.get(CommandBus).execute(new UploadWorkbookCommand(bytes, operatorContext(), expected));
      out(
        `appended ${result.appended} events from ${file} (${result.rows.progress} progress rows, ${result.rows.metric} metric rows) for ${result.unitId} in ${result.ledgerId}, ${result.period}` +
          (result.duplicates ? ` (${result.duplicates} already appended, skipped)` : '') +
          (result.position ? `; log position ${result.position}` : ''),
      );
    });
  },
};

export const WORKBOOK_COMMANDS: readonly CliCommand[] = [workbookDownloadCommand, workbookUploadCommand];
