import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type Database from 'better-sqlite3';
import { LEDGER_CONFIG, type LedgerConfig } from '../../config';
import type { Clock } from '../../event-sourcing/clock';
import { systemContext } from '../../event-sourcing/request-context';
import { CLOCK } from '../../event-sourcing/tokens';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { owedReports } from '../../programmes/calendar';
import { endOfLocalDay, localDateOf } from '../../programmes/local-time';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { REPORT_PROVIDERS } from '../data/providers';
import { ReportRecorder } from './report-recorder';

export interface ScheduledReport {
  ledgerId: string;
  reportId: string;
  period: string;
  due: string;
  asOf: string;
  /** `backfill`: it fell due before the ledger was opened, so it is drawn now, as of this run. */
  trigger: 'schedule' | 'backfill';
}

/**
 * Generates each report when it falls due: once its due day has ended in the programme's time zone,
 * as of that end, for every ledger that existed then. A report that fell due before its ledger was
 * opened is back-filled: generated at the first run after the opening, as of that run (no earlier
 * moment knows the ledger), and its footnote says so. A report already recorded is not generated
 * again, so after downtime the next run catches up every due date it missed, oldest first.
 */
@Injectable()
export class ReportScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReportScheduler');
  private running: Promise<ScheduledReport[]> | null = null;

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly runner: ProjectionRunner,
    private readonly directory: LedgerDirectory,
    private readonly recorder: ReportRecorder,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.scheduleIntervalMs;
    if (!this.config.liveProjections || intervalMs <= 0) return;
    const tick = () => void this.runDue().catch((error: Error) => this.logger.error({ message: 'scheduled report generation failed', reason: error.message }));
    this.registry.addInterval('reports', setInterval(tick, intervalMs));
    setImmediate(tick);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', 'reports')) this.registry.deleteInterval('reports');
    await this.running?.catch(() => undefined);
  }

  /** Reports due by now and not yet recorded. */
  async due(): Promise<ScheduledReport[]> {
    await this.runner.catchUp();
    const now = this.clock.now().toISOString();
    const ledgers = this.db.prepare('SELECT ledger_id, opened_at FROM ledgers_v1 ORDER BY ledger_id').all() as { ledger_id: string; opened_at: string }[];
    const recorded = new Set(
      (this.db.prepare('SELECT ledger_id, report_id, period FROM reports_v1').all() as { ledger_id: string; report_id: string; period: string }[]).map(
        (r) => `${r.ledger_id}/${r.report_id}/${r.period}`,
      ),
    );
    const due: ScheduledReport[] = [];
    for (const { ledger_id: ledgerId, opened_at: openedAt } of ledgers) {
      const { programme } = await this.directory.get(ledgerId);
      const reports = programme.reports.filter((id) => id in REPORT_PROVIDERS);
      for (const owed of owedReports(programme)) {
        const endOfDue = endOfLocalDay(owed.due, programme.timeZone);
        if (endOfDue > now) continue;
        const backfill = localDateOf(openedAt, programme.timeZone) > owed.due;
        const asOf = backfill ? now : endOfDue;
        for (const reportId of reports) {
          if (!recorded.has(`${ledgerId}/${reportId}/${owed.period.id}`)) {
            due.push({ ledgerId, reportId, period: owed.period.id, due: owed.due, asOf, trigger: backfill ? 'backfill' : 'schedule' });
          }
        }
      }
    }
    return due.sort((a, b) => a.asOf.localeCompare(b.asOf) || a.ledgerId.localeCompare(b.ledgerId) || a.reportId.localeCompare(b.reportId));
  }

  /** Generates and records every report due; one run at a time. */
  runDue(): Promise<ScheduledReport[]> {
    this.running ??= (async () => {
      try {
        const due = await this.due();
        for (const report of due) {
          await this.recorder.record({ ...report, asOf: { kind: 'time', at: report.asOf } }, systemContext('scheduler'));
          this.logger.log({ message: 'report generated', ...report });
        }
        return due;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
