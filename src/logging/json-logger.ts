import type { LoggerService, LogLevel } from '@nestjs/common';

/** Structured logs: one JSON object a line on stderr (time, level, context, message, extra fields). */
export class JsonLogger implements LoggerService {
  constructor(private readonly levels: LogLevel[] = ['log', 'warn', 'error', 'fatal']) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]) {
    if (!this.levels.includes(level)) return;
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : { message: String(message) };
    const extra = rest.filter((r) => r !== undefined).map((r) => (r instanceof Error ? r.stack : r));
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, ...(context ? { context } : {}), ...fields, ...(extra.length ? { detail: extra } : {}) })}\n`,
    );
  }
}
