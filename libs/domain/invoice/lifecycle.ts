import { DomainError } from '../domain-error';
import { AllowanceLine, AllowanceLineFact, AllowanceRequest, planAllowance } from './allowances';
import { LifecycleState, OperationState, VoidAsk, checkAllowance, checkAllowanceVoid, checkResend, checkVoid } from './operation-rules';

/**
 * The invoice lifecycle as a decision function: `decide(lifecycle, event)` says what the lifecycle workflow does next
 * (deliver, wait for a verdict, mark a deadline, record a void…, answer a request) and changes nothing but the
 * lifecycle it is given. The workflow waits for the next event, asks, and carries the commands out in their order.
 */

export type DeadlineMark = 'due_soon' | 'overdue' | 'past_legal';
export type LifecycleDeadlineState = 'on_time' | DeadlineMark | 'done';

/** Absolute instants (ISO 8601) a message is due by. */
export interface Deadlines {
  warnAt: string;
  dueAt: string;
  legalDueAt: string;
}

/** A void, allowance or allowance void waiting for its own upload. */
export interface LifecycleMessage extends Deadlines {
  messageId: string;
}

export interface LifecycleAllowance {
  number: string;
  live: boolean;
  lines?: AllowanceLine[];
  requestKey: string;
  voidRequestKey: string | null;
}

export type Verdict = { state: 'accepted' } | { state: 'rejected'; errorCode: string; errorMessage: string };

export type VoidAskOf = VoidAsk & { verdictRecorded?: boolean };
export type AllowanceAsk = { key: string; whole?: boolean; lines?: { lineIndex: number; quantity?: number; amount: number }[]; reason?: string };
export type AllowanceVoidAsk = { key: string; allowanceNumber: string; reason: string };
export type LifecycleRequest = { kind: 'resend' } | { kind: 'void'; ask: VoidAskOf } | { kind: 'allowance'; ask: AllowanceAsk } | { kind: 'allowance_void'; ask: AllowanceVoidAsk };

/**
 * Where a request stands: `uploaded` waits for the F0401's acceptance (refused if it is rejected instead), `verdict`
 * for the verdict already in the database to reach the workflow, `settled` (resend) for the upload in flight to be
 * judged, `turn` for the operation before it; `running` has its activity under way.
 */
type Gate = 'uploaded' | 'verdict' | 'settled' | 'turn' | 'running';
export interface PendingRequest {
  id: number;
  request: LifecycleRequest;
  gate: Gate;
  /** Set when its turn came and the request was not a repeat: it has an effect of its own. */
  fresh?: boolean;
}

/** The deadline clock of the F0401 (`messageId` null) or of one message: the next mark, and what it waits on. */
export interface DeadlineWatch extends Deadlines {
  messageId: string | null;
  next: number;
  waiting: 'timer' | 'mark' | null;
}

export type UploadPhase = 'delivering' | 'quick' | 'polling';

export interface Lifecycle {
  invoiceNumber: string;
  filingDeadline: string;
  /** Only in runs started before the lines left the input: those plan allowances here, as their histories did. */
  lines?: AllowanceLineFact[];
  state: LifecycleState;
  attempts: number;
  deadlineState: LifecycleDeadlineState;
  lastError?: { code: string; message: string };
  f0401Accepted: boolean;
  voidRequestKey: string | null;
  allowances: LifecycleAllowance[];
  /** Follow-up messages in the order entered; the first is the one being uploaded. */
  queue: LifecycleMessage[];
  deadlines: DeadlineWatch[];
  upload: { messageId: string | null; attempt: number; phase: UploadPhase } | null;
  /** Uploads of the follow-up message at the head of the queue so far. */
  headAttempts: number;
  /** The follow-up message at the head of the queue was rejected and waits for a resend. */
  messageRejected: boolean;
  /** A resend applying its corrections, or answered and waiting for the upload it asked for: in flight either way. */
  resend: 'none' | 'correcting' | 'requested';
  /**
   * Voids and allowances take turns, each checked again once its turn comes: two requests validated against the
   * same state (e.g. two whole allowances) must not both pass. Those that arrive together, or wait together for the
   * turn to be free, start together (the recorded runs did; the service's row lock refuses the excess); the turn is
   * taken once all of them are decided (`drained`) and free again when one of them ends.
   */
  turn: 'free' | 'starting' | 'taken';
  /** The buyer's notice: `due` until the run starts it, `sending` until it is sent or given up. */
  notice: 'due' | 'sending' | 'settled';
  /** A new invoice's F0401 deadlines, until `started` sets its clock going. */
  f0401?: Deadlines;
  requests: PendingRequest[];
}

