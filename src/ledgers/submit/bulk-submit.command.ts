import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { appendChained } from '../../event-sourcing/chained-appender';
import type { Clock, IdSource } from '../../event-sourcing/clock';
import { randomIds } from '../../event-sourcing/clock';
import { DomainError, type Problem } from '../../event-sourcing/domain-error';
import type { EventStore, NewEvent } from '../../event-sourcing/event-store.port';
import { foldStream, type FoldedStream } from '../../event-sourcing/fold-stream';
import { contextMetadata, type RequestContext } from '../../event-sourcing/request-context';
import { CLOCK, EVENT_STORE } from '../../event-store/event-store.module';
import { parseJsonText } from '../../input/json';
import { localDateOf } from '../../programmes/local-time';
import { LedgerDirectory, type LedgerDefinition } from '../ledger-directory';
import { PeriodLocks } from '../period-locks';
import { ReviewHolds } from '../../reviews/review-holds';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { routeOf, type RecordRoute, type SubmissionMoment } from './record-routes';
import { admitRecord } from './submit-record.command';

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

type Plan = FoldedStream<unknown> & { stream: string; events: NewEvent[]; planned: Set<string> };

/** Events per append: bounded so one transaction (or gRPC call) stays small. */
const CHUNK = 500;

@CommandHandler(BulkSubmitCommand)
export class BulkSubmitHandler implements ICommandHandler<BulkSubmitCommand, BulkSubmitResult> {
  private readonly ids: IdSource = randomIds;

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
    // One moment for the whole file: today and the period locks of each ledger, worked out once.
    const moments = new Map<string, SubmissionMoment>();
    const momentOf = (ledger: LedgerDefinition) =>
      moments.get(ledger.ledgerId) ??
      moments.set(ledger.ledgerId, { today: localDateOf(now, ledger.programme.timeZone), lockOf: this.locks.at(ledger, now), heldOf: this.holds.at(ledger.ledgerId) }).get(ledger.ledgerId)!;
    // Client ids are checked against the read models, caught up once for the file.
    await this.runner.catchUp();
    const now = this.clock.now().toISOString();
    let lines = 0;
    let duplicates = 0;
    const idsInFile = new Map<string, string>();
    const rows = text.replace(/^\uFEFF/, '').split('\n');
    for (let index = 0; index < rows.length; index++) {
      const line = rows[index].replace(/\r$/, '');
      if (line.trim() === '') continue;
      lines++;
      const at = `${file}:${index + 1}`;
      try {
        const value = parseJsonText(line, '(line)');
        const { record, ledger } = await admitRecord(value, ledgerOf);
        const route = routeOf(record.type);
        const stream = route.stream(record);
        const plan = plans.get(stream) ?? (await this.plan(stream, route, plans));
        if (record.id && (plan.positions.has(record.id) || plan.planned.has(record.id))) {
          duplicates++;
          continue;
        }
        if (record.id) {
          const other = idsInFile.get(record.id);
          if (other !== undefined && other !== stream) throw new DomainError('conflict', [{ field: 'id', reason: `${record.id} is also the id of a line for another stream (${other})` }]);
          idsInFile.set(record.id, stream);
          await this.directory.assertIdFree(record.id, stream, 'id', true);
        }
        const moment = momentOf(ledger);
        const events = route.decider.decide(route.command(record, ledger, moment), plan.state);
        for (const event of events) {
          const id = event === events[0] && record.id ? record.id : this.ids.next();
          plan.state = route.decider.evolve(plan.state, { ...event, id });
          plan.planned.add(id);
          plan.events.push({ id, type: event.type, data: event.data, metadata: { ...contextMetadata({ ...context, unit: record.unit }), line: index + 1 } });
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push(...error.problems.map((p) => ({ field: `${at}${p.field ? ` ${p.field}` : ''}`, reason: p.reason })));
      }
    }
    if (problems.length > 0) throw new DomainError('invalid', problems);
    if (lines === 0) throw DomainError.invalid(file, 'has no record');
    return this.append([...plans.values()], { lines, duplicates }, onProgress);
  }

  private async plan(stream: string, route: RecordRoute, plans: Map<string, Plan>): Promise<Plan> {
    const plan: Plan = { ...(await foldStream(this.store, stream, route.decider)), stream, events: [], planned: new Set() };
    plans.set(stream, plan);
    return plan;
  }

  /** Every line was valid: append stream by stream at the revisions that were read (a concurrent writer makes it fail, naming what was appended). */
  private async append(plans: Plan[], counts: { lines: number; duplicates: number }, onProgress?: (done: number, total: number) => void): Promise<BulkSubmitResult> {
    const total = plans.reduce((n, p) => n + p.events.length, 0);
    let appended = 0;
    let position = 0;
    for (const plan of plans) {
      let revision = plan.revision;
      for (let i = 0; i < plan.events.length; i += CHUNK) {
        const chunk = plan.events.slice(i, i + CHUNK);
        try {
          const result = await appendChained(this.store, plan.stream, chunk, revision === -1 ? 'no-stream' : revision);
          revision = result.nextRevision;
          position = Math.max(position, result.position);
        } catch (error) {
          if (appended === 0) throw error;
          throw new DomainError('conflict', [{ reason: `${appended} of ${total} events were appended before ${plan.stream} changed under this import (${(error as Error).message}); submit the file again: appended lines with an id are skipped` }]);
        }
        appended += chunk.length;
        onProgress?.(appended, total);
      }
    }
    return { lines: counts.lines, appended, duplicates: counts.duplicates, streams: plans.filter((p) => p.events.length > 0).length, position };
  }
}
