import type { ModuleMetadata, Type } from '@nestjs/common';
import { readAccessSettings, type AccessSettings } from '../config';
import { systemClock, type Clock } from '../event-sourcing/clock';
import type { RateLimit } from './token-bucket';
import type { UnitDirectory } from './unit-directory';

/** Injection token of the resolved AccessOptions. */
export const ACCESS_OPTIONS = Symbol('ACCESS_OPTIONS');

export interface AccessOptions {
  rateLimit: RateLimit;
  /** Sessions end after this long without a request, and this long after sign-in whatever happens. */
  session: { idleMs: number; absoluteMs: number };
  /** Lifetime of a new API token when its issuer names none (LEDGER_TOKEN_DAYS, default 90). */
  tokenDays: number;
  clock: Clock;
}

/** What AccessModule.forRoot accepts: anything left out comes from the environment, then the defaults. */
export interface AccessModuleOptions {
  rateLimit?: Partial<RateLimit>;
  session?: { idleMs: number; absoluteMs: number };
  /** Time for the rate buckets and the token cache; default the application's CLOCK, else the system clock. */
  clock?: Clock;
  /** Where `token create` checks that a unit exists (in a ledger); by default every unit is accepted. */
  unitDirectory?: Type<UnitDirectory>;
  /** Modules whose exports the unitDirectory needs (global providers need none). */
  imports?: ModuleMetadata['imports'];
  /** The configuration's access settings (LedgerConfig.access); without them, those read from `env`. */
  settings?: AccessSettings;
  env?: NodeJS.ProcessEnv;
}

/** The access settings of the application's configuration, or (a module built on its own) those of `env`, default none; explicit options win. */
export function resolveAccessOptions(options: AccessModuleOptions = {}, appClock?: Clock): AccessOptions {
  const settings = options.settings ?? readAccessSettings(options.env ?? {});
  return {
    rateLimit: { ...settings.rateLimit, ...options.rateLimit },
    session: options.session ?? settings.session,
    tokenDays: settings.tokenDays,
    clock: options.clock ?? appClock ?? systemClock,
  };
}