export type LifecycleCommand =
  | { kind: 'deliver'; messageId: string | null; attempt: number }
  | { kind: 'await_verdict' }
  | { kind: 'poll_verdict' }
  | { kind: 'start_timer'; messageId: string | null; ms: number }
  | { kind: 'cancel_timer'; messageId: string | null }
  | { kind: 'mark_deadline'; messageId: string | null; state: DeadlineMark }
  | { kind: 'notify_buyer' }
  | { kind: 'apply_corrections'; id: number }
  | { kind: 'record_void'; id: number; ask: VoidAskOf }
  | { kind: 'record_allowance'; id: number; ask: { key: string; request: AllowanceRequest; reason?: string } }
  | { kind: 'record_allowance_void'; id: number; ask: AllowanceVoidAsk }
  | { kind: 'reply'; id: number; value: unknown }
  | { kind: 'refuse'; id: number; error: DomainError }
  /** An operation's activity failed: its request fails with that failure. */
  | { kind: 'fail'; id: number; failure: unknown };

/** What reaches the workflow; as decided, each also carries the workflow's time (`now`, ms) when it did. */
export type LifecycleEventBody =
  /** The run has begun and its Updates are being taken: the first upload, its deadline clock, the buyer's notice. */
  | { kind: 'started' }
  /** Every event that arrived together has been decided: the operations they started now hold the turn. */
  | { kind: 'drained' }
  | { kind: 'delivered'; quickVerdict: boolean }
  | { kind: 'verdict'; verdict: Verdict | { state: 'pending' } }
  | { kind: 'deadline_due'; messageId: string | null }
  | { kind: 'deadline_marked'; messageId: string | null }
  | { kind: 'notice_settled' }
  | { kind: 'requested'; id: number; request: LifecycleRequest }
  | { kind: 'corrected'; id: number }
  | { kind: 'void_recorded'; id: number; message: LifecycleMessage | null; voidedAt: string }
  | { kind: 'allowance_recorded'; id: number; allowanceNumber: string; message: LifecycleMessage; lines: AllowanceLine[]; allowanceDate: string }
  | { kind: 'allowance_void_recorded'; id: number; message: LifecycleMessage }
  | { kind: 'operation_failed'; id: number; failure: unknown };
export type LifecycleEvent = LifecycleEventBody & { now: number };

export interface Decision {
  lifecycle: Lifecycle;
  commands: LifecycleCommand[];
}

export interface LifecycleStart extends Deadlines {
  invoiceNumber: string;
  notifyBuyer: boolean;
  filingDeadline: string;
  lines?: AllowanceLineFact[];
  resume?: { state: LifecycleState; voidRequestKey: string | null; allowances: LifecycleAllowance[]; openMessages: LifecycleMessage[] };
}

const MARKS = [
  ['warnAt', 'due_soon'],
  ['dueAt', 'overdue'],
  ['legalDueAt', 'past_legal'],
] as const;

