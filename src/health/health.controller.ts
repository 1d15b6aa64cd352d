import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { StoreUnavailableError } from '../event-sourcing/errors';
import type { EventStore } from '../event-sourcing/event-store.port';
import { EVENT_STORE } from '../event-store/event-store.module';
import { GetLogStatsQuery } from '../read-models/log-stats/get-log-stats.query';
import { ProjectionRunner } from '../read-models/projection-runner';

/**
 * 200 when the store can serve, with projection lag and log statistics; 503 with Retry-After and
 * `{"status":"degraded","store":"unavailable"|"import-unfinished"}` when it cannot. It names the
 * fault, never a file path, a connection string or a version.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The store can serve; projection lag and log statistics.' })
  @ApiServiceUnavailableResponse({ description: 'The store cannot serve (unreachable, read-only, full, locked) or holds an unfinished import.' })
  async health(@Res({ passthrough: true }) response: Response) {
    try {
      await this.store.ping();
      const head = await this.store.headPosition();
      const unfinished = await this.store.unfinishedImport();
      if (unfinished) {
        response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '30');
        return { status: 'degraded', store: 'import-unfinished', import: { loaded: head, events: unfinished.events } };
      }
      const projections = this.runner.status().map((p) => ({ ...p, lag: head - p.position }));
      return {
        status: 'ok',
        store: 'available',
        head,
        projections,
        projectionError: this.runner.lastError() ? 'projections stopped following the log; see the service log' : null,
        stats: await this.queries.execute(new GetLogStatsQuery()),
      };
    } catch (error) {
      const unavailable = error instanceof StoreUnavailableError ? error : new StoreUnavailableError('unreachable', { cause: error });
      response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', String(unavailable.retryAfterSeconds));
      return { status: 'degraded', store: 'unavailable', fault: unavailable.fault };
    }
  }
}
