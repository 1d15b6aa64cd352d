import type { CliCommand } from '../command';
import { rebuildCommand } from './rebuild.command';
import { serveCommand } from './serve.command';
import { statsCommand } from './stats.command';

/** Every CLI command; later modules add theirs here. */
export const COMMANDS: readonly CliCommand[] = [serveCommand, rebuildCommand, statsCommand];
