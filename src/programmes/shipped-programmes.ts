import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandBus } from '@nestjs/cqrs';
import { templatesDir } from '../config';
import type { EventStore } from '../event-sourcing/event-store.port';
import type { RequestContext } from '../event-sourcing/request-context';
import { programmeStream } from './register-programme/programme.decider';
import { RegisterProgrammeCommand, type RegisterProgrammeResult } from './register-programme/register-programme.command';

/** The programme templates that ship with the product: templates/programmes/*.yaml (LEDGER_TEMPLATES_DIR). */
export function shippedProgrammeFiles(directory = join(templatesDir(), 'programmes')): string[] {
  return readdirSync(directory)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort()
    .map((name) => join(directory, name));
}

/**
 * Registers each shipped template whose programme is not in the log yet (on an empty store: all of
 * them). A programme already registered is left as it is: amendments are deliberate imports.
 */
export async function registerShippedProgrammes(commands: CommandBus, store: EventStore, context: RequestContext): Promise<RegisterProgrammeResult[]> {
  const results: RegisterProgrammeResult[] = [];
  for (const file of shippedProgrammeFiles()) {
    const id = file.split(/[\\/]/).pop()!.replace(/\.(ya?ml|json)$/, '');
    if (await programmeInLog(store, id)) continue;
    results.push(await commands.execute(new RegisterProgrammeCommand(readFileSync(file, 'utf8'), file, context)));
  }
  return results;
}

/** Whether a programme's stream has an event: read from the log itself, so no projection lag can mislead. */
export async function programmeInLog(store: EventStore, programmeId: string): Promise<boolean> {
  for await (const _ of store.readStream(programmeStream(programmeId), { maxCount: 1 })) return true;
  return false;
}
