import type { TaskStatusRow } from '../../ledgers/queries/task-status.query';
import { daysBetween } from '../../programmes/local-time';
import { html, type Html } from '../html';
import type { WebContext } from '../web-context';
import { LIGHT_CLASS, lightOf } from './task-lights';

/** Days left or late, as a person reads them beside a due date. */
export function daysText(web: WebContext, today: string, due: string | null): string {
  if (due === null) return '';
  const days = daysBetween(today, due);
  return days >= 0 ? web.t('tasks.daysLeft', { days }) : web.t('tasks.daysLate', { days: -days });
}

/** A task's status badge: the light's colour, the status in words. */
export function statusBadge(web: WebContext, row: Pick<TaskStatusRow, 'status' | 'progress' | 'daysLeft'>): Html {
  const light = lightOf(row);
  return html`<span class="status ${LIGHT_CLASS[light]}" title="${web.t(`light.${light}`)}">${web.t(`taskStatus.${row.status}`)}</span>`;
}
