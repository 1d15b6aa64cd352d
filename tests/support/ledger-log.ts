import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/event-sourcing/clock';
import type { EventStore } from '../../src/event-sourcing/event-store.port';
import { handleCommand } from '../../src/event-sourcing/handle-command';
import type { RequestContext } from '../../src/event-sourcing/request-context';
import { ledgerDecider, ledgerStream, type LedgerCommand } from '../../src/ledgers/ledger.decider';
import type { UnitRow } from '../../src/ledgers/open-ledger/units-csv';
import type { CorrectionRecord, MetricRecord, ProgressRecord } from '../../src/ledgers/submit/record-dtos';
import { unitStream, unitSubmissionsDecider } from '../../src/ledgers/submit/unit-submissions.decider';
import { diffTemplates, parseTemplate } from '../../src/programmes/load-template';
import { programmeDecider, programmeStream } from '../../src/programmes/register-programme/programme.decider';
import type { ProgrammeTemplate } from '../../src/programmes/template';

/** Writes a ledger's log the way the command handlers do (real deciders, handleCommand, hash-chained appends), without the framework. */

export const ROOT = join(__dirname, '..', '..');

export function programmeFile(programmeId: string): string {
  return join(ROOT, 'templates', 'programmes', `${programmeId}.yaml`);
}

export function loadProgramme(programmeId: string): { template: ProgrammeTemplate; digest: string } {
  const file = programmeFile(programmeId);
  const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${programmeId} must load: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
  return { template: loaded.template, digest: loaded.digest };
}

/** A clock that moves on by `stepMs` at every reading: each append gets its own recorded time. */
export function steppingClock(start: string, stepMs = 60_000): Clock {
  let next = Date.parse(start);
  return {
    now: () => {
      const now = new Date(next);
      next += stepMs;
      return now;
    },
  };
}

/** The store, except that reading the log delivers every event twice (an at-least-once subscription). */
export function deliveredTwice(store: EventStore): EventStore {
  const doubled: EventStore = Object.create(store);
  doubled.readAll = async function* (options) {
    for await (const event of store.readAll(options)) {
      yield event;
      yield event;
    }
  };
  return doubled;
}

export const OPERATOR: RequestContext = { actor: 'cli:tester', role: 'admin', correlationId: '00000000-0000-4000-8000-000000000001' };

export async function registerProgramme(store: EventStore, programmeId: string) {
  const { template, digest } = loadProgramme(programmeId);
  return handleCommand(store, programmeStream(programmeId), programmeDecider, { template, digest, source: `${programmeId}.yaml`, diff: diffTemplates }, OPERATOR);
}

export async function changeLedger(store: EventStore, command: LedgerCommand) {
  return handleCommand(store, ledgerStream(command.ledgerId), ledgerDecider, command, OPERATOR);
}

export async function openLedger(store: EventStore, ledgerId: string, programmeId: string, units: UnitRow[]) {
  return changeLedger(store, { kind: 'open', ledgerId, programmeId, programmeVersion: 1, name: ledgerId, units });
}

/** Submits one record for a unit of the given role, as of a local `today`, with an optional client-chosen id. */
export async function submitRecord(
  store: EventStore,
  programme: ProgrammeTemplate,
  unitRole: string,
  today: string,
  record: ProgressRecord | MetricRecord | CorrectionRecord,
  eventId?: string,
) {
  const result = await handleCommand(
    store,
    unitStream(record.ledger, record.unit),
    unitSubmissionsDecider,
    { record, setting: { programme, unitRole, today } },
    { ...OPERATOR, unit: record.unit },
    { eventId },
  );
  return { id: result.eventIds[0], position: result.position };
}
