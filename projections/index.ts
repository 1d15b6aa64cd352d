import type { Projection } from '../src/read-models/projection';
import { logStatsProjection } from './log-stats.projection';
import { programmesProjection } from './programmes.projection';

/** Every projection the runner feeds. */
export const PROJECTIONS: readonly Projection[] = [logStatsProjection, programmesProjection];
