/**
 * An uploaded .xlsx → its cells as plain values, sheet by sheet (exceljs). Nothing here knows the
 * layout: workbook-records.ts turns the cells into submission records.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';

/** A cell's value as read: text, number, date, boolean, an Excel error (#N/A …), or nothing. */
export type PlainCell = string | number | boolean | Date | { error: string } | null;

/** Sheet name → A1 address → value (empty cells absent). */
export interface FilledWorkbook {
  sheets: Record<string, Record<string, PlainCell>>;
}

/** Unpacked size allowed (a small zip may inflate enormously). */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

export function plainOf(value: ExcelJS.CellValue | undefined): PlainCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value !== 'object') return null;
  if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((run) => run.text).join('');
  if ('error' in value && typeof value.error === 'string') return { error: value.error };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return { error: 'a formula without a saved result' };
    return plainOf(result as ExcelJS.CellValue);
  }
  if ('hyperlink' in value) return plainOf((value as { text?: ExcelJS.CellValue }).text ?? (value as { hyperlink: string }).hyperlink);
  return null;
}

async function assertUnpackedSize(bytes: Buffer): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new DomainError('invalid', [problem('(workbook)', 'problem.notXlsx', { detail: (error as Error).message })]);
  }
  let total = 0;
  for (const file of Object.values(zip.files)) {
    // jszip keeps the sizes of the central directory on each entry it read (not in its typings).
    total += (file as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
  }
  if (total > MAX_UNPACKED_BYTES) throw new DomainError('too-large', [problem('(workbook)', 'problem.unpacksTooLarge', { size: total, limit: MAX_UNPACKED_BYTES })]);
}

export async function readWorkbook(bytes: Buffer): Promise<FilledWorkbook> {
  await assertUnpackedSize(bytes);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new DomainError('invalid', [problem('(workbook)', 'problem.xlsxUnreadable', { detail: (error as Error).message })]);
  }
  const sheets: FilledWorkbook['sheets'] = {};
  wb.eachSheet((ws) => {
    const cells: Record<string, PlainCell> = {};
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.isMerged && cell.master !== cell) return;
        const value = plainOf(cell.value);
        if (value !== null) cells[cell.address] = value;
      });
    });
    sheets[ws.name] = cells;
  });
  return { sheets };
}
