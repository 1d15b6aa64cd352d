import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { problem, refusal } from '../../i18n/problem';
import { DomainError } from '../../event-sourcing/domain-error';
import type { RequestContext } from '../../event-sourcing/request-context';
import { LedgerDirectory } from '../ledger-directory';
import { BulkSubmitCommand, type BulkSubmitResult } from '../submit/bulk-submit.command';
import { readWorkbook } from './read-workbook';
import { META_SHEET, metaCell, TEXTS } from './workbook-layout';
import {
  cellProblem,
  locateProblems,
  NDJSON_LABEL,
  orderProblems,
  readMeta,
  unexpectedMeta,
  withIds,
  workbookRecords,
  type CellProblem,
  type WorkbookMeta,
} from './workbook-records';

export interface UploadWorkbookResult {
  ledgerId: string;
  unitId: string;
  period: string;
  /** Filled rows read: progress rows (a status chosen) and metric rows (a value entered). */
  rows: { progress: number; metric: number };
  appended: number;
  /** Rows already appended by an earlier upload of the same cells: skipped. */
  duplicates: number;
  position: number;
}

/** What the upload must be for (the URL's ledger and unit; the CLI's options): a workbook for anything else is refused. */
export interface ExpectedWorkbook {
  ledgerId?: string;
  unitId?: string;
  period?: string;
}

/**
 * A filled-in workbook: every filled row becomes a submission record, and the records go through
 * BulkSubmitCommand — the same validation and all-or-nothing append as an NDJSON file. Every
 * problem, of reading a cell or of the record made from it, is named by sheet and cell.
 */
export class UploadWorkbookCommand extends Command<UploadWorkbookResult> {
  constructor(
    readonly bytes: Buffer,
    readonly context: RequestContext,
    readonly expected: ExpectedWorkbook = {},
  ) {
    super();
  }
}

function refuse(problems: CellProblem[], language: WorkbookMeta['language'] | undefined): never {
  throw new DomainError('invalid', orderProblems(problems, language ?? 'zh-CN'));
}

@CommandHandler(UploadWorkbookCommand)
export class UploadWorkbookHandler implements ICommandHandler<UploadWorkbookCommand, UploadWorkbookResult> {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: LedgerDirectory,
  ) {}

  async execute({ bytes, context, expected }: UploadWorkbookCommand): Promise<UploadWorkbookResult> {
    const workbook = await readWorkbook(bytes);
    const { meta, problems: metaProblems } = readMeta(workbook);
    if (!meta) refuse(metaProblems, undefined);
    const elsewhere = unexpectedMeta(meta, expected);
    if (elsewhere.length > 0) refuse(elsewhere, meta.language);
    const ledger = await this.directory.get(meta.ledger);
    if (ledger.programme.id !== meta.programme) {
      refuse([cellProblem(META_SHEET, metaCell('programme'), 'programme', refusal('workbook.for.programme', { value: meta.programme, ledger: ledger.ledgerId, expected: ledger.programme.id }))], meta.language);
    }

    const read = workbookRecords(workbook, meta);
    const records = withIds(read.records, meta);
    if (records.length === 0) {
      if (read.problems.length > 0) refuse(read.problems, meta.language);
      const t = TEXTS[meta.language];
      throw new DomainError('invalid', [problem('(workbook)', 'problem.workbookEmpty', { taskSheet: t.taskSheet, metricSheet: t.metricSheet })]);
    }
    // Cells that could not be read: the readable rows are still checked, so every problem is named at
    // once, and a last line that is never a record ("null") makes BulkSubmitCommand refuse the whole file.
    const lines = records.map((r) => JSON.stringify(r.record));
    if (read.problems.length > 0) lines.push('null');
    let result: BulkSubmitResult;
    try {
      result = await this.commands.execute(new BulkSubmitCommand(`${lines.join('\n')}\n`, NDJSON_LABEL, context));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
      refuse([...read.problems, ...locateProblems(error.problems, records)], meta.language);
    }
    if (read.problems.length > 0) throw new Error('a workbook with unreadable cells was accepted: the refusing line must refuse it');
    return {
      ledgerId: meta.ledger,
      unitId: meta.unit,
      period: meta.period,
      rows: { progress: records.filter((r) => r.record.type === 'progress').length, metric: records.filter((r) => r.record.type === 'metric').length },
      appended: result.appended,
      duplicates: result.duplicates,
      position: result.position,
    };
  }
}
