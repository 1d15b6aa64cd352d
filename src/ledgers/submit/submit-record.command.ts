import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Clock } from '../../event-sourcing/clock';
import { DomainError } from '../../event-sourcing/domain-error';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { handleCommand } from '../../event-sourcing/handle-command';
import { uuidFromKey } from '../../event-sourcing/key-uuid';
import type { RequestContext } from '../../event-sourcing/request-context';
import { CLOCK, EVENT_STORE } from '../../event-sourcing/tokens';
import { localDateOf } from '../../programmes/local-time';
import { LedgerDirectory, type LedgerDefinition } from '../ledger-directory';
import { PeriodLocks } from '../period-locks';
import { ReviewHolds } from '../review-holds';
import type { RecordFields } from './record-types';
import { routeOf } from './record-routes';
import { ledgerIdOf, parseRecord } from './records';
import './unit-route';
import { problem } from '../../i18n/problem';

export interface SubmitResult {
  eventId: string;
  position: number;
  /** True when the id (or Idempotency-Key) was seen before: nothing new was appended. */
  duplicate: boolean;
}

/** Who may submit for a unit: throws DomainError('forbidden') when the caller may not. The CLI operator may. */
export type Authorize = (ledgerId: string, unitId: string) => void;

/** One submission record, as received (a parsed JSON value); validated, decided and appended to its stream. */
export class SubmitRecordCommand extends Command<SubmitResult> {
  constructor(
    readonly value: unknown,
    readonly context: RequestContext,
    readonly options: { authorize?: Authorize; idempotencyKey?: string; ledgerInPath?: string } = {},
  ) {
    super();
  }
}

/** Checks of a record against the ledger that do not need its stream: the ledger, the unit, the caller. */
export async function admitRecord(
  value: unknown,
  ledgerOf: (ledgerId: string) => Promise<LedgerDefinition>,
  authorize?: Authorize,
  ledgerInPath?: string,
): Promise<{ record: RecordFields; ledger: LedgerDefinition }> {
  // The ledger is looked up first: its programme's language and years are how the values are read.
  const named = ledgerIdOf(value);
  const known = named !== undefined && (ledgerInPath === undefined || named === ledgerInPath) ? await ledgerOf(named) : undefined;
  const record = parseRecord(value, known?.programme);
  if (ledgerInPath !== undefined && record.ledger !== ledgerInPath) throw new DomainError('invalid', [problem('ledger', 'problem.ledgerNotUrl', { value: record.ledger, url: ledgerInPath })]);
  const ledger = known ?? (await ledgerOf(record.ledger));
  authorize?.(record.ledger, record.unit);
  const unit = ledger.units.get(record.unit);
  if (!unit) throw new DomainError('not-found', [problem('unit', 'problem.unknownUnit', { id: record.unit, ledger: record.ledger })]);
  if (unit.retired) throw new DomainError('invalid', [problem('unit', 'problem.unitRetired', { id: record.unit, ledger: record.ledger })]);
  return { record, ledger };
}

@CommandHandler(SubmitRecordCommand)
export class SubmitRecordHandler implements ICommandHandler<SubmitRecordCommand, SubmitResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: LedgerDirectory,
    private readonly locks: PeriodLocks,
    private readonly holds: ReviewHolds,
  ) {}

  async execute({ value, context, options }: SubmitRecordCommand): Promise<SubmitResult> {
    const { record, ledger } = await admitRecord(value, (id) => this.directory.get(id), options.authorize, options.ledgerInPath);
    const eventId = record.id ?? (options.idempotencyKey ? uuidFromKey(`${record.ledger}/${record.unit}`, options.idempotencyKey) : undefined);
    const route = routeOf(record.type);
    if (eventId) await this.directory.assertIdFree(eventId, route.stream(record), record.id ? 'id' : 'Idempotency-Key');
    const now = this.clock.now().toISOString();
    const moment = { today: localDateOf(now, ledger.programme.timeZone), lockOf: this.locks.at(ledger, now), heldOf: this.holds.at(ledger.ledgerId), role: context.role };
    const command = route.command(record, ledger, moment);
    const result = await handleCommand(this.store, route.stream(record), route.decider, command, { ...context, unit: record.unit }, {
      eventId,
      maxAttempts: 3,
      recorded: (state) => route.recorded?.(command, state) ?? null,
    });
    if (result.events.length === 0 && !result.duplicate) {
      // The same facts are already recorded: answered with the event that holds them.
      if (!result.recorded) throw new Error(`the ${record.type} record decided no event and names no recorded one`);
      return { eventId: result.recorded.eventId, position: result.recorded.position, duplicate: true };
    }
    return { eventId: result.eventIds[0], position: result.position, duplicate: result.duplicate };
  }
}
