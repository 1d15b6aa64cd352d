import { Inject } from '@nestjs/common';
import { Command, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayActFor } from '../access/grants';
import { PersonDirectory } from '../access/people/person-directory';
import { contextOf, type Principal } from '../access/principal';
import type { Clock } from '../event-sourcing/clock';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import type { EventStore } from '../event-sourcing/event-store.port';
import { foldStream } from '../event-sourcing/fold-stream';
import { handleCommand } from '../event-sourcing/handle-command';
import { CLOCK, EVENT_STORE } from '../event-sourcing/tokens';
import { LedgerDirectory } from '../ledgers/ledger-directory';
import { localDateOf } from '../programmes/local-time';
import { ProjectionRunner } from '../read-models/projection-runner';
import { GenerateReportQuery, type GeneratedReport } from '../reports/generate/generate-report.query';
import { assertNotSignedOff, describeReview, reviewDecider, reviewStream, signOffPeople, type ReportSignedOff } from './review.decider';
import { assertReviewablePeriod } from './review-target';
import { signatureLineOf } from '../reports/signature-line';

export type SignOffResult = ReportSignedOff['data'] & { eventId: string; eventPosition: number };

/** The regulator signs off a report's period: the files drawn now, with the people who filled and reviewed, recorded; the period locks. */
export class SignOffCommand extends Command<SignOffResult> {
  constructor(
    readonly ledgerId: string,
    readonly reportId: string,
    readonly period: string,
    readonly principal: Principal,
    readonly correlationId?: string,
  ) {
    super();
  }
}

@CommandHandler(SignOffCommand)
export class SignOffHandler implements ICommandHandler<SignOffCommand, SignOffResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: LedgerDirectory,
    private readonly people: PersonDirectory,
    private readonly runner: ProjectionRunner,
    private readonly queries: QueryBus,
  ) {}

  async execute({ ledgerId, reportId, period: periodText, principal, correlationId }: SignOffCommand): Promise<SignOffResult> {
    const ledger = await this.directory.get(ledgerId);
    const grant = assertMayActFor(principal, { action: 'sign-off', ledgerId });
    const period = assertReviewablePeriod(ledger, reportId, periodText);
    const person = principal.kind === 'person' ? await this.people.read(principal.id) : null;
    if (!person?.exists) throw new DomainError('forbidden', [problem('Authorization', 'problem.signOffNeedsPerson', { actor: principal.actor })]);
    const stream = reviewStream(ledgerId, reportId, period);
    const units = [...ledger.units.values()].filter((unit) => !unit.retired).map((unit) => unit.id);
    const reporter = { actor: principal.actor, name: person.name, contact: person.contact };
    const reportDate = localDateOf(this.clock.now().toISOString(), ledger.programme.timeZone);
    // Refused before the files are drawn; decided again on append, where a review changed meanwhile is refused.
    const { state } = await foldStream(this.store, stream, reviewDecider);
    const what = describeReview({ ledgerId, reportId, period });
    assertNotSignedOff(state, what);
    const people = signOffPeople(state, units, what);
    const asOf = { kind: 'position' as const, position: await this.store.headPosition() };
    const signature = signatureLineOf({ reporter, reviewers: people.reviewers, reportDate });
    const reports: GeneratedReport[] = [];
    for (const format of ['xlsx', 'pdf']) reports.push(await this.queries.execute(new GenerateReportQuery(ledgerId, reportId, period, format, asOf, signature)));
    const [first] = reports;
    const record = {
      asOf: first.asOf,
      position: first.position,
      logDigest: first.logDigest,
      layoutVersion: first.layoutVersion,
      files: reports.map((report) => ({ format: report.format, sha256: report.digest, bytes: report.bytes.length })),
      reporter,
      reviewers: people.reviewers,
      reportDate,
    };
    const command = { kind: 'sign-off' as const, ledgerId, reportId, period, units, record };
    const result = await handleCommand(this.store, stream, reviewDecider, command, contextOf(principal, grant, correlationId));
    await this.runner.catchUp();
    return { ...(result.events[0] as ReportSignedOff).data, eventId: result.eventIds[0], eventPosition: result.position };
  }
}
