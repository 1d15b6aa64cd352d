import { QueryBus } from '@nestjs/cqrs';
import { Moments } from '../../src/audit/moments';
import { systemClock } from '../../src/event-sourcing/clock';
import type { LedgerDefinition, LedgerUnit } from '../../src/ledgers/ledger-directory';
import { localDateOf } from '../../src/programmes/local-time';
import { periodOf } from '../../src/programmes/period';
import { openReadModelDb } from '../../src/read-models/read-model-db';
import { neaAttachment3Data } from '../../src/reports/data/nea-attachment-3.data';
import { loadReportLayout } from '../../src/reports/load-layout';
import { renderPdf } from '../../src/reports/render-pdf';
import { renderXlsx } from '../../src/reports/render-xlsx';
import { resolveReport } from '../../src/reports/resolve';
import { neaTemplate } from './nea-fixture';
import { BENCH_UNITS } from './sample-events';

/**
 * Attachment 3 as of a past moment over the read models the read phase rebuilt from the
 * 1,000,000-event log (every event a unit's figure): the sums are a query over rows that carry the
 * positions they hold from and until — no replay — then both files are drawn.
 * Args: <read-models.db> <log position of the past moment>.
 */
async function main() {
  const [readModels, position] = process.argv.slice(2);
  const db = openReadModelDb(readModels);
  const programme = neaTemplate();
  const units = new Map<string, LedgerUnit>(
    Array.from({ length: BENCH_UNITS }, (_, i) => [`unit-${i}`, { id: `unit-${i}`, name: `供电单位 ${i}`, role: 'supply-company', parent: null, retired: false }]),
  );
  const ledger: LedgerDefinition = { ledgerId: 'gd-2021', name: '广东省', programme, programmeVersion: 1, units };
  const layout = loadReportLayout('nea-attachment-3');
  const asOf = { kind: 'position' as const, position: Number(position) };
  const once = async () => {
    const started = process.hrtime.bigint();
    const moment = new Moments(db, systemClock).resolve(asOf);
    const data = await neaAttachment3Data({
      ledger,
      reportId: 'nea-attachment-3',
      period: periodOf('2021-H1'),
      asOf,
      instant: moment.instant,
      asOfDate: localDateOf(moment.instant, programme.timeZone),
      logPosition: moment.position,
      logDigest: moment.digest,
      pin: '',
      db,
      queries: undefined as unknown as QueryBus,
    });
    const resolved = resolveReport(layout, data);
    await renderXlsx(resolved);
    await renderPdf(resolved);
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, cells: Object.keys(data.values ?? {}).length };
  };
  const first = await once();
  const runs = [await once(), await once(), await once()].map((r) => r.ms).sort((a, b) => a - b);
  const rows = (db.prepare(`SELECT count(*) AS n FROM metric_values_v2 WHERE period = '2021-H1'`).get() as { n: number }).n;
  process.stdout.write(
    JSON.stringify({ reportAsOfPastMomentMs: Math.round(runs[1]), reportAsOfPastMomentFirstMs: Math.round(first.ms), reportAsOfRowsScanned: rows, reportAsOfCells: first.cells }),
  );
}

void main();
