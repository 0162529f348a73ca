import { clockDone, clockOf, enqueue, mark, stopClocks, tick, watch } from './deadline-clocks';
import { f0401Settled, unexpected, verdictOnItsWay } from './lifecycle-state';
import { AllowanceAsk, AllowanceVoidAsk, Decision, Gate, Lifecycle, LifecycleCommand, LifecycleEvent, LifecycleStart, VoidAskOf, Verdict } from './lifecycle.types';
import { advance, answer, resend, running } from './requests';

/**
 * The invoice lifecycle as a decision function: `decide(lifecycle, event)` says what the lifecycle workflow does next
 * (deliver, wait for a verdict, mark a deadline, record a void…, answer a request) and changes nothing but the
 * lifecycle it is given. The workflow waits for the next event, asks, and carries the commands out in their order.
 */

/** Nothing left to do: the F0401 settled, no message, upload, deadline clock, notice or request outstanding. */
export function isFinished(l: Lifecycle): boolean {
  return f0401Settled(l) && l.queue.length === 0 && !l.upload && l.notice === 'settled' && l.requests.length === 0 && l.deadlines.every((d) => d.waiting === null);
}

/** The lifecycle as a run begins, with the deadline clocks of the messages it resumes; `started` does the rest. */
export function startLifecycle(start: LifecycleStart, now: number): Decision {
  const resume = start.resume;
  const lifecycle: Lifecycle = {
    invoiceNumber: start.invoiceNumber,
    filingDeadline: start.filingDeadline,
    lines: start.lines,
    state: resume?.state ?? 'issued',
    attempts: 0,
    deadlineState: resume ? 'done' : 'on_time',
    f0401Accepted: resume !== undefined && resume.state !== 'cancelled_blank',
    voidRequestKey: resume?.voidRequestKey ?? null,
    allowances: resume?.allowances.map((a) => ({ ...a })) ?? [],
    queue: [],
    deadlines: [],
    upload: null,
    headAttempts: 0,
    messageRejected: false,
    resend: 'none',
    turn: 'free',
    notice: start.notifyBuyer && !resume ? 'due' : 'settled',
    requests: [],
  };
  const commands: LifecycleCommand[] = [];
  for (const message of resume?.openMessages ?? []) enqueue(lifecycle, message, now, commands);
  if (!resume) lifecycle.f0401 = { warnAt: start.warnAt, dueAt: start.dueAt, legalDueAt: start.legalDueAt };
  return { lifecycle, commands };
}

/** A new invoice: its deadline clock, the buyer's notice beside the upload, and the first upload of its F0401. */
function begin(l: Lifecycle, now: number, commands: LifecycleCommand[]): void {
  if (!l.f0401) return;
  watch(l, { messageId: null, ...l.f0401 }, now, commands);
  if (l.notice === 'due') {
    l.notice = 'sending';
    commands.push({ kind: 'notify_buyer' });
  }
  l.f0401 = undefined;
  l.state = 'uploading';
  l.attempts = 1;
  l.upload = { messageId: null, attempt: 1, phase: 'delivering' };
  commands.push({ kind: 'deliver', messageId: null, attempt: 1 });
}

/**
 * The next upload: a resent F0401, else the follow-up messages one at a time, in order, once the F0401 has settled
 * and the notice has gone (a resent message is delivered again as its next attempt).
 */
function uploadNext(l: Lifecycle, commands: LifecycleCommand[]): void {
  if (l.upload) return;
  if (l.resend === 'requested' && l.state === 'rejected') {
    Object.assign(l, { resend: 'none', state: 'uploading', attempts: l.attempts + 1 });
    l.upload = { messageId: null, attempt: l.attempts, phase: 'delivering' };
    commands.push({ kind: 'deliver', messageId: null, attempt: l.attempts });
    return;
  }
  if (l.resend === 'requested' && l.messageRejected) Object.assign(l, { resend: 'none', messageRejected: false });
  if (l.messageRejected || l.queue.length === 0 || !f0401Settled(l) || l.notice !== 'settled') return;
  const attempt = ++l.headAttempts;
  l.upload = { messageId: l.queue[0].messageId, attempt, phase: 'delivering' };
  commands.push({ kind: 'deliver', messageId: l.queue[0].messageId, attempt });
}

function settleUpload(l: Lifecycle, verdict: Verdict, commands: LifecycleCommand[]): void {
  const upload = l.upload!;
  l.upload = null;
  if (verdict.state === 'rejected') {
    l.lastError = { code: verdict.errorCode, message: verdict.errorMessage };
    if (upload.messageId === null) l.state = 'rejected';
    else l.messageRejected = true;
    return;
  }
  if (upload.messageId === null) Object.assign(l, { f0401Accepted: true, state: 'accepted', deadlineState: 'done', lastError: undefined });
  else {
    // The next message is handed over at once; this one's deadline clock stops once the events are drained.
    l.queue.shift();
    l.headAttempts = 0;
    uploadNext(l, commands);
  }
}

