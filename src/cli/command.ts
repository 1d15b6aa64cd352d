import type { INestApplicationContext } from '@nestjs/common';
import type { ParseArgsConfig } from 'node:util';
import type { LedgerConfig } from '../config';
import type { EventStore } from '../event-sourcing/event-store.port';
import type { Lang } from '../i18n/languages';
import { t, type MessageParams, type MessageRef } from '../i18n/translate';

/** What a CLI command gets: its parsed arguments, the configuration, and an application to work in. */
export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  config: () => LedgerConfig;
  /** Runs `work` in an application context over the configured store (projections caught up on demand), then closes it. */
  withApp: <T>(work: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
  /** Runs `work` with the configured event store alone (no read models), then closes it. */
  withStore: <T>(work: (store: EventStore) => Promise<T>) => Promise<T>;
  out: (line: string) => void;
  /** The language asked for (--lang, LANG), for what a command prints; English when none is. */
  lang: Lang;
}

export interface CliCommand {
  /** One or two words: `rebuild`, `programme import`. */
  name: string;
  /** Arguments after the name, for the usage line: `<file>`, `<ledgerId> [--json]`. */
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  /** How many positional arguments it takes: [min, max]. */
  positionals?: [number, number];
  /** Resolves to the exit code (0 when omitted); never resolves for `serve`. */
  run(context: CommandContext): Promise<number | void>;
}

/** A mistake in how the command was typed: exit code 2; with its catalogue entry, given in the caller's language. */
export class UsageError extends Error {
  constructor(
    reason: string,
    readonly entry?: MessageRef,
  ) {
    super(reason);
  }

  /** A usage error whose reason is a message of the catalogue. */
  static of(key: string, params: MessageParams = {}): UsageError {
    return new UsageError(t('en', key, params), { key, params });
  }

  /** `<command>: --<option> is required`. */
  static required(command: string, option: string): UsageError {
    return UsageError.of('cli.optionRequired', { command, option });
  }
}
