import type { TaskStatusRow } from '../../ledgers/queries/task-status.query';
import type { TaskStatus } from '../../programmes/deadline';

/** The 督办 colour of each status (CSS class `status <tone>`), and the glyph a cell shows so colour is never the only sign. */
export const STATUS_TONES: Record<TaskStatus, { tone: string; glyph: string }> = {
  overdue: { tone: 'late', glyph: '!' },
  'not-reported': { tone: 'behind', glyph: '×' },
  blocked: { tone: 'blocked', glyph: '■' },
  'due-soon': { tone: 'soon', glyph: '◷' },
  'in-progress': { tone: 'progress', glyph: '…' },
  'not-started': { tone: 'idle', glyph: '○' },
  'completed-late': { tone: 'done-late', glyph: '✓' },
  'completed-on-time': { tone: 'ok', glyph: '✓' },
  completed: { tone: 'ok', glyph: '✓' },
  reported: { tone: 'ok', glyph: '●' },
};

/** Most urgent first: the order of the legend, the filter and the counts. */
export const BOARD_STATUSES = Object.keys(STATUS_TONES) as TaskStatus[];

export const isTaskStatus = (value: unknown): value is TaskStatus => typeof value === 'string' && value in STATUS_TONES;

export interface BoardFilter {
  unit?: string;
  task?: string;
  section?: string;
  status?: TaskStatus;
}

export interface BoardUnitRow {
  unit: string;
  unitName: string;
  role: string;
  /** By task number: the pair's row, absent where the unit has no part in the task (or the filter left it out). */
  cells: Map<string, TaskStatusRow>;
}

export interface BoardView {
  /** Pairs by status over the whole filtered board (not only the page). */
  counts: Record<TaskStatus, number>;
  pairs: number;
  /** The task numbers that are columns, in programme order. */
  tasks: string[];
  /** Units with at least one pair left by the filter, in ledger order; `page` of them. */
  units: number;
  page: BoardUnitRow[];
  /** Every overdue pair of the filtered board, most days late first. */
  overdue: TaskStatusRow[];
}

/**
 * Tasks × units as a regulator reads it, out of the status rows of TaskStatusQuery: filtered by
 * unit, task, section and status; the units paged (a ledger of 1,000 units shows some at a time),
 * the counts and the overdue list over the whole filtered board. Pure.
 */
/** Task numbers in the programme's order (2 before 12), not as text; one collator (localeCompare with options builds one a call). */
const byTaskNumber = new Intl.Collator('en', { numeric: true }).compare;

export function boardView(rows: readonly TaskStatusRow[], filter: BoardFilter, page: { offset: number; limit: number }): BoardView {
  const kept = rows.filter(
    (r) => (!filter.unit || r.unit === filter.unit) && (!filter.task || r.task === filter.task) && (!filter.section || r.section === filter.section) && (!filter.status || r.status === filter.status),
  );
  const counts = Object.fromEntries(BOARD_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  const tasks: string[] = [];
  const seenTasks = new Set<string>();
  const units = new Map<string, BoardUnitRow>();
  for (const row of kept) {
    counts[row.status]++;
    if (!seenTasks.has(row.task)) {
      seenTasks.add(row.task);
      tasks.push(row.task);
    }
    if (!units.has(row.unit)) units.set(row.unit, { unit: row.unit, unitName: row.unitName, role: row.role, cells: new Map() });
  }
  // Cells only for the units of the page: a 1,000-unit board draws 50 of them.
  const shown = [...units.values()].slice(page.offset, page.offset + page.limit);
  const onPage = new Map(shown.map((u) => [u.unit, u]));
  for (const row of kept) onPage.get(row.unit)?.cells.set(row.task, row);
  const overdue = kept.filter((r) => r.status === 'overdue').sort((a, b) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0) || byTaskNumber(a.task, b.task));
  return { counts, pairs: kept.length, tasks, units: units.size, page: shown, overdue };
}
