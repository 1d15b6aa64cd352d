/**
 * A report's pin: what it was drawn from (ledger, report, period, the as-of instant, the log
 * position and the log's running digest there). Every page footer prints it, and the file's
 * metadata carries it (PDF Keywords, xlsx core keywords) so `verify --report` can read it back and
 * regenerate the same bytes without any record of the delivery.
 */
import JSZip from 'jszip';

export interface ReportPin {
  ledgerId: string;
  reportId: string;
  period: string;
  /** ISO-8601 instant the report is as of. */
  asOf: string;
  position: number;
  /** sha256 hex of the log's running digest at that position. */
  logDigest: string;
}

const PREFIX = 'compliance-ledger report';
const PATTERN = /compliance-ledger report ([A-Za-z0-9_-]+)\/([A-Za-z0-9._-]+)\/([0-9A-Z-]+) as of (\S+) at log position (\d+) sha256:([0-9a-f]{64})/;

/** The pin as printed (ASCII, no parentheses: it sits unescaped in a PDF string). */
export function formatPin(pin: ReportPin): string {
  return `${PREFIX} ${pin.ledgerId}/${pin.reportId}/${pin.period} as of ${pin.asOf} at log position ${pin.position} sha256:${pin.logDigest}`;
}

export function parsePin(text: string): ReportPin | null {
  const m = PATTERN.exec(text);
  if (!m || Number.isNaN(Date.parse(m[4]))) return null;
  return { ledgerId: m[1], reportId: m[2], period: m[3], asOf: m[4], position: Number(m[5]), logDigest: m[6] };
}

/** The pin a delivered report file carries, or null: a PDF holds it as a plain info string, an xlsx in docProps/core.xml. */
export async function readPin(bytes: Buffer): Promise<ReportPin | null> {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return parsePin(bytes.toString('latin1'));
  if (bytes.subarray(0, 2).toString('latin1') !== 'PK') return null;
  const zip = await JSZip.loadAsync(bytes).catch(() => null);
  const core = await zip?.file('docProps/core.xml')?.async('string');
  return core ? parsePin(core) : null;
}
