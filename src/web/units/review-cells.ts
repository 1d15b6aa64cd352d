import type { ReviewStatus } from '../../reviews/review-status.query';
import { html, type Html } from '../html';
import { csrfField } from '../layout';
import { momentHtml } from '../local-moment';
import type { WebContext } from '../web-context';
import type { UnitScope } from './unit-scope';

/** The colour of a unit's standing in a review. */
export const REVIEW_STATE_CLASS: Record<string, string> = { 'not-started': 'idle', 'in-progress': 'idle', complete: 'soon', returned: 'late', approved: 'ok', submitted: 'ok' };

/** A unit's standing in the review of a report: state, who took the last step and when, why it was returned. */
export function reviewStanding(web: WebContext, scope: UnitScope, status: ReviewStatus): Html {
  const unit = status.units[0];
  return html`<span class="status ${REVIEW_STATE_CLASS[unit.state]}">${web.t(`review.state.${unit.state}`)}</span>${unit.by ? html` <span class="muted">${scope.actorName(unit.by.actor) || unit.by.name}${unit.at ? html` · ${momentHtml(web.lang, unit.at, scope.ledger.programme.timeZone, 'minute')}` : ''}</span>` : ''}${unit.reason ? html`<br>${web.t('col.reason')}: ${unit.reason}` : ''}`;
}

/** The submitter's "mark this period complete" form for a report (on the figures page and here). */
export function markCompleteForm(web: WebContext, scope: UnitScope, status: ReviewStatus, back: 'figures' | 'review'): Html {
  return html`<form method="post" action="${scope.base}/review/complete">${csrfField(web)}<input type="hidden" name="reportId" value="${status.reportId}"><input type="hidden" name="period" value="${status.period}"><input type="hidden" name="back" value="${back}"><button type="submit">${web.t('review.markComplete')}</button></form>`;
}

/** Whether the unit's submitter may mark the figures complete now (the server decides again). */
export const mayMarkComplete = (scope: UnitScope, status: ReviewStatus): boolean => scope.maySubmit && !['complete', 'approved', 'submitted'].includes(status.units[0].state);
