import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { chainAfter, chainHeadOf, lastEvent } from '../../event-sourcing/chained-appender';
import type { Clock } from '../../event-sourcing/clock';
import { DomainError, type Problem } from '../../event-sourcing/domain-error';
import { eventLoopPauser } from '../../event-sourcing/event-loop';
import type { EventStore, NewEvent, StreamAppend } from '../../event-sourcing/event-store.port';
import { uuidFromKey } from '../../event-sourcing/key-uuid';
import { foldStream, type FoldedStream } from '../../event-sourcing/fold-stream';
import { contextMetadata, type RequestContext } from '../../event-sourcing/request-context';
import { CLOCK, EVENT_STORE } from '../../event-sourcing/tokens';
import { parseJsonText } from '../../input/json';
import { localDateOf } from '../../programmes/local-time';
import { LedgerDirectory, type LedgerDefinition } from '../ledger-directory';
import { PeriodLocks } from '../period-locks';
import { ReviewHolds } from '../review-holds';
import { ProjectionRunner } from '../../read-models/projection-runner';
import type { RecordFields } from './record-types';
import { routeOf, type RecordRoute, type SubmissionMoment } from './record-routes';
import { admitRecord } from './submit-record.command';
import { problem } from '../../i18n/problem';

export interface BulkSubmitResult {
  lines: number;
  appended: number;
  duplicates: number;
  streams: number;
  position: number;
}

/** A whole NDJSON file of submission records: all of it is appended, or — if any line is wrong — none of it. */
export class BulkSubmitCommand extends Command<BulkSubmitResult> {
  constructor(
    readonly text: string,
    readonly file: string,
    readonly context: RequestContext,
    readonly onProgress?: (done: number, total: number) => void,
  ) {
    super();
  }
}

/** A valid line of the file, kept to be decided again if its stream moves before the append. */
interface Line {
  number: number;
  record: RecordFields;
  ledger: LedgerDefinition;
  /** The id of the line's first event: the client's, or one derived from the file's digest and the line number. */
  id: string;
}

/** One stream's part of the file: the stream as read, the lines decided on it, and the events they make. */
type Plan = FoldedStream<unknown> & { stream: string; route: RecordRoute; lines: Line[]; events: NewEvent[]; planned: Set<string>; duplicates: number };

/**
 * A whole file of submission records, all or nothing, through the same deciders as a single
 * submission. Every line is validated first (each bad one named); then, holding the store's write
 * lock, any stream another writer moved meanwhile is read and decided again, and every event is
 * appended in one transaction (stream by stream on EventStoreDB; see EventStore.appendPlanned). A
 * line without an id gets one derived from the file's digest and its line number, so submitting
 * the same file again appends nothing twice; a figure already recorded with the same value is
 * counted as a duplicate, not refused. Long work yields to the event loop.
 */
