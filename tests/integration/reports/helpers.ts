/**
 * Opening generated reports back: the xlsx with exceljs, the PDF with poppler's pdftotext (which must
 * be installed: the tests fail, never skip, without it), and the PDF's raw objects and streams.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';

export function requirePoppler(): void {
  for (const tool of ['pdftotext', 'pdftoppm']) {
    const probe = spawnSync(tool, ['-v'], { encoding: 'utf8' });
    if (probe.error) throw new Error(`${tool} is required by the report tests and was not found: install poppler-utils (apt-get install poppler-utils)`);
  }
}

function withTempFile<T>(bytes: Buffer, name: string, use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'report-test-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `pdftotext -layout`, NFC-normalised (poppler may hand back decomposed text). */
export function pdfText(pdf: Buffer, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return withTempFile(pdf, 'report.pdf', (path) => execFileSync('pdftotext', ['-layout', ...range, path, '-'], { encoding: 'utf8' })).normalize('NFC');
}

/** Text without any whitespace: pdftotext spaces CJK text by its own measure. */
export const squeeze = (text: string): string => text.replace(/\s+/g, '');

/** Page 1 as a PNG (pdftoppm -r 60) into `dir`, for looking at it; returns the PNG path. */
export function pageOnePng(pdf: Buffer, dir: string, name: string): string {
  const pdfPath = join(dir, `${name}.pdf`);
  writeFileSync(pdfPath, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfPath, join(dir, name)]);
  return join(dir, `${name}.png`);
}

/** Every FlateDecode stream of the PDF, inflated, as latin1 text (content streams: colours, ops). */
export function pdfStreams(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/\/Filter \/FlateDecode[^>]*>>\s*stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not every stream ends exactly before "endstream" (trailing newline); skip those we cannot read
    }
  }
  return out.join('\n');
}

export async function readXlsx(xlsx: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
  return wb;
}

/** Merged ranges of a sheet, e.g. ['A5:A6', 'B5:D5']. */
export function merges(ws: ExcelJS.Worksheet): string[] {
  return [...(ws.model as unknown as { merges: string[] }).merges].sort();
}

/** Where a text is on a sheet: the first cell whose text equals it. */
export function findCell(ws: ExcelJS.Worksheet, text: string): ExcelJS.Cell | undefined {
  let found: ExcelJS.Cell | undefined;
  ws.eachRow((row) => row.eachCell((cell) => { if (!found && cell.text === text) found = cell; }));
  return found;
}

/** The PDF's info dictionary, its entries resolved (pdfkit writes each value as its own object). */
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const raw = pdf.toString('latin1');
  const infoRef = /\/Info (\d+) 0 R/.exec(raw)?.[1];
  const dict = new RegExp(`\\n${infoRef} 0 obj\\n<<([\\s\\S]*?)>>`).exec(raw)?.[1] ?? '';
  const out: Record<string, string> = {};
  for (const [, key, ref] of dict.matchAll(/\/(\w+) (\d+) 0 R/g)) {
    out[key] = new RegExp(`\\n${ref} 0 obj\\n([\\s\\S]*?)\\nendobj`).exec(raw)?.[1] ?? '';
  }
  return out;
}
