import type { ReportData } from '../../reports/resolved';
import { html, type Html } from '../html';
import { localDateText } from '../local-moment';
import type { WebContext } from '../web-context';

type Row = Record<string, string | number | null>;

const percent = (value: string | number | null) => (value === null ? '—' : `${Math.round(Number(value) * 10) / 10}%`);

/**
 * Reporting rates as DHIS2 shows them (expected reports, actual, on time, % and % on time) per
 * period the calendar owes, from the submission-timeliness report's data; then who has not reported
 * for the period that fell due last (or, before any did, the one coming).
 */
export function reportingRates(web: WebContext, data: ReportData, asOfDate: string): Html {
  const periods = (data.lists?.periods ?? []) as Row[];
  const submissions = (data.lists?.submissions ?? []) as Row[];
  const fallen = periods.filter((p) => String(p.due) <= asOfDate);
  const current = fallen[fallen.length - 1] ?? periods[0];
  const owing = current ? submissions.filter((s) => s.periodId === current.periodId && (s.status === 'missing' || s.status === 'pending')) : [];
  return html`<h2 id="rates">${web.t('oversight.rates.title')}</h2>
${periods.length === 0 ? html`<p>${web.t('oversight.rates.none')}</p>` : html`<div class="table-wrap"><table aria-labelledby="rates">
<thead><tr><th>${web.t('oversight.period')}</th><th>${web.t('oversight.due')}</th><th class="num">${web.t('oversight.rates.expected')}</th><th class="num">${web.t('oversight.rates.actual')}</th><th class="num">${web.t('oversight.rates.onTime')}</th><th class="num">${web.t('oversight.rates.late')}</th><th class="num">${web.t('oversight.rates.missing')}</th><th class="num">${web.t('oversight.rates.rate')}</th><th class="num">${web.t('oversight.rates.rateOnTime')}</th></tr></thead>
<tbody>${periods.map(
    (p) => html`<tr${p === current ? html` aria-current="true" class="current"` : ''}><td>${p.periodId}</td><td>${localDateText(String(p.due), web.lang)}</td><td class="num">${p.expected}</td><td class="num">${p.reported}</td><td class="num">${p.onTime}</td><td class="num">${p.late}</td><td class="num">${Number(p.missing) + Number(p.pending)}</td><td class="num">${percent(p.reportingRate)}</td><td class="num">${percent(p.timelinessRate)}</td></tr>`,
  )}</tbody></table></div>`}
${current ? html`<h2 id="not-reported">${web.t('oversight.rates.notReported', { period: String(current.periodId), due: localDateText(String(current.due), web.lang), count: owing.length })}</h2>
${owing.length === 0 ? html`<p>${web.t('oversight.rates.allReported')}</p>` : html`<div class="table-wrap"><table aria-labelledby="not-reported">
<thead><tr><th>${web.t('oversight.board.unit')}</th><th>${web.t('oversight.board.status')}</th><th class="num">${web.t('oversight.daysLate')}</th></tr></thead>
<tbody>${owing.slice(0, 200).map((s) => html`<tr><td>${s.unit}</td><td><span class="status ${s.status === 'missing' ? 'late' : 'idle'}">${web.t(`oversight.timeliness.${s.status}`)}</span></td><td class="num">${s.daysLate ?? ''}</td></tr>`)}</tbody></table></div>
${owing.length > 200 ? html`<p class="muted">${web.t('oversight.moreRows', { shown: 200, total: owing.length })}</p>` : ''}`}` : ''}`;
}