/** The lifecycle after `event`, and the commands it calls for, in the order they are to be carried out. */
export function decide(lifecycle: Lifecycle, event: LifecycleEvent): Decision {
  // A copy (the state is plain data): the lifecycle given is left as it was.
  const l: Lifecycle = JSON.parse(JSON.stringify(lifecycle));
  const commands: LifecycleCommand[] = [];
  switch (event.kind) {
    case 'started':
      begin(l, event.now, commands);
      uploadNext(l, commands);
      break;
    case 'drained':
      // What waits on the lifecycle (not on an event) moves once all that arrived together is decided: deadline
      // clocks of accepted messages stop, waiting requests go on, the next upload starts.
      if (l.turn === 'starting') l.turn = 'taken';
      stopClocks(l, commands);
      advance(l, event.now, commands);
      uploadNext(l, commands);
      break;
    case 'delivered':
      if (l.upload?.phase !== 'delivering') unexpected(l, event);
      l.upload.phase = event.quickVerdict ? 'quick' : 'polling';
      commands.push({ kind: event.quickVerdict ? 'await_verdict' : 'poll_verdict' });
      break;
    case 'verdict':
      if (!l.upload || l.upload.phase === 'delivering') unexpected(l, event);
      if (event.verdict.state === 'pending') {
        l.upload.phase = 'polling';
        commands.push({ kind: 'poll_verdict' });
        return { lifecycle: l, commands };
      }
      settleUpload(l, event.verdict, commands);
      break;
    case 'deadline_due': {
      const clock = clockOf(l, event, 'timer');
      if (clockDone(l, clock)) clock.waiting = null;
      else mark(l, clock, commands);
      break;
    }
    case 'deadline_marked': {
      const clock = clockOf(l, event, 'mark');
      clock.next++;
      tick(l, clock, event.now, commands);
      break;
    }
    case 'notice_settled':
      if (l.notice !== 'sending') unexpected(l, event);
      l.notice = 'settled';
      break;
    case 'requested': {
      const { request } = event;
      // A void (not a cancel-as-blank) or allowance that is not a repeat waits for the F0401 to be accepted first.
      const uploadedFirst =
        (request.kind === 'void' && request.ask.mode === 'void' && l.voidRequestKey !== request.ask.key) ||
        (request.kind === 'allowance' && !l.allowances.some((a) => a.requestKey === request.ask.key));
      const gate: Gate =
        request.kind === 'resend' ? 'settled' : uploadedFirst && !l.f0401Accepted ? 'uploaded' : request.kind === 'void' && verdictOnItsWay(l, request.ask) ? 'verdict' : 'turn';
      l.requests.push({ id: event.id, request, gate });
      advance(l, event.now, commands);
      break;
    }
    case 'corrected':
      resend(l, running(l, event, 'resend'), commands);
      break;
    case 'void_recorded': {
      const pending = running(l, event, 'void');
      const ask = (pending.request as { ask: VoidAskOf }).ask;
      if (pending.fresh) {
        l.voidRequestKey = ask.key;
        l.state = ask.mode === 'cancel_blank' ? 'cancelled_blank' : 'voided';
        if (event.message) enqueue(l, event.message, event.now, commands);
      }
      answer(l, pending, commands, { kind: 'reply', id: event.id, value: { invoiceNumber: l.invoiceNumber, state: l.state, messageId: event.message?.messageId ?? null, voidedAt: event.voidedAt } });
      break;
    }
    case 'allowance_recorded': {
      const pending = running(l, event, 'allowance');
      if (pending.fresh) {
        const ask = (pending.request as { ask: AllowanceAsk }).ask;
        l.allowances.push({ number: event.allowanceNumber, live: true, lines: l.lines ? event.lines : undefined, requestKey: ask.key, voidRequestKey: null });
        enqueue(l, event.message, event.now, commands);
      }
      const value = { allowanceNumber: event.allowanceNumber, messageId: event.message.messageId, lines: event.lines, allowanceDate: event.allowanceDate };
      answer(l, pending, commands, { kind: 'reply', id: event.id, value });
      break;
    }
    case 'allowance_void_recorded': {
      const pending = running(l, event, 'allowance_void');
      const ask = (pending.request as { ask: AllowanceVoidAsk }).ask;
      const allowance = l.allowances.find((a) => a.number === ask.allowanceNumber)!;
      if (allowance.voidRequestKey !== ask.key) {
        Object.assign(allowance, { live: false, voidRequestKey: ask.key });
        enqueue(l, event.message, event.now, commands);
      }
      answer(l, pending, commands, { kind: 'reply', id: event.id, value: { allowanceNumber: ask.allowanceNumber, messageId: event.message.messageId } });
      break;
    }
    case 'operation_failed': {
      const pending = running(l, event);
      if (pending.request.kind === 'resend') l.resend = 'none';
      answer(l, pending, commands, { kind: 'fail', id: event.id, failure: event.failure });
      break;
    }
  }
  return { lifecycle: l, commands };
}
