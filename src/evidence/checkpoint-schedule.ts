import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { evidenceSettings, type LedgerConfig } from '../config';
import { LEDGER_CONFIG } from '../config';
import { LogEvidence } from './log-evidence';

/**
 * The server signs a checkpoint of the log every LEDGER_CHECKPOINT_INTERVAL_MS (when the log grew:
 * `checkpoint` keeps a new file only then), so the kept checkpoints follow the log without anyone
 * asking. Only the server (live projections) runs it; a failed round (the store unavailable) waits
 * for the next.
 */
@Injectable()
export class CheckpointSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readonly logger = new Logger('checkpoints');

  constructor(
    private readonly evidence: LogEvidence,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalMs } = evidenceSettings(this.config);
    if (!this.config.liveProjections || intervalMs === 0) return;
    this.timer = setInterval(() => {
      this.running = this.evidence.checkpoint().catch((error: Error) => this.logger.warn(`no checkpoint this round: ${error.message}`));
    }, intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
