import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { loadConfig, type LedgerConfig } from '../config';
import { openEventStore } from '../event-store/open-event-store';
import { UsageError, type CliCommand, type CommandContext } from './command';
import { COMMANDS } from './commands';
import { cliLang, toExit } from './exit-codes';

const GLOBAL_OPTIONS = { store: { type: 'string' }, lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  const lines = commands.map((c) => `  ${`${c.name} ${c.usage}`.trim().padEnd(60)} ${c.summary}`);
  return ['usage: npm run ledger -- <command> [options] [--store sqlite:<path> | esdb://host:2113?tls=false] [--lang zh|vi|en]', '', 'commands:', ...lines].join('\n');
}

function findCommand(args: string[]): { command: CliCommand; rest: string[] } {
  const two = COMMANDS.find((c) => c.name === args.slice(0, 2).join(' '));
  if (two) return { command: two, rest: args.slice(2) };
  const one = COMMANDS.find((c) => c.name === args[0]);
  if (one) return { command: one, rest: args.slice(1) };
  throw args.length === 0 ? UsageError.of('cli.noCommand') : UsageError.of('cli.unknownCommand', { command: args.slice(0, 2).filter((word, i) => i === 0 || !word.startsWith('-')).join(' ') });
}

/** Runs one CLI invocation and returns its exit code: 0 success, 1 rejected input or failed check, 2 usage error, 3 the store unavailable. */
export async function runCli(args: string[], io: CliIo = processIo): Promise<number> {
  // Read before parsing, so that even a usage error's neighbours speak the asked language.
  const langAt = args.indexOf('--lang');
  const lang = cliLang(langAt >= 0 ? args[langAt + 1] : undefined, () => loadConfig({ liveProjections: false }));
  try {
    if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
      io.out(usage());
      return 0;
    }
    const { command, rest } = findCommand(args);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${command.name}: ${(error as Error).message}`);
    }
    if (parsed.values.help) {
      io.out(`usage: npm run ledger -- ${command.name} ${command.usage}\n${command.summary}`);
      return 0;
    }
    const [min, max] = command.positionals ?? [0, 0];
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw UsageError.of('cli.argumentCount', { usage: `${command.name} ${command.usage}`.trim(), count: parsed.positionals.length });
    }
    let config: LedgerConfig | undefined;
    const getConfig = () => {
      try {
        return (config ??= loadConfig({ store: parsed.values.store as string | undefined, liveProjections: false }));
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    };
    const context: CommandContext = {
      positionals: parsed.positionals,
      values: parsed.values as CommandContext['values'],
      config: getConfig,
      out: io.out,
      lang,
      withStore: async (work) => {
        const store = openEventStore(getConfig());
        try {
          return await work(store);
        } finally {
          await store.close();
        }
      },
      withApp: async (work) => {
        // Errors reach the user through toExit, one line each: Nest's own error log would repeat them.
        const app = await NestFactory.createApplicationContext(AppModule.forRoot(getConfig()), { logger: false, abortOnError: false });
        try {
          return await work(app);
        } finally {
          await app.close();
        }
      },
    };
    return (await command.run(context)) ?? 0;
  } catch (error) {
    const { code, lines } = toExit(error, lang);
    lines.forEach(io.err);
    return code;
  }
}
