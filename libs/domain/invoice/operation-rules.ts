import { DomainError } from '../domain-error';
import { MIG_LIMITS } from '../mig/mig-limits';

/**
 * F0401 upload state; `sent` is Turnkey's G (handed to the platform, not yet confirmed), `accepted` its C;
 * `voided` and `cancelled_blank` end the invoice's use.
 */
export type LifecycleState = 'issued' | 'uploading' | 'sent' | 'accepted' | 'rejected' | 'voided' | 'cancelled_blank';

/**
 * What voids, allowances and resends are judged by. The lifecycle workflow keeps it in memory; the service builds it
 * from the database under the invoice's row lock, so both apply the same rules to what each can see.
 */
export interface OperationState {
  invoiceNumber: string;
  state: LifecycleState;
  /** The platform has accepted the F0401 (a later void or allowance is then a message of its own). */
  f0401Accepted: boolean;
  /** An upload or resend of the F0401 is under way: the platform's answer is not known yet. */
  uploadInFlight: boolean;
  voidRequestKey: string | null;
  allowances: { number: string; live: boolean; requestKey?: string; voidRequestKey?: string | null }[];
  /** After this instant a void needs a special approval number. */
  filingDeadline: Date;
}

/** The part of the operation state the stored invoice record holds by itself, without the workflow. */
export type RecordState = Pick<OperationState, 'invoiceNumber' | 'state' | 'f0401Accepted' | 'voidRequestKey' | 'allowances'>;

export interface VoidAsk {
  key: string;
  reason: string;
  mode: 'void' | 'cancel_blank';
  approvalNumber?: string;
}

const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
const invalid = (code: string, field: string, message: string) => new DomainError('invalid', code, message, [{ field, code, message }]);
const ended = (s: Pick<OperationState, 'state'>) => s.state === 'voided' || s.state === 'cancelled_blank';

function checkReason(reason: string | undefined, code: string): void {
  const text = reason?.trim() ?? '';
  const max = MIG_LIMITS.cancelReason.max;
  if (text === '' || text.length > max) throw invalid(code, 'reason', `a void needs a reason of 1–${max} characters`);
}

/**
 * What the invoice's record alone rules out for a void: it is voided or cancelled already, it has live allowances,
 * or it was accepted and so cannot be cancelled as blank. The API asks this of the stored record before it asks the
 * lifecycle, so such a void is refused at once rather than after the workflow's turn. Returns false for a repeat.
 */
export function checkVoidOnRecord(s: RecordState, request: Pick<VoidAsk, 'key' | 'mode'>): boolean {
  if (s.voidRequestKey !== null && s.voidRequestKey === request.key) return false;
  if (ended(s)) throw conflict('VOID.ALREADY', `invoice ${s.invoiceNumber} is already ${s.state === 'voided' ? 'voided' : 'cancelled as blank'}`);
  const live = s.allowances.filter((a) => a.live);
  if (live.length > 0) throw conflict('VOID.LIVE_ALLOWANCES', `void the allowances ${live.map((a) => a.number).join(', ')} first`);
  if (request.mode === 'cancel_blank' && s.f0401Accepted) {
    throw conflict('VOID.ALREADY_UPLOADED', `invoice ${s.invoiceNumber} was accepted by the platform; void it instead of cancelling it as blank`);
  }
  return true;
}

/** Returns false for a repeat of the void already recorded (same key): it has no second effect. */
export function checkVoid(s: OperationState, request: VoidAsk, now: Date): boolean {
  if (s.voidRequestKey !== null && s.voidRequestKey === request.key) return false;
  checkReason(request.reason, 'VOID.REASON_INVALID');
  checkVoidOnRecord(s, request);
  if (request.mode === 'cancel_blank') {
    if (s.uploadInFlight) throw conflict('VOID.UPLOAD_IN_FLIGHT', `invoice ${s.invoiceNumber} is being uploaded; wait for the platform's answer`);
    return true;
  }
  if (s.state === 'rejected') {
    throw conflict('VOID.NOT_UPLOADED', `the upload of ${s.invoiceNumber} was rejected: resend it and void it once accepted, or cancel the number as blank`);
  }
  if (now.getTime() > s.filingDeadline.getTime() && !request.approvalNumber?.trim()) {
    throw new DomainError('invalid', 'VOID.APPROVAL_REQUIRED', `the filing deadline (${s.filingDeadline.toISOString()}) has passed: a void needs a special approval number (專案作廢核准文號)`, [
      { field: 'approvalNumber', code: 'VOID.APPROVAL_REQUIRED', message: 'required after the filing deadline' },
    ]);
  }
  return true;
}

/** What the record alone rules out for an allowance: a voided or blank-cancelled invoice. Returns false for a repeat. */
export function checkAllowanceOnRecord(s: Pick<RecordState, 'invoiceNumber' | 'state' | 'allowances'>, requestKey: string): boolean {
  if (s.allowances.some((a) => a.requestKey === requestKey)) return false;
  if (ended(s)) throw conflict('ALLOWANCE.INVOICE_VOIDED', `invoice ${s.invoiceNumber} is ${s.state}; it takes no allowance`);
  return true;
}

/** Returns false for a repeat of an allowance already recorded (same key). The amounts are planned separately. */
export function checkAllowance(s: OperationState, requestKey: string): boolean {
  if (!checkAllowanceOnRecord(s, requestKey)) return false;
  if (s.state === 'rejected') throw conflict('ALLOWANCE.INVOICE_REJECTED', `the upload of ${s.invoiceNumber} was rejected; resend it before entering an allowance`);
  return true;
}

/** What the record alone rules out for an allowance void: the allowance is voided already. Returns false for a repeat. */
export function checkAllowanceVoidOnRecord(allowance: OperationState['allowances'][number], request: { key: string; allowanceNumber: string }): boolean {
  if (allowance.voidRequestKey === request.key) return false;
  if (!allowance.live) throw conflict('ALLOWANCE.ALREADY_VOIDED', `allowance ${request.allowanceNumber} is already voided`);
  return true;
}

/** Returns false for a repeat of the allowance void already recorded (same key). */
export function checkAllowanceVoid(s: OperationState, request: { key: string; allowanceNumber: string; reason: string }): boolean {
  const allowance = s.allowances.find((a) => a.number === request.allowanceNumber);
  if (!allowance) throw new DomainError('not_found', 'ALLOWANCE.NOT_FOUND', `invoice ${s.invoiceNumber} has no allowance ${request.allowanceNumber}`);
  if (!checkAllowanceVoidOnRecord(allowance, request)) return false;
  checkReason(request.reason, 'ALLOWANCE.REASON_INVALID');
  return true;
}

/** A resend is for a rejected upload only: of the F0401, or of a follow-up message. */
export function checkResend(s: Pick<OperationState, 'invoiceNumber' | 'state'>, messageRejected: boolean): void {
  if (s.state !== 'rejected' && !messageRejected) {
    throw conflict('INVOICE.NOT_RESENDABLE', `invoice ${s.invoiceNumber} is ${s.state}; only a rejected upload can be resent`);
  }
}
