import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import type { OcopRatingRow } from '../../../projections/ocop.projection';
import type { AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { LedgerDirectory, type LedgerDefinition } from '../../ledgers/ledger-directory';
import type { MetricValue } from '../../programmes/indicator-rules';
import { localDateOf } from '../../programmes/local-time';
import { parsePeriod, invalidPeriod, type Period } from '../../programmes/period';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import {
  districtTargets,
  ocopChanges,
  ocopCounts,
  ocopGoals,
  ocopMetricValues,
  standings,
  type DistrictTargets,
  type GoalResult,
  type OcopChanges,
  type OcopCounts,
  type OcopStatus,
} from './ocop-figures';
import { readHeldRatings, readOcopRows } from './ocop-read-model';

/** What every OCOP answer says about itself: the ledger, the programme version in force, the moment. */
export interface OcopAnswer {
  ledgerId: string;
  programmeId: string;
  programmeVersion: number;
  /** The instant the answer is as of (ISO-8601). */
  asOf: string;
}

function periodOf(text: string): Period {
  const parsed = parsePeriod(text);
  if (!parsed.ok) throw invalidPeriod(parsed.error);
  return parsed.period;
}

/** The shared first steps of an OCOP query: the ledger then, and the instant the moment stands for. */
/** Every OCOP query catches the projections up first (as the ledgers' queries do), then reads the ledger as it stood. */
async function answer(runner: ProjectionRunner, directory: LedgerDirectory, moments: Moments, ledgerId: string, asOf: AsOf): Promise<{ ledger: LedgerDefinition; head: OcopAnswer }> {
  await runner.catchUp();
  const ledger = await directory.get(ledgerId, asOf);
  const instant = await moments.instantOf(asOf);
  return { ledger, head: { ledgerId, programmeId: ledger.programme.id, programmeVersion: ledger.programmeVersion, asOf: instant } };
}

// ---- counts -----------------------------------------------------------------------------------

export interface OcopCountsReport extends OcopAnswer {
  period: string | null;
  /** Standings on the period's last day (or everything known, without a period). */
  counts: OcopCounts;
  /** New vs upgraded vs downgraded vs revoked … in the period (null without a period). */
  changes: OcopChanges | null;
}

/** Products by stars, by level, by district; with a period, as on its last day, and what changed in it. */
export class OcopCountsQuery extends Query<OcopCountsReport> {
  constructor(
    readonly ledgerId: string,
    readonly options: { period?: string; asOf?: AsOf } = {},
  ) {
    super();
  }
}

@QueryHandler(OcopCountsQuery)
export class OcopCountsHandler implements IQueryHandler<OcopCountsQuery, OcopCountsReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, options }: OcopCountsQuery): Promise<OcopCountsReport> {
    const asOf = options.asOf ?? { kind: 'now' };
    const period = options.period === undefined ? null : periodOf(options.period);
    const { head } = await answer(this.runner, this.directory, this.moments, ledgerId, asOf);
    const rows = readOcopRows(this.db, ledgerId, asOf);
    return { ...head, period: period?.id ?? null, counts: ocopCounts(rows, period?.end), changes: period ? ocopChanges(rows, period) : null };
  }
}

// ---- metric values and goals ----------------------------------------------------------------------

export interface OcopMetricValuesReport extends OcopAnswer {
  period: string;
  values: MetricValue[];
}

/** The values of the programme's `derivedFrom: ocop` metrics for a period, for indicator rules (evaluateRule). */
export class OcopMetricValuesQuery extends Query<OcopMetricValuesReport> {
  constructor(
    readonly ledgerId: string,
    readonly period: string,
    readonly asOf: AsOf = { kind: 'now' },
  ) {
    super();
  }
}

@QueryHandler(OcopMetricValuesQuery)
export class OcopMetricValuesHandler implements IQueryHandler<OcopMetricValuesQuery, OcopMetricValuesReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, period, asOf }: OcopMetricValuesQuery): Promise<OcopMetricValuesReport> {
    const p = periodOf(period);
    const { ledger, head } = await answer(this.runner, this.directory, this.moments, ledgerId, asOf);
    return { ...head, period: p.id, values: ocopMetricValues(ledger.programme, readOcopRows(this.db, ledgerId, asOf), p) };
  }
}

export interface OcopGoalsReport extends OcopAnswer {
  period: string;
  /** The as-of date in the programme's time zone: goals with a deadline are not yet due until it passes. */
  asOfDate: string;
  goals: GoalResult[];
}

