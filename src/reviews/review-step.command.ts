import { Inject } from '@nestjs/common';
import { Command, CommandHandler } from '@nestjs/cqrs';
import { assertMayActFor } from '../access/grants';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import { contextOf, type Principal } from '../access/principal';
import type { EventStore } from '../event-sourcing/event-store.port';
import { handleCommand } from '../event-sourcing/handle-command';
import { EVENT_STORE } from '../event-sourcing/tokens';
import { LedgerDirectory } from '../ledgers/ledger-directory';
import { ProjectionRunner } from '../read-models/projection-runner';
import { reviewDecider, reviewStream, type ReviewCommand } from './review.decider';
import { assertReviewablePeriod, assertReviewableUnit } from './review-target';

export interface ReviewStepResult {
  ledgerId: string;
  reportId: string;
  period: string;
  unitId: string;
  step: 'complete' | 'approved' | 'returned';
  eventId: string;
  position: number;
}

/** Which unit's figures, for which report and period of which ledger. */
export interface UnitFigures {
  ledgerId: string;
  reportId: string;
  period: string;
  unitId: string;
}

/** A unit's submitter marks its figures for a report's period complete: they wait for review and stand still. */
export class MarkCompleteCommand extends Command<ReviewStepResult> {
  constructor(
    readonly figures: UnitFigures,
    readonly principal: Principal,
    readonly correlationId?: string,
  ) {
    super();
  }
}

/** A reviewer of the unit approves its figures marked complete. */
export class ApproveFiguresCommand extends Command<ReviewStepResult> {
  constructor(
    readonly figures: UnitFigures,
    readonly principal: Principal,
    readonly correlationId?: string,
  ) {
    super();
  }
}

/** A reviewer of the unit returns its figures (complete or approved) with a reason: they can be corrected again. */
export class ReturnFiguresCommand extends Command<ReviewStepResult> {
  constructor(
    readonly figures: UnitFigures,
    readonly reason: unknown,
    readonly principal: Principal,
    readonly correlationId?: string,
  ) {
    super();
  }
}

type StepCommand = MarkCompleteCommand | ApproveFiguresCommand | ReturnFiguresCommand;

/**
 * The three unit steps share one path: the caller's grant on the exact unit, the report, period and
 * unit checked, the decider, then the read model caught up so that the hold on the unit's figures is
 * in force (or lifted) by the time the answer comes.
 */
abstract class ReviewStepHandler<C extends StepCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: LedgerDirectory,
    private readonly runner: ProjectionRunner,
  ) {}

  protected abstract readonly action: 'submit' | 'review';
  protected abstract step(command: C): { kind: 'mark-complete' } | { kind: 'approve' } | { kind: 'return'; reason: string };

  async execute(command: C): Promise<ReviewStepResult> {
    const { figures, principal, correlationId } = command;
    const ledger = await this.directory.get(figures.ledgerId);
    const grant = assertMayActFor(principal, { action: this.action, ledgerId: figures.ledgerId, unitId: figures.unitId });
    const period = assertReviewablePeriod(ledger, figures.reportId, figures.period);
    assertReviewableUnit(ledger, figures.unitId);
    const ids = { ledgerId: figures.ledgerId, reportId: figures.reportId, period, unitId: figures.unitId };
    const by = { actor: principal.actor, name: principal.name ?? principal.actor };
    const decided = { ...ids, by, ...this.step(command) } as ReviewCommand;
    const result = await handleCommand(this.store, reviewStream(ledger.ledgerId, figures.reportId, period), reviewDecider, decided, contextOf(principal, grant, correlationId));
    await this.runner.catchUp();
    const step = decided.kind === 'mark-complete' ? 'complete' : decided.kind === 'approve' ? 'approved' : 'returned';
    return { ...ids, step, eventId: result.eventIds[0], position: result.position };
  }
}

@CommandHandler(MarkCompleteCommand)
export class MarkCompleteHandler extends ReviewStepHandler<MarkCompleteCommand> {
  protected readonly action = 'submit';
  protected step() {
    return { kind: 'mark-complete' as const };
  }
}

@CommandHandler(ApproveFiguresCommand)
export class ApproveFiguresHandler extends ReviewStepHandler<ApproveFiguresCommand> {
  protected readonly action = 'review';
  protected step() {
    return { kind: 'approve' as const };
  }
}

@CommandHandler(ReturnFiguresCommand)
export class ReturnFiguresHandler extends ReviewStepHandler<ReturnFiguresCommand> {
  protected readonly action = 'review';
  protected step({ reason }: ReturnFiguresCommand) {
    if (reason !== undefined && typeof reason !== 'string') throw new DomainError('invalid', [problem('reason', 'problem.notString')]);
    return { kind: 'return' as const, reason: reason ?? '' };
  }
}