const refusal = (check: () => unknown): DomainError | null => {
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
const verdictOnItsWay = (l: Lifecycle, ask: VoidAskOf) => ask.verdictRecorded === true && l.state === 'uploading' && l.resend === 'none';
const f0401Settled = (l: Lifecycle) => l.f0401Accepted || l.state === 'cancelled_blank';

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

function enqueue(l: Lifecycle, message: LifecycleMessage, now: number, commands: LifecycleCommand[]): void {
  l.queue.push(message);
  watch(l, { messageId: message.messageId, warnAt: message.warnAt, dueAt: message.dueAt, legalDueAt: message.legalDueAt }, now, commands);
}

function watch(l: Lifecycle, times: Omit<DeadlineWatch, 'next' | 'waiting'>, now: number, commands: LifecycleCommand[]): void {
  const clock: DeadlineWatch = { ...times, next: 0, waiting: null };
  l.deadlines.push(clock);
  tick(l, clock, now, commands);
}

/** Whether the clock's message no longer needs its marks: accepted, or (the F0401) cancelled as blank. */
function clockDone(l: Lifecycle, clock: DeadlineWatch): boolean {
  return clock.messageId === null ? f0401Settled(l) : !l.queue.some((m) => m.messageId === clock.messageId);
}

/** The clock's next step: a timer to its next instant, or at once the mark of an instant already past. */
function tick(l: Lifecycle, clock: DeadlineWatch, now: number, commands: LifecycleCommand[]): void {
  clock.waiting = null;
  if (clock.next >= MARKS.length || clockDone(l, clock)) return;
  const [field] = MARKS[clock.next];
  const ms = Date.parse(clock[field]) - now;
  if (ms > 0) {
    clock.waiting = 'timer';
    commands.push({ kind: 'start_timer', messageId: clock.messageId, ms });
  } else mark(l, clock, commands);
}

function mark(l: Lifecycle, clock: DeadlineWatch, commands: LifecycleCommand[]): void {
  const state = MARKS[clock.next][1];
  if (clock.messageId === null) l.deadlineState = state;
  clock.waiting = 'mark';
  commands.push({ kind: 'mark_deadline', messageId: clock.messageId, state });
}

/** Stops the clocks whose message is done: a running timer is cancelled, a mark under way finishes first. */
function stopClocks(l: Lifecycle, commands: LifecycleCommand[]): void {
  for (const clock of l.deadlines) {
    if (clock.waiting !== 'timer' || !clockDone(l, clock)) continue;
    clock.waiting = null;
    commands.push({ kind: 'cancel_timer', messageId: clock.messageId });
  }
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

/** Which rejection a request waiting for the F0401's acceptance meets when the upload is rejected instead. */
const NOT_UPLOADED: Record<string, string> = { void: 'VOID.NOT_UPLOADED', allowance: 'ALLOWANCE.INVOICE_REJECTED' };

/** Moves every waiting request as far as the lifecycle now allows, starting at most one operation at a time. */
function advance(l: Lifecycle, now: number, commands: LifecycleCommand[]): void {
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

function answer(l: Lifecycle, pending: PendingRequest, commands: LifecycleCommand[], command: LifecycleCommand): void {
  l.requests = l.requests.filter((p) => p !== pending);
  if (pending.gate === 'running' && pending.request.kind !== 'resend') l.turn = 'free';
  commands.push(command);
}

/** A resend is answered with the status as it stands; the rejected upload goes again once the answer is out. */
function resend(l: Lifecycle, pending: PendingRequest, commands: LifecycleCommand[]): void {
  answer(l, pending, commands, { kind: 'reply', id: pending.id, value: lifecycleStatus(l) });
  l.resend = 'requested';
}

/** An event the lifecycle cannot meet in the state it is in: the workflow and the decisions disagree. */
function unexpected(l: Lifecycle, event: LifecycleEvent): never {
  throw new Error(`event ${event.kind} is not expected by the lifecycle of ${l.invoiceNumber} (state ${l.state}, upload ${l.upload?.phase ?? 'none'})`);
}

/** The running operation an activity result answers. */
function running(l: Lifecycle, event: LifecycleEvent & { id: number }, kind?: LifecycleRequest['kind']): PendingRequest {
  const pending = l.requests.find((p) => p.id === event.id && p.gate === 'running' && (!kind || p.request.kind === kind));
  return pending ?? unexpected(l, event);
}

function clockOf(l: Lifecycle, event: LifecycleEvent & { messageId: string | null }, waiting: 'timer' | 'mark'): DeadlineWatch {
  return l.deadlines.find((d) => d.messageId === event.messageId && d.waiting === waiting) ?? unexpected(l, event);
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
