import type { HistoryEntry } from '../../ledgers/queries/history.query';
import type { ProgrammeTemplate } from '../../programmes/template';
import { html, url, type Html } from '../html';
import type { WebContext } from '../web-context';
import { momentHtml } from '../local-moment';
import { metricFactsOf } from './figure-entries';
import type { UnitScope } from './unit-scope';

/** A figure's name as the programme writes it: the metric's label and the labels of its dimension values, with the unit of measure. */
export function figureLabel(programme: ProgrammeTemplate, metricId: string, dimensions: Record<string, string>): string {
  const metric = programme.metrics?.find((m) => m.id === metricId);
  if (!metric) return metricId;
  const values = (metric.dimensions ?? []).map((d) => d.values.find((v) => v.id === dimensions[d.id])?.label ?? dimensions[d.id]).filter(Boolean);
  return `${metric.label}${values.length > 0 ? ` · ${values.join(' / ')}` : ''}（${metric.unit}）`;
}

type Facts = Record<string, unknown>;

/** What an event states, in a line: a progress report or a figure. */
function factsText(web: WebContext, programme: ProgrammeTemplate, type: string, facts: Facts): Html {
  if (type === 'ProgressReported') {
    const evidence = Array.isArray(facts.evidence) && facts.evidence.length > 0 ? html` <span class="muted">[${(facts.evidence as string[]).join('; ')}]</span>` : '';
    return html`${web.t('progressForm.task')} ${String(facts.task)}: ${web.t(`progress.${String(facts.status)}`)} · ${String(facts.on)}${facts.note ? html` — ${String(facts.note)}` : ''}${evidence}`;
  }
  const metric = metricFactsOf({ type: 'MetricReported', data: facts });
  if (metric) return html`${figureLabel(programme, metric.metric, metric.dimensions)} · ${metric.period}: <strong>${metric.value}</strong>`;
  return html`${JSON.stringify(facts)}`;
}

/** The unit's history, latest first: each event, a correction with its before and after and reason; figures in force can be corrected. */
export function historyTable(web: WebContext, scope: UnitScope, entries: readonly HistoryEntry[], limit = 200): Html {
  if (entries.length === 0) return html`<p>${web.t('history.none')}</p>`;
  const programme = scope.ledger.programme;
  const shown = [...entries].reverse().slice(0, limit);
  const row = (entry: HistoryEntry) => {
    const corrected = entry.type === 'SubmissionCorrected' ? entry.data : null;
    const before = entry.replaced ? factsText(web, programme, entry.replaced.type === 'SubmissionCorrected' ? String((entry.replaced.data as Facts).correctedType) : entry.replaced.type, entry.replaced.type === 'SubmissionCorrected' ? ((entry.replaced.data as Facts).facts as Facts) : entry.replaced.data) : '';
    const what = corrected ? factsText(web, programme, String(corrected.correctedType), corrected.facts as Facts) : factsText(web, programme, entry.type, entry.data);
    const correctable = scope.maySubmit && entry.supersededBy === null && metricFactsOf(entry) !== null;
    return html`<tr id="e-${entry.eventId}">
  <td>${momentHtml(web.lang, entry.recordedAt, programme.timeZone)}</td>
  <td>${web.t(`event.${entry.type}`)}${corrected?.late ? html` <span class="status late">${web.t('history.late')}</span>` : ''}</td>
  <td>${corrected ? html`<div><span class="muted">${web.t('col.before')}:</span> <del>${before}</del></div><div><span class="muted">${web.t('col.after')}:</span> ${what}</div><div><span class="muted">${web.t('col.reason')}:</span> ${String(corrected.reason)}</div>` : what}${entry.supersededBy ? html` <span class="status idle">${web.t('history.superseded')}</span>` : ''}${correctable ? html` <a href="${url(`${scope.base}/corrections/${entry.eventId}`)}">${web.t('figures.correct')}</a>` : ''}</td>
  <td>${scope.actorName(entry.actor)}</td>
</tr>`;
  };
  return html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${web.t('col.recordedAt')}</th><th scope="col">${web.t('col.kind')}</th><th scope="col">${web.t('col.what')}</th><th scope="col">${web.t('col.who')}</th></tr></thead>
<tbody>${shown.map(row)}</tbody></table></div>${entries.length > limit ? html`<p class="muted">${web.t('history.more', { count: limit })}</p>` : ''}`;
}
