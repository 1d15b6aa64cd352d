/**
 * The colour a (task, unit) is lit in, the way 督办 systems light them, and the order of urgency a
 * reporting unit works through them in. Pure: from the task status the query computed.
 */
import { deadlineListOf } from '../../ledgers/queries/deadlines.query';
import type { TaskStatusRow } from '../../ledgers/queries/task-status.query';

/** Days before a due date from which an unfinished task is lit as due soon (督办 practice: 15 days). */
export const DUE_SOON_DAYS = 15;

/** The lights, most urgent first; each is a CSS class of `.status` and a filter value of "my tasks". */
export const LIGHTS = ['late', 'soon', 'blocked', 'behind', 'idle', 'done-late', 'ok'] as const;
export type Light = (typeof LIGHTS)[number];

export const isLight = (value: unknown): value is Light => typeof value === 'string' && (LIGHTS as readonly string[]).includes(value);

/** The CSS class of `.status` a light is drawn with (completed late is done, but not green). */
export const LIGHT_CLASS: Record<Light, string> = { late: 'late', soon: 'soon', blocked: 'blocked', behind: 'behind', idle: 'idle', 'done-late': 'behind', ok: 'ok' };

type Row = Pick<TaskStatusRow, 'status' | 'progress' | 'daysLeft'>;

export function lightOf(row: Row): Light {
  const list = deadlineListOf(row as TaskStatusRow, DUE_SOON_DAYS);
  if (list === 'overdue') return 'late';
  if (list === 'due-soon') return 'soon';
  if (row.status === 'completed-late') return 'done-late';
  if (row.status === 'completed' || row.status === 'completed-on-time' || row.status === 'reported') return 'ok';
  if (row.progress === 'blocked') return 'blocked';
  if (list === 'behind') return 'behind';
  return 'idle';
}

/** Most urgent first: by light, then the nearest (or longest past) due date, then the task number in natural order. */
export function byUrgency<T extends Row & { due: string | null; task: string }>(a: T, b: T): number {
  const light = LIGHTS.indexOf(lightOf(a)) - LIGHTS.indexOf(lightOf(b));
  if (light !== 0) return light;
  if (a.due !== b.due) return a.due === null ? 1 : b.due === null ? -1 : a.due.localeCompare(b.due);
  return a.task.localeCompare(b.task, undefined, { numeric: true });
}
