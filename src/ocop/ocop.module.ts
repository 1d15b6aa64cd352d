import { Module } from '@nestjs/common';
import { LedgersModule } from '../ledgers/ledgers.module';
import { OcopController } from './ocop.controller';
import './ocop-route';
import { OCOP_QUERY_HANDLERS } from './queries/ocop.queries';

/**
 * OCOP products: their records (registered, rated, upgraded, downgraded, revoked, supported) go
 * through the ledgers' submission commands (importing this module registers their route), and the
 * queries over the `ocop` projection answer counts, the registry, metric values, goals and district
 * targets (OcopCountsQuery, OcopProductsQuery, OcopMetricValuesQuery, OcopGoalsQuery,
 * OcopDistrictTargetsQuery).
 */
@Module({
  imports: [LedgersModule],
  controllers: [OcopController],
  providers: [...OCOP_QUERY_HANDLERS],
  exports: [...OCOP_QUERY_HANDLERS],
})
export class OcopModule {}
