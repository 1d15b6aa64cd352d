import type { ReportLayout } from '../../reports/layout';
import { loadReportLayout } from '../../reports/load-layout';

const layouts = new Map<string, ReportLayout | null>();

/** A report's layout (templates/reports), read once; null for a report without a layout file. */
export function layoutOf(reportId: string): ReportLayout | null {
  if (!layouts.has(reportId)) {
    let layout: ReportLayout | null = null;
    try {
      layout = loadReportLayout(reportId);
    } catch {
      layout = null;
    }
    layouts.set(reportId, layout);
  }
  return layouts.get(reportId)!;
}
