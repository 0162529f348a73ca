import { DomainError } from '../../domain-error';
import { AllowanceRequest, planAllowance } from '../allowances';
import { checkAllowance, checkAllowanceVoid, checkResend, checkVoid } from '../operation-rules';
import { lifecycleStatus, operationState, refusal, unexpected, verdictOnItsWay } from './lifecycle-state';
import { AllowanceAsk, Lifecycle, LifecycleCommand, LifecycleEvent, LifecycleRequest, PendingRequest } from './lifecycle.types';

/** Voids, allowances and resends: checked on arrival, waiting for the upload or their turn, then carried out. */

/** True for a repeat of an allowance already recorded; refuses what may not be entered (and, with lines, too much). */
function checkAllowanceAsk(l: Lifecycle, ask: AllowanceAsk): boolean {
  if (!checkAllowance(operationState(l), ask.key)) return false;
  if (l.lines) planAllowance(l.lines, l.allowances.map((a) => ({ ...a, lines: a.lines ?? [] })), allowanceRequest(ask));
  return true;
}

const allowanceRequest = (ask: AllowanceAsk): AllowanceRequest => (ask.whole ? { whole: true } : { lines: ask.lines ?? [] });

/**
 * Throws the refusal a request meets as it arrives (the Update's validator). A request that may still be decided by
 * a verdict on its way (a resend while the upload is in flight, a cancel-as-blank of a recorded rejection) passes.
 */
export function checkOnArrival(l: Lifecycle, request: LifecycleRequest, now: number): void {
  if (request.kind === 'resend') {
    if (l.state !== 'uploading' && l.queue.length === 0) checkResend(l, l.messageRejected);
  } else if (request.kind === 'void') {
    if (!verdictOnItsWay(l, request.ask)) checkVoid(operationState(l), request.ask, new Date(now));
  } else if (request.kind === 'allowance') checkAllowanceAsk(l, request.ask);
  else checkAllowanceVoid(operationState(l), request.ask);
}

/** Which rejection a request waiting for the F0401's acceptance meets when the upload is rejected instead. */
const NOT_UPLOADED: Record<string, string> = { void: 'VOID.NOT_UPLOADED', allowance: 'ALLOWANCE.INVOICE_REJECTED' };

/** Moves every waiting request as far as the lifecycle now allows, starting at most one operation at a time. */
export function advance(l: Lifecycle, now: number, commands: LifecycleCommand[]): void {
  for (const pending of [...l.requests]) {
    const { request } = pending;
    if (pending.gate === 'uploaded') {
      if (l.f0401Accepted) pending.gate = request.kind === 'void' && verdictOnItsWay(l, request.ask) ? 'verdict' : 'turn';
      else if (l.state === 'rejected') {
        answer(l, pending, commands, { kind: 'refuse', id: pending.id, error: new DomainError('conflict', NOT_UPLOADED[request.kind], `the upload of ${l.invoiceNumber} was rejected; resend it first`) });
        continue;
      }
    }
    if (pending.gate === 'verdict' && l.state !== 'uploading') pending.gate = 'turn';
    if (pending.gate === 'settled' && (l.state === 'rejected' || l.messageRejected || (l.state !== 'uploading' && l.queue.length === 0))) {
      const refused = refusal(() => checkResend(l, l.messageRejected));
      if (refused) answer(l, pending, commands, { kind: 'refuse', id: pending.id, error: refused });
      else if (l.state === 'rejected') {
        pending.gate = 'running';
        l.resend = 'correcting';
        commands.push({ kind: 'apply_corrections', id: pending.id });
      } else resend(l, pending, commands);
    }
  }
  if (l.turn === 'taken') return;
  for (const pending of l.requests.filter((p) => p.gate === 'turn')) {
    const refused = refusal(() => (pending.fresh = fresh(l, pending.request, now)));
    if (refused) {
      answer(l, pending, commands, { kind: 'refuse', id: pending.id, error: refused });
      continue;
    }
    pending.gate = 'running';
    l.turn = 'starting';
    const { request } = pending;
    if (request.kind === 'void') commands.push({ kind: 'record_void', id: pending.id, ask: request.ask });
    else if (request.kind === 'allowance') commands.push({ kind: 'record_allowance', id: pending.id, ask: { key: request.ask.key, request: allowanceRequest(request.ask), reason: request.ask.reason } });
    else if (request.kind === 'allowance_void') commands.push({ kind: 'record_allowance_void', id: pending.id, ask: request.ask });
  }
}

/** The check an operation meets when its turn comes: true if it has an effect, false for a repeat. */
function fresh(l: Lifecycle, request: LifecycleRequest, now: number): boolean {
  if (request.kind === 'void') return checkVoid(operationState(l), request.ask, new Date(now));
  if (request.kind === 'allowance') return checkAllowanceAsk(l, request.ask);
  if (request.kind === 'allowance_void') return checkAllowanceVoid(operationState(l), request.ask);
  return true;
}

export function answer(l: Lifecycle, pending: PendingRequest, commands: LifecycleCommand[], command: LifecycleCommand): void {
  l.requests = l.requests.filter((p) => p !== pending);
  if (pending.gate === 'running' && pending.request.kind !== 'resend') l.turn = 'free';
  commands.push(command);
}

/** A resend is answered with the status as it stands; the rejected upload goes again once the answer is out. */
export function resend(l: Lifecycle, pending: PendingRequest, commands: LifecycleCommand[]): void {
  answer(l, pending, commands, { kind: 'reply', id: pending.id, value: lifecycleStatus(l) });
  l.resend = 'requested';
}

/** The running operation an activity result answers. */
export function running(l: Lifecycle, event: LifecycleEvent & { id: number }, kind?: LifecycleRequest['kind']): PendingRequest {
  const pending = l.requests.find((p) => p.id === event.id && p.gate === 'running' && (!kind || p.request.kind === kind));
  return pending ?? unexpected(l, event);
}
