import type { Projection } from './projection';
import { backfillsProjection } from './backfills.projection';
import { historyProjection } from './history.projection';
import { ledgersProjection } from './ledgers.projection';
import { logDigestProjection } from './log-digest.projection';
import { logStatsProjection } from './log-stats.projection';
import { ocopProjection } from './ocop.projection';
import { programmesProjection } from './programmes.projection';
import { reportsProjection } from './reports.projection';
import { reviewsProjection } from './reviews.projection';
import { submissionsProjection } from './submissions.projection';
import { peopleProjection } from './people.projection';
import { personNamesProjection } from './person-names.projection';
import { tokensProjection } from './tokens.projection';

/** Every projection the runner feeds. */
export const PROJECTIONS: readonly Projection[] = [logStatsProjection, programmesProjection, ledgersProjection, submissionsProjection, historyProjection, tokensProjection, peopleProjection, personNamesProjection, logDigestProjection, ocopProjection, reportsProjection, reviewsProjection, backfillsProjection];
