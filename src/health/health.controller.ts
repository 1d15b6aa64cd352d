import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { Public, Roles } from '../access/auth.guard';
import { assertMayActFor } from '../access/grants';
import { Principal } from '../access/principal.decorator';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { describeStore, type LedgerConfig } from '../config';
import type { EventStore } from '../event-sourcing/event-store.port';
import { EVENT_STORE, LEDGER_CONFIG } from '../event-store/event-store.module';
import { GetLogStatsQuery } from '../read-models/log-stats/get-log-stats.query';
import { ProjectionRunner } from '../read-models/projection-runner';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly runner: ProjectionRunner,
    private readonly queries: QueryBus,
  ) {}

  /** For load balancers and the public: up or down, nothing about the store, the log or its projections. */
  @Get('health')
  @Public()
  @ApiOkResponse({ description: '`{ status: "ok" }`: the store is reachable.' })
  @ApiServiceUnavailableResponse({ description: '`{ status: "unavailable" }`: the store cannot be reached.' })
  async health(@Res({ passthrough: true }) response: Response) {
    try {
      await this.store.ping();
      return { status: 'ok' };
    } catch {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable' };
    }
  }

  /** For operators: the store, its head, each projection's lag and the log statistics. */
  @Get('api/health')
  @Roles('admin')
  @ApiOkResponse({ description: 'The store is reachable: `{ status, store, head, projections: [{ name, version, position, lag }], projectionError, stats }`; only for an admin of every ledger.' })
  @ApiServiceUnavailableResponse({ description: 'The store cannot be reached, with the reason.' })
  async details(@Principal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    // The store and the statistics of every ledger: no one ledger's admin sees them.
    assertMayActFor(principal, { action: 'administer', ledgerId: null });
    const store = describeStore(this.config.store);
    try {
      await this.store.ping();
      const head = await this.store.headPosition();
      const projections = this.runner.status().map((p) => ({ ...p, lag: head - p.position }));
      const failure = this.runner.lastError();
      return {
        status: 'ok',
        store,
        head,
        projections,
        projectionError: failure?.message ?? null,
        stats: await this.queries.execute(new GetLogStatsQuery()),
      };
    } catch (error) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable', store, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
