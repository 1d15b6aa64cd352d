/**
 * A report's pin: what it was drawn from (ledger, report, period, the as-of instant, the log
 * position and the log's running digest there, and the checkpoint of the log there: its tree size and
 * root, the same in every store; the whole signed note rides in the metadata only). Every page footer prints it, and the file's
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
  /** The store's own log position: printed only in pins without a tree (a tree size names the moment in every store, a position only in the store that made the report). */
  position?: number;
  /** sha256 hex of the log's running digest at that position. */
  logDigest: string;
  /** The log's Merkle tree then: its size (the events up to the position) and base64 root; absent in reports made before the tree. */
  tree?: { size: number; root: string };
  /** The signed checkpoint note of that tree (metadata only, not in the footer). */
  checkpointNote?: string;
}

const PREFIX = 'compliance-ledger report';
const PATTERN =
  /compliance-ledger report ([A-Za-z0-9_-]+)\/([A-Za-z0-9._-]+)\/([0-9A-Z-]+) as of (\S+)(?: at log position (\d+))? sha256:([0-9a-f]{64})(?: tree (\d+) ([A-Za-z0-9+/]{43}=))?(?: note:([A-Za-z0-9+/]+=*))?/;

/** The pin as the footer prints it (ASCII, no parentheses: it sits unescaped in a PDF string). */
export function formatPin(pin: ReportPin): string {
  // With a tree, the pin leaves the store's position out, so the same report drawn from a moved log has the same bytes.
  const where = pin.tree ? '' : ` at log position ${pin.position}`;
  const tree = pin.tree ? ` tree ${pin.tree.size} ${pin.tree.root}` : '';
  return `${PREFIX} ${pin.ledgerId}/${pin.reportId}/${pin.period} as of ${pin.asOf}${where} sha256:${pin.logDigest}${tree}`;
}

/** The pin as the metadata carries it: the footer's, and the signed checkpoint note in base64 (kept ASCII for the PDF's info strings). */
export function pinMetadata(pin: string, checkpointNote: string | undefined): string {
  return checkpointNote ? `${pin} note:${Buffer.from(checkpointNote, 'utf8').toString('base64')}` : pin;
}

export function parsePin(text: string): ReportPin | null {
  const m = PATTERN.exec(text);
  if (!m || Number.isNaN(Date.parse(m[4])) || (m[5] === undefined && m[7] === undefined)) return null;
  return {
    ledgerId: m[1],
    reportId: m[2],
    period: m[3],
    asOf: m[4],
    ...(m[5] !== undefined ? { position: Number(m[5]) } : {}),
    logDigest: m[6],
    ...(m[7] ? { tree: { size: Number(m[7]), root: m[8] } } : {}),
    ...(m[9] ? { checkpointNote: Buffer.from(m[9], 'base64').toString('utf8') } : {}),
  };
}

/** The pin a delivered report file carries, or null: a PDF holds it as a plain info string, an xlsx in docProps/core.xml. */
export async function readPin(bytes: Buffer): Promise<ReportPin | null> {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return parsePin(bytes.toString('latin1'));
  if (bytes.subarray(0, 2).toString('latin1') !== 'PK') return null;
  const zip = await JSZip.loadAsync(bytes).catch(() => null);
  const core = await zip?.file('docProps/core.xml')?.async('string');
  return core ? parsePin(core) : null;
}
