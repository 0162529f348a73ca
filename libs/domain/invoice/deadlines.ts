import { fromTaipei, taipeiDate } from '../taipei-time';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Operational due times the dashboard counts down (the seeds): B2C 48 h, B2B 7 days after issue. */
export const B2C_DUE_AFTER_MS = 48 * HOUR_MS;
export const B2B_DUE_AFTER_MS = 7 * DAY_MS;
/** Legal limit (since 2025-01-01): end of the 2nd (B2C) / 7th (B2B) day counted from the day after issue. */
export const B2C_LEGAL_DAYS = 2;
export const B2B_LEGAL_DAYS = 7;
export const DEFAULT_WARN_BEFORE_MS = 8 * HOUR_MS;

export interface UploadDeadlines {
  dueAt: Date;
  legalDueAt: Date;
  warnAt: Date;
}

export type DeadlineState = 'on_time' | 'due_soon' | 'overdue' | 'past_legal';
/** Every state of an upload still owed to the platform (`done` is the one left off). */
export const OPEN_DEADLINE_STATES: readonly DeadlineState[] = ['on_time', 'due_soon', 'overdue', 'past_legal'];

/** The last millisecond (23:59:59.999 Asia/Taipei) of the Taipei day that is `days` days after the instant's day. */
export function endOfTaipeiDayAfter(instant: Date, days: number): Date {
  const [year, month, day] = taipeiDate(instant);
  return new Date(fromTaipei(year, month, day + days + 1).getTime() - 1);
}

/**
 * Deadlines of an upload (invoice, void or allowance), counted from the time of the event. The due time is never
 * later than the legal limit: 48 h (7 d) after any instant falls on the 2nd (7th) Taipei day after it.
 */
export function uploadDeadlines(
  issuedAt: Date,
  b2b: boolean,
  warnBeforeMs: number = DEFAULT_WARN_BEFORE_MS,
): UploadDeadlines {
  const issued = issuedAt.getTime();
  if (!Number.isFinite(issued)) throw new RangeError('issuedAt is not a valid date');
  const dueAt = new Date(issued + (b2b ? B2B_DUE_AFTER_MS : B2C_DUE_AFTER_MS));
  const legalDueAt = endOfTaipeiDayAfter(issuedAt, b2b ? B2B_LEGAL_DAYS : B2C_LEGAL_DAYS);
  return { dueAt, legalDueAt, warnAt: new Date(dueAt.getTime() - warnBeforeMs) };
}

/**
 * Where a pending upload stands at `now`. A deadline instant itself still counts as in time (overdue starts after
 * dueAt, past_legal after legalDueAt). Callers ask only about uploads not yet accepted.
 */
export function deadlineState(now: Date, deadlines: UploadDeadlines): DeadlineState {
  const t = now.getTime();
  if (t > deadlines.legalDueAt.getTime()) return 'past_legal';
  if (t > deadlines.dueAt.getTime()) return 'overdue';
  if (t >= deadlines.warnAt.getTime()) return 'due_soon';
  return 'on_time';
}
