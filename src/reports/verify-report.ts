import type { QueryBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { ReportRow } from '../../projections/reports.projection';
import { verifyLog } from '../audit/verify-log';
import type { EventStore } from '../event-sourcing/event-store.port';
import { GenerateReportQuery, type GeneratedReport } from './generate/generate-report.query';
import { historyFilterOf, HistoryReportQuery } from './history-report.query';
import { readPin, type ReportPin } from './report-pin';
import { openCheckpoint, type Verifier } from '../evidence/checkpoint-note';
import { problem } from '../i18n/problem';
import type { MessageRef } from '../i18n/translate';

export type ReportCheck =
  | { ok: true; pin: ReportPin; format: 'xlsx' | 'pdf'; sha256: string; recorded: ReportRow | null }
  | { ok: false; reason: string };

/**
 * Checks any delivered report file (HTTP, CLI, demo, scheduler; a history export too) against the log, from what the file
 * itself carries: its pin names the ledger, report, period, as-of instant and log position, and the
 * log's digest there. The log up to that position must verify and still have that digest (nothing
 * before it was altered), and regenerating the report from the pin must give the same bytes (nothing
 * in the file was changed). A file the scheduler recorded (ReportGenerated) is named as such.
 */
export async function verifyReportFile(bytes: Buffer, db: Database.Database, store: EventStore, queries: QueryBus, verifier: Verifier | null = null): Promise<ReportCheck> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const format = bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? 'pdf' : 'xlsx';
  const pin = await readPin(bytes);
  if (!pin) return { ok: false, ...problem(undefined, 'problem.report.noPin') };
  const anchored = pin.tree ? await checkTree(pin, pin.tree, store, verifier) : await checkPosition(pin, pin.position!, store);
  if (anchored) return { ok: false, reason: anchored };
  // A pinned tree size names the moment in every store; a position only in the store that made the report.
  // (parsePin gives a pin without a tree its position.)
  const asOf = pin.tree ? { kind: 'size' as const, size: pin.tree.size, at: pin.asOf } : { kind: 'position' as const, position: pin.position!, at: pin.asOf };
  const history = historyFilterOf(pin.reportId);
  const again: GeneratedReport = await queries.execute(
    history ? new HistoryReportQuery(pin.ledgerId, history, format, asOf) : new GenerateReportQuery(pin.ledgerId, pin.reportId, pin.period, format, asOf),
  );
  if (again.digest !== sha256) {
    const where: MessageRef = pin.tree ? { key: 'phrase.treeSize', params: { size: pin.tree.size } } : { key: 'phrase.logPosition', params: { position: pin.position ?? '' } };
    return { ok: false, ...problem(undefined, 'problem.report.changed', { asOf: pin.asOf, where, format, again: again.digest, sha256 }) };
  }
  const recorded = (db.prepare('SELECT * FROM reports_v1 WHERE ledger_id = ? AND report_id = ? AND period = ? AND files LIKE ?').get(pin.ledgerId, pin.reportId, pin.period, `%${sha256}%`) as ReportRow | undefined) ?? null;
  return { ok: true, pin, format, sha256, recorded };
}

/** A report made before the tree: the log up to its position verifies and has its digest there. */
async function checkPosition(pin: ReportPin, position: number, store: EventStore): Promise<string | null> {
  const prefix = await verifyLog(store.readAll({ maxCount: Number.MAX_SAFE_INTEGER }), undefined, position);
  if (!prefix.ok) return `the log up to position ${position} fails verification: ${prefix.failure.reason} (event ${prefix.failure.event.id})`;
  if (prefix.lastPosition < position) return `the log ends at position ${prefix.lastPosition}, before the position ${position} the report was drawn at`;
  if (prefix.logDigest !== pin.logDigest) return `the log's digest at position ${position} is sha256:${prefix.logDigest}, not the sha256:${pin.logDigest} the report was drawn from`;
  return null;
}

/**
 * A report carrying the log's checkpoint: its signed note (by the ledger's key) signs the tree the
 * footer names, and the log's first `size` events verify, give that root and the digest the pin names.
 */
async function checkTree(pin: ReportPin, tree: { size: number; root: string }, store: EventStore, verifier: Verifier | null): Promise<string | null> {
  if (pin.checkpointNote) {
    if (!verifier) return 'carries a signed checkpoint, and there is no key to check it with (the ledger\'s signing key file is absent: give --key)';
    const opened = openCheckpoint(pin.checkpointNote, verifier);
    if (!opened.ok) return `its checkpoint ${opened.reason}`;
    if (opened.checkpoint.size !== tree.size || opened.checkpoint.root.toString('base64') !== tree.root) return 'its signed checkpoint is not the tree its footer names: the file was changed';
  }
  let count = 0;
  const prefix = await verifyLog(
    (async function* () {
      for await (const event of store.readAll()) {
        if (count++ >= tree.size) return;
        yield event;
      }
    })(),
    undefined,
    Number.POSITIVE_INFINITY,
    [tree.size],
  );
  if (!prefix.ok) return `the log's first ${tree.size} events fail verification: ${prefix.failure.reason} (event ${prefix.failure.event.id})`;
  if (prefix.events < tree.size) return `the log holds ${prefix.events} events, fewer than the ${tree.size} the report was drawn from: events were removed`;
  const root = prefix.roots.get(tree.size)!.toString('base64');
  if (root !== tree.root) return `the log's first ${tree.size} events have the root ${root}, not the ${tree.root} the report was drawn from: the log does not extend the report's checkpoint`;
  if (prefix.logDigest !== pin.logDigest) return `the log's digest at ${tree.size} events is sha256:${prefix.logDigest}, not the sha256:${pin.logDigest} the report was drawn from`;
  return null;
}
