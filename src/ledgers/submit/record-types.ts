import type { MessageRef } from '../../i18n/translate';

/**
 * The submission records as the commands, the router and the deciders take them: plain data, no
 * framework. The HTTP DTO classes (record-dtos.ts) implement these with their validation rules.
 */

/** A ledger, unit or other id: 1–64 letters, digits, - or _. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const PROGRESS_STATUSES = ['not-started', 'in-progress', 'completed', 'blocked'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** Fields every record carries. */
export interface RecordFields {
  type: string;
  ledger: string;
  unit: string;
  /** A UUID chosen by the client: it becomes the event id. */
  id?: string;
}

export interface ProgressFields extends RecordFields {
  type: 'progress';
  task: string;
  status: ProgressStatus;
  on: string;
  note?: string;
  evidence?: string[];
  reportedOn?: string;
}

export interface MetricFields extends RecordFields {
  type: 'metric';
  period: string;
  metric: string;
  dimensions?: Record<string, string>;
  value: number;
  reportedOn?: string;
}

/** Replaces the facts of an earlier event of the same unit from the moment it is recorded. */
export interface CorrectionFields extends RecordFields {
  type: 'correction';
  corrects: string;
  reason: string;
  value?: number;
  dimensions?: Record<string, string>;
  period?: string;
  status?: ProgressStatus;
  on?: string;
  note?: string;
  evidence?: string[];
}

/** A period locked for plain submissions (figures change only through a late correction with a reason). */
export interface PeriodLock {
  /** The instant the period locked (ISO). */
  since: string;
  /** Why, in English: what a late correction's event records. */
  why: string;
  /** The same, from the catalogue, for the refusal in the caller's language. */
  because: MessageRef;
}
