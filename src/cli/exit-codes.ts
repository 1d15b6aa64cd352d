import { ConfigError, type LedgerConfig } from '../config';
import { DomainError } from '../event-sourcing/domain-error';
import { PayloadTooLargeError, StoreUnavailableError, WrongExpectedRevisionError } from '../event-sourcing/errors';
import { isLang, type Lang } from '../i18n/languages';
import { localize } from '../i18n/problem';
import { t } from '../i18n/translate';
import { UsageError } from './command';

/** Exit codes of CONTRACT.md "Exit codes and errors, everywhere". */
export const EXIT = { ok: 0, rejected: 1, usage: 2, storeUnavailable: 3 } as const;

/** The one place errors become CLI exit codes and stderr lines: 2 usage, 1 rejected input or failed check, 3 the store unavailable. */
export function toExit(error: unknown, lang: Lang = 'en'): { code: number; lines: string[] } {
  if (error instanceof StoreUnavailableError) return { code: EXIT.storeUnavailable, lines: [`error: ${error.message}`] };
  if (error instanceof UsageError) {
    const reason = error.entry ? t(lang, error.entry.key, error.entry.params) : error.message;
    return { code: 2, lines: [t(lang, 'cli.usageError', { reason }), t(lang, 'cli.seeHelp')] };
  }
  if (error instanceof DomainError) return { code: 1, lines: localize(error.problems, lang).map((p) => `error: ${p.field ? `${p.field}: ` : ''}${p.reason}`) };
  if (error instanceof WrongExpectedRevisionError || error instanceof PayloadTooLargeError) {
    return { code: 1, lines: [`error: ${error.message}`] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 1, lines: [`error: ${message.split('\n')[0]}`] };
}

/**
 * The language of the CLI's errors: `--lang`, else the locale's (LC_ALL / LANG, which loadConfig
 * reads, and tells even when it refuses the rest of the configuration), else English.
 */
export function cliLang(option: unknown, load: () => LedgerConfig): Lang {
  if (isLang(option)) return option;
  try {
    return load().lang ?? 'en';
  } catch (error) {
    return (error instanceof ConfigError ? error.lang : undefined) ?? 'en';
  }
}