/** The programme's goals (I. MỤC TIÊU) met or not for a period, from the OCOP facts of the ledger. */
export class OcopGoalsQuery extends Query<OcopGoalsReport> {
  constructor(
    readonly ledgerId: string,
    readonly period: string,
    readonly asOf: AsOf = { kind: 'now' },
  ) {
    super();
  }
}

@QueryHandler(OcopGoalsQuery)
export class OcopGoalsHandler implements IQueryHandler<OcopGoalsQuery, OcopGoalsReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, period, asOf }: OcopGoalsQuery): Promise<OcopGoalsReport> {
    const p = periodOf(period);
    const { ledger, head } = await answer(this.runner, this.directory, this.moments, ledgerId, asOf);
    const asOfDate = localDateOf(head.asOf, ledger.programme.timeZone);
    return { ...head, period: p.id, asOfDate, goals: ocopGoals(ledger.programme, readOcopRows(this.db, ledgerId, asOf), p, asOfDate) };
  }
}

// ---- district targets -------------------------------------------------------------------------------

export interface OcopDistrictTargetsReport extends OcopAnswer {
  /** Null when the programme allocates no targets by district. */
  targets: DistrictTargets | null;
}

/** Per district, actual against the allocated targets of `allocations.district-targets` (Cà Mau's Phụ lục 4). */
export class OcopDistrictTargetsQuery extends Query<OcopDistrictTargetsReport> {
  constructor(
    readonly ledgerId: string,
    readonly period: string,
    readonly asOf: AsOf = { kind: 'now' },
  ) {
    super();
  }
}

@QueryHandler(OcopDistrictTargetsQuery)
export class OcopDistrictTargetsHandler implements IQueryHandler<OcopDistrictTargetsQuery, OcopDistrictTargetsReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, period, asOf }: OcopDistrictTargetsQuery): Promise<OcopDistrictTargetsReport> {
    const p = periodOf(period);
    const { ledger, head } = await answer(this.runner, this.directory, this.moments, ledgerId, asOf);
    return { ...head, targets: districtTargets(ledger.programme, readOcopRows(this.db, ledgerId, asOf), p) };
  }
}

// ---- the registry ---------------------------------------------------------------------------------

export interface OcopProductEntry {
  productId: string;
  name: string;
  producer: string;
  district: string;
  category: string;
  businessType: string;
  registeredOn: string;
  registeredAt: string;
  registration: 'new' | 'upgrade';
  unitId: string;
  status: OcopStatus;
  /** The stars and level of the certificate held, or of the latest province result (below 3), or null. */
  stars: number | null;
  level: string | null;
  /** The latest district assessment's stars, or null. */
  assessedStars: number | null;
}

export interface OcopProductsReport extends OcopAnswer {
  products: OcopProductEntry[];
}

/** The product registry with each product's standing at a moment (the rows that held then). */
export class OcopProductsQuery extends Query<OcopProductsReport> {
  constructor(
    readonly ledgerId: string,
    readonly asOf: AsOf = { kind: 'now' },
    readonly filter: { district?: string; status?: OcopStatus } = {},
  ) {
    super();
  }
}

@QueryHandler(OcopProductsQuery)
export class OcopProductsHandler implements IQueryHandler<OcopProductsQuery, OcopProductsReport> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ ledgerId, asOf, filter }: OcopProductsQuery): Promise<OcopProductsReport> {
    const { head } = await answer(this.runner, this.directory, this.moments, ledgerId, asOf);
    const { products } = readOcopRows(this.db, ledgerId, asOf);
    const held: OcopRatingRow[] = readHeldRatings(this.db, ledgerId, asOf);
    return {
      ...head,
      products: standings({ products, ratings: held, supports: [] })
        .filter((s) => (!filter.district || s.product.district === filter.district) && (!filter.status || s.status === filter.status))
        .map((s) => ({
          productId: s.product.product_id,
          name: s.product.name,
          producer: s.product.producer,
          district: s.product.district,
          category: s.product.category,
          businessType: s.product.business_type,
          registeredOn: s.product.registered_on,
          registeredAt: s.product.recorded_at,
          registration: s.product.registration,
          unitId: s.product.unit_id,
          status: s.status,
          stars: s.status === 'certified' || s.status === 'rated' ? s.latest!.stars : null,
          level: s.status === 'certified' || s.status === 'rated' ? s.latest!.level : null,
          assessedStars: s.assessment?.stars ?? null,
        })),
    };
  }
}

export const OCOP_QUERY_HANDLERS = [OcopCountsHandler, OcopMetricValuesHandler, OcopGoalsHandler, OcopDistrictTargetsHandler, OcopProductsHandler];
