import type { Decider, DomainEvent } from '../../event-sourcing/decider';
import { DomainError } from '../../event-sourcing/domain-error';
import { streamName } from '../../event-sourcing/stream-name';
import { problem } from '../../i18n/problem';

export type GeneratedFile = {
  format: 'xlsx' | 'pdf';
  sha256: string;
  bytes: number;
  /** Where the file is kept, relative to the reports directory. */
  path: string;
};

export type ReportGenerated = DomainEvent<
  'ReportGenerated',
  {
    ledgerId: string;
    reportId: string;
    period: string;
    /** The instant the report is as of: the end of its due day in the programme's time zone, for a scheduled report. */
    asOf: string;
    /** The log position and running digest at that moment: what the report's footer prints. */
    position: number;
    logDigest: string;
    /** sha256 of the layout file the report was drawn with. */
    layoutVersion: string;
    due: string | null;
    /** `backfill`: due before the ledger was opened, generated at the first run after the opening. */
    trigger: 'schedule' | 'backfill' | 'on-demand';
    files: GeneratedFile[];
  }
>;

export type RecordReport = ReportGenerated['data'];

/** Reports already recorded for the ledger, by `report/period`. */
export type ReportLogState = Set<string>;

export const reportLogStream = (ledgerId: string) => streamName('report', ledgerId);

/** A ledger's generated reports: each (report, period) is recorded once, with the digests of its files. */
export const reportLogDecider: Decider<RecordReport, ReportGenerated, ReportLogState> = {
  initialState: () => new Set(),
  evolve: (state, event) => state.add(`${event.data.reportId}/${event.data.period}`),
  decide(command, state) {
    if (state.has(`${command.reportId}/${command.period}`)) {
      throw new DomainError('conflict', [problem('period', 'problem.report.alreadyRecorded', { report: command.reportId, period: command.period, ledger: command.ledgerId })]);
    }
    return [{ type: 'ReportGenerated', data: command as unknown as ReportGenerated['data'] }];
  },
};
