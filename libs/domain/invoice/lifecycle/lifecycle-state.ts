import { DomainError } from '../../domain-error';
import { OperationState } from '../operation-rules';
import { Lifecycle, LifecycleEvent, VoidAskOf } from './lifecycle.types';

/** What the lifecycle's parts read of its state. */

/** The domain error a check throws, or null. */
export const refusal = (check: () => unknown): DomainError | null => {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
};

/** What the operation rules judge by, as the lifecycle stands. */
export function operationState(l: Lifecycle): OperationState {
  return {
    invoiceNumber: l.invoiceNumber,
    state: l.state,
    f0401Accepted: l.f0401Accepted,
    uploadInFlight: l.state === 'uploading' || l.resend !== 'none',
    voidRequestKey: l.voidRequestKey,
    allowances: l.allowances,
    filingDeadline: new Date(l.filingDeadline),
  };
}

/** What the lifecycle reports to a status query (and a resend's answer). */
export function lifecycleStatus(l: Lifecycle) {
  return { state: l.state, attempts: l.attempts, deadlineState: l.deadlineState, lastError: l.lastError, pendingMessages: l.queue.length };
}

/** A verdict on the F0401 is on its way to the workflow: the database holds it, the upload is still in flight here. */
export const verdictOnItsWay = (l: Lifecycle, ask: VoidAskOf) => ask.verdictRecorded === true && l.state === 'uploading' && l.resend === 'none';

export const f0401Settled = (l: Lifecycle) => l.f0401Accepted || l.state === 'cancelled_blank';

/** An event the lifecycle cannot meet in the state it is in: the workflow and the decisions disagree. */
export function unexpected(l: Lifecycle, event: LifecycleEvent): never {
  throw new Error(`event ${event.kind} is not expected by the lifecycle of ${l.invoiceNumber} (state ${l.state}, upload ${l.upload?.phase ?? 'none'})`);
}
