import type { ModuleMetadata, Type } from '@nestjs/common';
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
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_RATE_LIMIT_PER_SEC = 100;
export const DEFAULT_RATE_LIMIT_BURST = 200;
export const DEFAULT_TOKEN_DAYS = 90;
export const DEFAULT_SESSION_IDLE_MINUTES = 30;
export const DEFAULT_SESSION_MAX_HOURS = 12;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A whole number from the environment, or the default; anything else stops start-up naming the variable. */
export function wholeNumberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: "${text}" must be a whole number of at least ${min}`);
  return value;
}

/**
 * LEDGER_RATE_LIMIT_PER_SEC (default 100; 0 turns the limit off), LEDGER_RATE_LIMIT_BURST
 * (default 200, at least 1), LEDGER_SESSION_IDLE_MINUTES (30), LEDGER_SESSION_MAX_HOURS (12) and
 * LEDGER_TOKEN_DAYS (90).
 */
export function resolveAccessOptions(options: AccessModuleOptions = {}, appClock?: Clock): AccessOptions {
  const env = options.env ?? process.env;
  const perSecond = options.rateLimit?.perSecond ?? wholeNumberFromEnv(env, 'LEDGER_RATE_LIMIT_PER_SEC', DEFAULT_RATE_LIMIT_PER_SEC, 0);
  const burst = options.rateLimit?.burst ?? wholeNumberFromEnv(env, 'LEDGER_RATE_LIMIT_BURST', DEFAULT_RATE_LIMIT_BURST, 1);
  return {
    rateLimit: { perSecond, burst },
    session: options.session ?? {
      idleMs: wholeNumberFromEnv(env, 'LEDGER_SESSION_IDLE_MINUTES', DEFAULT_SESSION_IDLE_MINUTES, 1) * 60_000,
      absoluteMs: wholeNumberFromEnv(env, 'LEDGER_SESSION_MAX_HOURS', DEFAULT_SESSION_MAX_HOURS, 1) * 3_600_000,
    },
    tokenDays: wholeNumberFromEnv(env, 'LEDGER_TOKEN_DAYS', DEFAULT_TOKEN_DAYS, 1),
    clock: options.clock ?? appClock ?? systemClock,
  };
}
