/**
 * Report engine timings: NEA attachment 3 resolved and rendered to both formats (target well under
 * 1 s), and a task-status report of 10,000 rows (PDF target under 10 s and RSS under 500 MB).
 * `npx ts-node --transpile-only tests/bench/reports.ts` prints JSON; the main bench calls benchReports().
 * Small reports: best of 5 runs after a warm-up (font parsing, module loading). The 10,000-row report
 * runs once in a fresh process, so its peak RSS (the OS's max RSS) is its own and not the rest of the bench's.
 */
import { execFileSync } from 'node:child_process';
import { loadReportLayout } from '../../src/reports/load-layout';
import { renderPdf } from '../../src/reports/render-pdf';
import { renderXlsx } from '../../src/reports/render-xlsx';
import { resolveReport } from '../../src/reports/resolve';
import { attachment3Data, taskStatusZhData } from '../integration/reports/samples';

const BIG_ROWS = 10_000;
const ms = (started: bigint): number => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;

async function best(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await work();
    min = Math.min(min, ms(started));
  }
  return min;
}

async function smallReports(): Promise<Record<string, number>> {
  const layout = loadReportLayout('nea-attachment-3');
  const data = attachment3Data();
  const started = process.hrtime.bigint();
  const first = resolveReport(layout, data);
  await renderXlsx(first);
  await renderPdf(first);
  return {
    'reports.attachment3.coldResolveAndBoth.ms': ms(started),
    'reports.attachment3.resolve.ms': await best(5, async () => resolveReport(layout, data)),
    'reports.attachment3.xlsx.ms': await best(5, () => renderXlsx(resolveReport(layout, data))),
    'reports.attachment3.pdf.ms': await best(5, () => renderPdf(resolveReport(layout, data))),
    'reports.attachment3.resolveAndBoth.ms': await best(5, async () => {
      const resolved = resolveReport(layout, data);
      await renderXlsx(resolved);
      await renderPdf(resolved);
    }),
  };
}

/** In the child process: the 10,000-row task-status report, PDF first (peak RSS read right after it). */
async function bigReport(): Promise<Record<string, number>> {
  const layout = loadReportLayout('task-status');
  const data = taskStatusZhData(BIG_ROWS);
  let started = process.hrtime.bigint();
  const resolved = resolveReport(layout, data);
  const out: Record<string, number> = { 'reports.taskStatus10k.resolve.ms': ms(started) };
  started = process.hrtime.bigint();
  const pdf = await renderPdf(resolved);
  out['reports.taskStatus10k.pdf.ms'] = ms(started);
  out['reports.taskStatus10k.pdf.maxRss.mb'] = Math.round(process.resourceUsage().maxRSS / 1024);
  out['reports.taskStatus10k.pdf.bytes'] = pdf.length;
  started = process.hrtime.bigint();
  await renderXlsx(resolved);
  out['reports.taskStatus10k.xlsx.ms'] = ms(started);
  return out;
}

export async function benchReports(): Promise<Record<string, number>> {
  const small = await smallReports();
  const child = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--big'], {
    cwd: `${__dirname}/../..`, encoding: 'utf8', maxBuffer: 1 << 20,
  });
  return { ...small, ...(JSON.parse(child) as Record<string, number>) };
}

if (require.main === module) {
  const run = process.argv.includes('--big') ? bigReport : benchReports;
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (e) => { console.error(e); process.exit(1); });
}