@CommandHandler(BulkSubmitCommand)
export class BulkSubmitHandler implements ICommandHandler<BulkSubmitCommand, BulkSubmitResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: LedgerDirectory,
    private readonly locks: PeriodLocks,
    private readonly holds: ReviewHolds,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ text, file, context, onProgress }: BulkSubmitCommand): Promise<BulkSubmitResult> {
    const problems: Problem[] = [];
    const plans = new Map<string, Plan>();
    const ledgers = new Map<string, Promise<LedgerDefinition>>();
    const ledgerOf = (id: string) => ledgers.get(id) ?? ledgers.set(id, this.directory.get(id)).get(id)!;
    // Client ids are checked against the read models, caught up once for the file.
    await this.runner.catchUp();
    const now = this.clock.now().toISOString();
    // One moment for the whole file: today and the period locks of each ledger, worked out once.
    const moments = new Map<string, SubmissionMoment>();
    const momentOf = (ledger: LedgerDefinition) =>
      moments.get(ledger.ledgerId) ??
      moments.set(ledger.ledgerId, { today: localDateOf(now, ledger.programme.timeZone), lockOf: this.locks.at(ledger, now), heldOf: this.holds.at(ledger.ledgerId), role: context.role }).get(ledger.ledgerId)!;
    const decide = (plan: Plan, line: Line) => this.decideLine(plan, line, momentOf(line.ledger), context);
    const digest = createHash('sha256').update(text).digest('hex');
    const pause = eventLoopPauser();
    let lines = 0;
    const idsInFile = new Map<string, string>();
    const rows = text.replace(/^\uFEFF/, '').split('\n');
    for (let index = 0; index < rows.length; index++) {
      await pause();
      const line = rows[index].replace(/\r$/, '');
      if (line.trim() === '') continue;
      lines++;
      try {
        const value = parseJsonText(line, '(line)');
        const { record, ledger } = await admitRecord(value, ledgerOf);
        const route = routeOf(record.type);
        const stream = route.stream(record);
        const plan = plans.get(stream) ?? (await this.plan(stream, route, plans));
        if (record.id && !plan.positions.has(record.id) && !plan.planned.has(record.id)) {
          const other = idsInFile.get(record.id);
          if (other !== undefined && other !== stream) throw new DomainError('conflict', [problem('id', 'problem.idOfOtherLine', { id: record.id, stream: other })]);
          idsInFile.set(record.id, stream);
          await this.directory.assertIdFree(record.id, stream, 'id', true);
        }
        const valid: Line = { number: index + 1, record, ledger, id: record.id ?? uuidFromKey(`submission-file/${digest}`, String(index + 1)) };
        decide(plan, valid);
        plan.lines.push(valid);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push(...located(error, `${file}:${index + 1}`));
      }
    }
    if (problems.length > 0) throw new DomainError('invalid', problems);
    if (lines === 0) throw new DomainError('invalid', [problem(file, 'problem.noRecord')]);
    const written = [...plans.values()].filter((p) => p.lines.length > 0);
    const results = await this.store.appendPlanned(async () => {
      const moved: Problem[] = [];
      const appends: StreamAppend[] = [];
      for (const plan of written) {
        await pause();
        let head = await lastEvent(this.store, plan.stream);
        if ((head?.revision ?? -1) !== plan.revision) {
          // Another writer appended to this stream since it was read: decide its lines again on the stream as it now is.
          moved.push(...(await this.replan(plan, decide, file)));
          head = await lastEvent(this.store, plan.stream);
        }
        if (plan.events.length > 0) appends.push({ stream: plan.stream, events: chainAfter(chainHeadOf(head), plan.stream, plan.events), expected: head ? head.revision : 'no-stream' });
      }
      if (moved.length > 0) throw new DomainError('conflict', moved);
      return appends;
    }, onProgress);
    return {
      lines,
      appended: written.reduce((n, p) => n + p.events.length, 0),
      duplicates: written.reduce((n, p) => n + p.duplicates, 0),
      streams: written.filter((p) => p.events.length > 0).length,
      position: Math.max(0, ...results.map((r) => r.position)),
    };
  }

  private async plan(stream: string, route: RecordRoute, plans: Map<string, Plan>): Promise<Plan> {
    const plan: Plan = { ...(await foldStream(this.store, stream, route.decider)), stream, route, lines: [], events: [], planned: new Set(), duplicates: 0 };
    plans.set(stream, plan);
    return plan;
  }

  /** Decides one line on its stream's state (evolved in place): its events join the plan, or it is counted as already recorded. */
  private decideLine(plan: Plan, line: Line, moment: SubmissionMoment, context: RequestContext): void {
    if (plan.positions.has(line.id) || plan.planned.has(line.id)) {
      plan.duplicates++;
      return;
    }
    const events = plan.route.decider.decide(plan.route.command(line.record, line.ledger, moment), plan.state);
    if (events.length === 0) plan.duplicates++;
    events.forEach((event, index) => {
      const id = index === 0 ? line.id : uuidFromKey(line.id, String(index));
      plan.state = plan.route.decider.evolve(plan.state, { ...event, id });
      plan.planned.add(id);
      plan.events.push({ id, type: event.type, data: event.data, metadata: { ...contextMetadata({ ...context, unit: line.record.unit }), line: line.number } });
    });
  }

  /** Reads a moved stream again and decides its lines on it; returns the problems of the lines that no longer hold. */
  private async replan(plan: Plan, decide: (plan: Plan, line: Line) => void, file: string): Promise<Problem[]> {
    Object.assign(plan, await foldStream(this.store, plan.stream, plan.route.decider), { events: [], planned: new Set(), duplicates: 0 });
    const problems: Problem[] = [];
    for (const line of plan.lines) {
      try {
        decide(plan, line);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push(...located(error, `${file}:${line.number}`));
      }
    }
    return problems;
  }
}

function located(error: DomainError, at: string): Problem[] {
  return error.problems.map((p) => ({ ...p, field: `${at}${p.field ? ` ${p.field}` : ''}` }));
}
