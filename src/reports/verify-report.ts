import type { QueryBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { ReportRow } from '../../projections/reports.projection';
import { verifyLog } from '../evidence/verify-log';
import type { EventStore } from '../event-sourcing/event-store.port';
import { GenerateReportQuery, type GeneratedReport } from './generate/generate-report.query';
import { historyFilterOf, HistoryReportQuery } from './history-report.query';
import { readPin, type ReportPin } from './report-pin';
import { openCheckpoint, type Verifier } from '../evidence/checkpoint-note';
import { problem, reasonParam } from '../i18n/problem';
import type { Problem } from '../event-sourcing/domain-error';
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
  if (anchored) return { ok: false, ...anchored };
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
async function checkPosition(pin: ReportPin, position: number, store: EventStore): Promise<Problem | null> {
  const prefix = await verifyLog(store.readAll({ maxCount: Number.MAX_SAFE_INTEGER }), undefined, position);
  if (!prefix.ok) return problem(undefined, 'problem.report.prefixFails', { position, reason: prefix.failure.reason, id: prefix.failure.event.id });
  if (prefix.lastPosition < position) return problem(undefined, 'problem.report.logEndsBefore', { last: prefix.lastPosition, position });
  if (prefix.logDigest !== pin.logDigest) return problem(undefined, 'problem.report.digestAtPosition', { position, digest: prefix.logDigest, pinned: pin.logDigest });
  return null;
}

/**
 * A report carrying the log's checkpoint: its signed note (by the ledger's key) signs the tree the
 * footer names, and the log's first `size` events verify, give that root and the digest the pin names.
 */
async function checkTree(pin: ReportPin, tree: { size: number; root: string }, store: EventStore, verifier: Verifier | null): Promise<Problem | null> {
  if (pin.checkpointNote) {
    if (!verifier) return problem(undefined, 'problem.report.noKey');
    const opened = openCheckpoint(pin.checkpointNote, verifier);
    if (!opened.ok) return problem(undefined, 'problem.report.checkpoint', { reason: reasonParam(opened) });
    if (opened.checkpoint.size !== tree.size || opened.checkpoint.root.toString('base64') !== tree.root) return problem(undefined, 'problem.report.checkpointNotFooter');
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
  if (!prefix.ok) return problem(undefined, 'problem.report.treeFails', { size: tree.size, reason: prefix.failure.reason, id: prefix.failure.event.id });
  if (prefix.events < tree.size) return problem(undefined, 'problem.report.eventsRemoved', { events: prefix.events, size: tree.size });
  const root = prefix.roots.get(tree.size)!.toString('base64');
  if (root !== tree.root) return problem(undefined, 'problem.report.otherRoot', { size: tree.size, root, pinned: tree.root });
  if (prefix.logDigest !== pin.logDigest) return problem(undefined, 'problem.report.digestAtSize', { size: tree.size, digest: prefix.logDigest, pinned: pin.logDigest });
  return null;
}
