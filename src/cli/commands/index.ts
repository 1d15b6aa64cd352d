import type { CliCommand } from '../command';
import { programmeImportCommand, programmeListCommand, programmeShowCommand } from './programme.commands';
import { rebuildCommand } from './rebuild.command';
import { serveCommand } from './serve.command';
import { statsCommand } from './stats.command';

/** Every CLI command; later modules add theirs here. */
export const COMMANDS: readonly CliCommand[] = [serveCommand, programmeImportCommand, programmeListCommand, programmeShowCommand, rebuildCommand, statsCommand];
