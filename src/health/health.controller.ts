import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { Public } from '../access/auth.guard';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { describeStore, type LedgerConfig } from '../config';
import type { EventStore } from '../event-sourcing/event-store.port';
import { EVENT_STORE, LEDGER_CONFIG } from '../event-store/event-store.module';
import { GetLogStatsQuery } from '../read-models/log-stats/get-log-stats.query';
import { ProjectionRunner } from '../read-models/projection-runner';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly runner: ProjectionRunner,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ description: 'The store is reachable; projection lag and log statistics.' })
  @ApiServiceUnavailableResponse({ description: 'The store cannot be reached.' })
  async health(@Res({ passthrough: true }) response: Response) {
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
