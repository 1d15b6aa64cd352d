/**
 * ResolvedReport → PDF (pdfmake 0.3): A4, header rows repeated on every page, page numbers in the
 * footer, Noto Sans SC (simplified Chinese and Vietnamese) embedded as a subset; tables in pdf-table.ts.
 * Reproducible: CreationDate and ModDate are the as-of moment, and pdfkit 0.19 derives the trailer
 * /ID from the info dictionary only (md5 of CreationDate and every info entry), which here carries
 * the report's content digest: /ID is a function of the as-of and the content, never of time or chance.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- pdfmake 0.3's CommonJS export only works this way (ARCHITECTURE.md)
import pdfmake = require('pdfmake');
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { pdfTable } from './pdf-table';
import { TextWrapper } from './pdf-wrap';
import type { ResolvedLine, ResolvedReport } from './resolved';
import { reportDigest } from './resolve';

const FONT = 'NotoSansSC';
const REGULAR = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');
const PT_PER_MM = 72 / 25.4;
const A4 = { width: 595.28, height: 841.89 };
const LINE_HEIGHT = 1.15;

/** Its font measurements are cached for the process's lifetime. */
const WRAPPER = new TextWrapper(REGULAR, BOLD);

/** The module is a process-wide singleton: set fonts and policies on every call, never fetch anything. */
function configure(): void {
  pdfmake.setFonts({ [FONT]: { normal: REGULAR, bold: BOLD, italics: REGULAR, bolditalics: BOLD } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => path === REGULAR || path === BOLD);
}

export async function renderPdf(report: ResolvedReport): Promise<Buffer> {
  configure();
  const asOf = new Date(report.asOf);
  const { page } = report;
  const margins = [page.margins.left, page.margins.top, page.margins.right, page.margins.bottom].map((mm) => mm * PT_PER_MM);
  const pageWidth = page.orientation === 'landscape' ? A4.height : A4.width;
  const available = pageWidth - margins[0] - margins[2];
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: page.orientation,
    pageMargins: margins as [number, number, number, number],
    language: report.language,
    info: {
      title: report.documentTitle,
      creator: 'compliance-ledger',
      producer: 'compliance-ledger (pdfmake)',
      creationDate: asOf,
      modDate: asOf,
      subject: report.layoutId,
      ...(report.pin ? { keywords: report.pin } : {}),
      // Custom info entry: it enters pdfkit's /ID hash, making /ID a function of the content.
      ...({ ReportDigest: `sha256:${reportDigest(report)}` } as Record<string, string>),
    },
    defaultStyle: { font: FONT, fontSize: page.fontSize, lineHeight: LINE_HEIGHT },
    footer: page.pageNumbers
      ? (current: number, count: number) => ({
        text: page.pageNumbers!.map((p) => ('literal' in p ? p.literal : String(p.counter === 'page' ? current : count))).join(''),
        alignment: 'center', fontSize: 9, margin: [0, 12, 0, 0],
      })
      : undefined,
    content: [
      ...report.title.map((l) => line(l)),
      ...headerBlock(report),
      ...report.tables.flatMap((t, i) => pdfTable(t, { available, repeatHeader: page.repeatHeaderRows, spaced: i > 0, wrapper: WRAPPER, lineHeight: LINE_HEIGHT })),
      // Footnotes and seal stay together: a seal alone on the last page reads as an orphan.
      {
        unbreakable: true,
        stack: [
          ...report.footnotes.map((f): Content => ({ text: f, fontSize: Math.max(page.fontSize - 1, 6), margin: [0, 6, 0, 0] })),
          ...report.signature.map((l, i) => line(l, [0, i === 0 ? 18 : 2, 24, 0])),
        ],
      },
    ],
  };
  return pdfmake.createPdf(doc).getBuffer();
}

function line(l: ResolvedLine, margin: [number, number, number, number] = [0, 0, 0, 4]): Content {
  return { text: l.text, fontSize: l.size, bold: l.bold, alignment: l.align, margin };
}

function headerBlock(report: ResolvedReport): Content[] {
  if (report.header.length === 0) return [];
  return [{ columns: report.header.map((h) => ({ text: h.label + h.value, width: '*' })), margin: [0, 4, 0, 8] }];
}
