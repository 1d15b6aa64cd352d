import type { Decider, DomainEvent } from '../../event-sourcing/decider';
import type { LedgerDefinition } from '../ledger-directory';
import type { Refusal } from '../../i18n/problem';
import type { PeriodLock, RecordFields } from './record-types';

/**
 * Where a kind of submission record goes: the stream it is decided on, the decider, and the
 * command built from the record and the ledger in force. The units' own records (progress,
 * metric, correction) have one route; OCOP product records have another; single and bulk
 * submissions both go through `routeOf`.
 */
export interface RecordRoute<State = unknown> {
  types: readonly string[];
  stream(record: RecordFields): string;
  decider: Decider<unknown, DomainEvent, State>;
  command(record: RecordFields, ledger: LedgerDefinition, moment: SubmissionMoment): unknown;
  /** When the decider records nothing for a command (a resend of facts already recorded): the event that holds them. */
  recorded?(command: unknown, state: State): string | null;
}

/** When a submission arrives: today in the programme's time zone, which reporting periods are locked by then, which units' figures a review holds, and the caller's role. */
export interface SubmissionMoment {
  today: string;
  lockOf(periodId: string): PeriodLock | null;
  heldOf?(unitId: string, periodId: string): Refusal | null;
  /** The role of the RequestContext that reached the command (only an admin may back-fill with `reportedOn`). */
  role: string;
}

const routes = new Map<string, RecordRoute>();

export function registerRoute<State>(route: RecordRoute<State>): void {
  for (const type of route.types) routes.set(type, route as RecordRoute);
}

export function routeOf(type: string): RecordRoute {
  const route = routes.get(type);
  if (!route) throw new Error(`no route for record type ${type}`);
  return route;
}
