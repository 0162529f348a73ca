import { f0401Settled, unexpected } from './lifecycle-state';
import { DeadlineWatch, Lifecycle, LifecycleCommand, LifecycleEvent, LifecycleMessage } from './lifecycle.types';

/** The deadline clocks: due_soon, overdue and past_legal raised on absolute instants until the message is accepted. */

const MARKS = [
  ['warnAt', 'due_soon'],
  ['dueAt', 'overdue'],
  ['legalDueAt', 'past_legal'],
] as const;

export function enqueue(l: Lifecycle, message: LifecycleMessage, now: number, commands: LifecycleCommand[]): void {
  l.queue.push(message);
  watch(l, { messageId: message.messageId, warnAt: message.warnAt, dueAt: message.dueAt, legalDueAt: message.legalDueAt }, now, commands);
}

export function watch(l: Lifecycle, times: Omit<DeadlineWatch, 'next' | 'waiting'>, now: number, commands: LifecycleCommand[]): void {
  const clock: DeadlineWatch = { ...times, next: 0, waiting: null };
  l.deadlines.push(clock);
  tick(l, clock, now, commands);
}

/** Whether the clock's message no longer needs its marks: accepted, or (the F0401) cancelled as blank. */
export function clockDone(l: Lifecycle, clock: DeadlineWatch): boolean {
  return clock.messageId === null ? f0401Settled(l) : !l.queue.some((m) => m.messageId === clock.messageId);
}

/** The clock's next step: a timer to its next instant, or at once the mark of an instant already past. */
export function tick(l: Lifecycle, clock: DeadlineWatch, now: number, commands: LifecycleCommand[]): void {
  clock.waiting = null;
  if (clock.next >= MARKS.length || clockDone(l, clock)) return;
  const [field] = MARKS[clock.next];
  const ms = Date.parse(clock[field]) - now;
  if (ms > 0) {
    clock.waiting = 'timer';
    commands.push({ kind: 'start_timer', messageId: clock.messageId, ms });
  } else mark(l, clock, commands);
}

export function mark(l: Lifecycle, clock: DeadlineWatch, commands: LifecycleCommand[]): void {
  const state = MARKS[clock.next][1];
  if (clock.messageId === null) l.deadlineState = state;
  clock.waiting = 'mark';
  commands.push({ kind: 'mark_deadline', messageId: clock.messageId, state });
}

/** Stops the clocks whose message is done: a running timer is cancelled, a mark under way finishes first. */
export function stopClocks(l: Lifecycle, commands: LifecycleCommand[]): void {
  for (const clock of l.deadlines) {
    if (clock.waiting !== 'timer' || !clockDone(l, clock)) continue;
    clock.waiting = null;
    commands.push({ kind: 'cancel_timer', messageId: clock.messageId });
  }
}

export function clockOf(l: Lifecycle, event: LifecycleEvent & { messageId: string | null }, waiting: 'timer' | 'mark'): DeadlineWatch {
  return l.deadlines.find((d) => d.messageId === event.messageId && d.waiting === waiting) ?? unexpected(l, event);
}
