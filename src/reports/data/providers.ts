import { neaAttachment2Data } from './nea-attachment-2.data';
import { neaAttachment3Data } from './nea-attachment-3.data';
import { ocopProgressData } from './ocop-progress.data';
import type { ReportDataProvider } from './report-context';
import { submissionTimelinessData } from './submission-timeliness.data';
import { taskStatusData } from './task-status.data';

/** The data provider of each report id; the layout of the same id is in templates/reports. */
export const REPORT_PROVIDERS: Record<string, ReportDataProvider> = {
  'nea-attachment-3': neaAttachment3Data,
  'nea-attachment-2': neaAttachment2Data,
  'task-status': taskStatusData,
  'submission-timeliness': submissionTimelinessData,
  'ocop-progress': ocopProgressData,
};
