import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { assertMayActFor, grantAllows } from '../../access/grants';
import type { Grant } from '../../access/principal';
import { parseAsOf, type AsOf } from '../../audit/as-of';
import { Moments } from '../../audit/moments';
import { DomainError } from '../../event-sourcing/domain-error';
import { problem } from '../../i18n/problem';
import { LedgerDirectory, type LedgerDefinition, type LedgerUnit } from '../../ledgers/ledger-directory';
import { HistoryQuery, type HistoryEntry, type HistoryPage } from '../../ledgers/queries/history.query';
import { owedReports, type DueReport } from '../../programmes/calendar';
import { localDateOf } from '../../programmes/local-time';
import { html, url, type Html } from '../html';
import type { WebContext } from '../web-context';
import { WebActors, type ActorName } from '../web-actors';
import { submittedMetrics } from './figures-grid';

/** A unit of a ledger as a page sees it: checked against the caller's grants first, then read as of the page's moment. */
export interface UnitScope {
  ledger: LedgerDefinition;
  unit: LedgerUnit;
  grant: Grant;
  asOf: AsOf;
  /** Today in the programme's time zone, at the page's moment. */
  today: string;
  /** Whether the caller may submit for the unit here (never on a page of a past moment). */
  maySubmit: boolean;
  base: string;
  /** Names the actors of the unit's events and review steps (a person by name, a token by label). */
  actorName: ActorName;
}

/** The most a page lists of a unit's history (the auditor's pages and the API page through all of it). */
export const HISTORY_LIMIT = 10_000;

@Injectable()
export class UnitScopes {
  constructor(
    private readonly directory: LedgerDirectory,
    private readonly moments: Moments,
    private readonly queries: QueryBus,
    private readonly actors: WebActors,
  ) {}

  /** The unit, once the caller may `read` it (its own submitter or reviewer, a regulator, an auditor, an admin) or `submit` for it. */
  async open(web: WebContext, ledgerId: string, unitId: string, action: 'read' | 'submit'): Promise<UnitScope> {
    const grant = assertMayActFor(web.principal!, { action, ledgerId, unitId });
    const asOf = action === 'submit' ? ({ kind: 'now' } as const) : parseAsOf(web.asOf ?? undefined);
    const ledger = await this.directory.get(ledgerId, asOf);
    const unit = ledger.units.get(unitId);
    if (!unit) throw new DomainError('not-found', [problem('unit', 'problem.unknownUnit', { id: unitId, ledger: ledgerId })]);
    const today = localDateOf(this.moments.resolve(asOf).instant, ledger.programme.timeZone);
    const maySubmit = asOf.kind === 'now' && !unit.retired && web.principal!.grants.some((g) => grantAllows(g, { action: 'submit', ledgerId, unitId }));
    return { ledger, unit, grant, asOf, today, maySubmit, base: `/ledgers/${encodeURIComponent(ledgerId)}/units/${encodeURIComponent(unitId)}`, actorName: this.actors.of(ledger) };
  }

  /** The unit's events in log order (corrections with what they replaced), as of the scope's moment. */
  async history(scope: UnitScope): Promise<HistoryEntry[]> {
    const entries: HistoryEntry[] = [];
    for (let after: number | null = 0; after !== null && entries.length < HISTORY_LIMIT; ) {
      const page: HistoryPage = await this.queries.execute(new HistoryQuery(scope.ledger.ledgerId, { unit: scope.unit.id, after, limit: 10000, asOf: scope.asOf }));
      entries.push(...page.entries);
      after = page.next;
    }
    return entries;
  }
}

/** The periods the unit owes figures for that have begun by today, latest first. */
export function startedPeriods(scope: Pick<UnitScope, 'ledger' | 'today'>): DueReport[] {
  return owedReports(scope.ledger.programme)
    .filter((r) => r.period.start <= scope.today)
    .reverse();
}

/** The period a figures page opens on: the one whose report falls due next, else the latest begun. */
export function defaultPeriod(scope: Pick<UnitScope, 'ledger' | 'today'>): string | null {
  const started = startedPeriods(scope);
  const next = [...started].reverse().find((r) => r.due >= scope.today);
  return (next ?? started[0])?.period.id ?? null;
}

/** The unit's own sub-navigation: its workspace, its figures, its workbook. */
export function unitTabs(web: WebContext, scope: UnitScope, current: 'workspace' | 'figures' | 'review' | 'workbook'): Html {
  const tabs: [typeof current, string, string][] = [
    ['workspace', scope.base, web.t('unit.workspace')],
    ['figures', `${scope.base}/figures`, web.t('unit.figures')],
    ['review', `${scope.base}/review`, web.t('review.title')],
    ['workbook', `${scope.base}/workbook`, web.t('unit.workbook')],
  ];
  const hasFigures = submittedMetrics(scope.ledger.programme).length > 0;
  const shown = tabs.filter(([id]) => (id !== 'workbook' || scope.maySubmit) && (!['figures', 'review'].includes(id) || hasFigures));
  return html`<p class="muted">${scope.ledger.name} · ${scope.unit.name} (${scope.unit.id})</p>
<nav class="tabs" aria-label="${scope.unit.name}"><ul>${shown.map(([id, href, label]) => html`<li><a href="${url(href, { asOf: web.asOf })}"${id === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>`;
}
