import type { CliCommand } from '../command';
import { exportCommand, importCommand } from './audit.commands';
import { EVIDENCE_COMMANDS } from './evidence.commands';
import { verifyCommand } from './verify.command';
import { demoCommand } from './demo.command';
import { ledgerOpenCommand, unitsAddCommand, unitsRetireCommand } from './ledger.commands';
import { programmeImportCommand, programmeListCommand, programmeShowCommand } from './programme.commands';
import { rebuildCommand } from './rebuild.command';
import { reportCommand, reportsCommand } from './report.command';
import { serveCommand } from './serve.command';
import { statsCommand } from './stats.command';
import { historyCommand, statusCommand, submitCommand } from './submission.commands';
import { TOKEN_COMMANDS } from './token.command';
import { USER_COMMANDS } from './user.commands';
import { WORKBOOK_COMMANDS } from './workbook.commands';

/** Every CLI command; later modules add theirs here. */
export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  programmeImportCommand,
  programmeListCommand,
  programmeShowCommand,
  ledgerOpenCommand,
  unitsAddCommand,
  unitsRetireCommand,
  submitCommand,
  statusCommand,
  historyCommand,
  reportCommand,
  reportsCommand,
  verifyCommand,
  exportCommand,
  importCommand,
  rebuildCommand,
  statsCommand,
  demoCommand,
  ...TOKEN_COMMANDS,
  ...USER_COMMANDS,
  ...WORKBOOK_COMMANDS,
  ...EVIDENCE_COMMANDS,
];
