import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, Roles } from '../access/auth.guard';
import { assertMayActFor } from '../access/grants';
import { Principal } from '../access/principal.decorator';
import { LEDGER_CONFIG, describeStore, type LedgerConfig } from '../config';
import { StoreUnavailableError } from '../event-sourcing/errors';
import type { EventStore } from '../event-sourcing/event-store.port';
import { EVENT_STORE } from '../event-sourcing/tokens';
import { GetLogStatsQuery } from '../read-models/log-stats/get-log-stats.query';
import { ProjectionRunner } from '../read-models/projection-runner';

type StoreCheck = { ok: true; head: number } | { ok: false; store: 'unavailable' | 'import-unfinished'; retryAfter: number; fault: string; importProgress?: { loaded: number; events: number } };

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly runner: ProjectionRunner,
    private readonly queries: QueryBus,
  ) {}

  /** For load balancers and the public: up or down, never a path, a version or the log's figures. */
  @Get('health')
  @Public()
  @ApiOkResponse({ description: '`{ status: "ok" }`: the store can serve.' })
  @ApiServiceUnavailableResponse({ description: '`{ status: "degraded", store: "unavailable" | "import-unfinished" }` with Retry-After: the store cannot serve (unreachable, read-only, full, locked) or holds an unfinished import.' })
  async health(@Res({ passthrough: true }) response: Response) {
    const check = await this.check();
    if (check.ok) return { status: 'ok' };
    response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', String(check.retryAfter));
    return { status: 'degraded', store: check.store };
  }

  /** For operators: the store, its head, each projection's lag, the log statistics, the fault. */
  @Get('api/health')
  @Roles('admin')
  @ApiOkResponse({ description: '`{ status, store, head, projections: [{ name, version, position, lag }], projectionError, stats }`; only for an admin of every ledger.' })
  @ApiServiceUnavailableResponse({ description: 'The store cannot serve: `{ status: "degraded", store, fault, import? }`.' })
  async details(@Principal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    // The store and the statistics of every ledger: no one ledger's admin sees them.
    assertMayActFor(principal, { action: 'administer', ledgerId: null });
    const check = await this.check();
    if (!check.ok) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', String(check.retryAfter));
      return { status: 'degraded', store: check.store, fault: check.fault, ...(check.importProgress ? { import: check.importProgress } : {}) };
    }
    const failure = this.runner.lastError();
    return {
      status: 'ok',
      store: describeStore(this.config.store),
      head: check.head,
      projections: this.runner.status().map((p) => ({ ...p, lag: check.head - p.position })),
      projectionError: failure?.message ?? null,
      stats: await this.queries.execute(new GetLogStatsQuery()),
    };
  }

  private async check(): Promise<StoreCheck> {
    try {
      await this.store.ping();
      const head = await this.store.headPosition();
      const unfinished = await this.store.unfinishedImport();
      if (unfinished) return { ok: false, store: 'import-unfinished', retryAfter: 30, fault: 'import-unfinished', importProgress: { loaded: head, events: unfinished.events } };
      return { ok: true, head };
    } catch (error) {
      const unavailable = error instanceof StoreUnavailableError ? error : new StoreUnavailableError('unreachable', { cause: error });
      return { ok: false, store: 'unavailable', retryAfter: unavailable.retryAfterSeconds, fault: unavailable.fault };
    }
  }
}
