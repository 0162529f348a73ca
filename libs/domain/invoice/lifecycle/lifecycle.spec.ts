import { DomainError } from '../../domain-error';
import { Lifecycle, LifecycleCommand, LifecycleEvent, LifecycleEventBody, LifecycleStart, checkOnArrival, decide, isFinished, lifecycleStatus, startLifecycle } from '.';

const HOUR = 3600_000;
const NOW = Date.parse('2026-01-20T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const due = (from: number) => ({ warnAt: iso(from + 40 * HOUR), dueAt: iso(from + 48 * HOUR), legalDueAt: iso(from + 64 * HOUR) });
const START: LifecycleStart = { invoiceNumber: 'AB10000000', notifyBuyer: true, filingDeadline: '2026-03-15T15:59:59.999Z', ...due(NOW) };
const message = (messageId: string) => ({ messageId, ...due(NOW) });
const allowanceRecorded = (id: number, number = 'AL01', messageId = 'M-AL'): LifecycleEventBody => ({
  kind: 'allowance_recorded',
  id,
  allowanceNumber: number,
  message: message(messageId),
  lines: [{ lineIndex: 0, quantity: 1, amount: 100 }],
  allowanceDate: '2026-01-20',
});
const accepted = { kind: 'verdict', verdict: { state: 'accepted' } } as const;
const rejected = (errorCode = 'S099') => ({ kind: 'verdict', verdict: { state: 'rejected', errorCode, errorMessage: 'refused' } }) as const;
const voidAsk = { key: 'v1', reason: '訂單取消', mode: 'void' } as const;
const blankAsk = { key: 'b1', reason: '開錯', mode: 'cancel_blank' } as const;

/** Decides each event in turn, as the workflow does, and returns the lifecycle and every command. */
function drive(lifecycle: Lifecycle, events: LifecycleEventBody[], now = NOW): { lifecycle: Lifecycle; commands: LifecycleCommand[] } {
  const commands: LifecycleCommand[] = [];
  for (const event of events) {
    const decision = decide(lifecycle, { ...event, now } as LifecycleEvent);
    lifecycle = decision.lifecycle;
    commands.push(...decision.commands);
  }
  return { lifecycle, commands };
}
const from = (start: Partial<LifecycleStart>, events: LifecycleEventBody[]) => drive(startLifecycle({ ...START, ...start }, NOW).lifecycle, events).lifecycle;

const target = (id: string | null) => id ?? 'F0401';
/** A command in a word or two: what the table below names. */
function show(command: LifecycleCommand): string {
  switch (command.kind) {
    case 'deliver':
      return `deliver ${target(command.messageId)}#${command.attempt}`;
    case 'start_timer':
    case 'cancel_timer':
      return `${command.kind} ${target(command.messageId)}`;
    case 'mark_deadline':
      return `mark ${target(command.messageId)} ${command.state}`;
    case 'refuse':
      return `refuse ${command.error.code}`;
    default:
      return command.kind;
  }
}

// The lifecycles the table runs every event against, each reached the way a run reaches it.
const issued = startLifecycle(START, NOW).lifecycle;
const delivering = from({}, [{ kind: 'started' }]);
const quickWait = from({}, [{ kind: 'started' }, { kind: 'delivered', quickVerdict: true }]);
/** Handed over and polled for (Turnkey's G, or no answer yet). */
const polling = from({}, [{ kind: 'started' }, { kind: 'delivered', quickVerdict: true }, { kind: 'verdict', verdict: { state: 'pending' } }]);
/** Issued 41 h ago (its warning instant passed): the due_soon mark under way. */
const marking = from(due(NOW - 41 * HOUR), [{ kind: 'started' }]);
/** A void asked for while the F0401 is still being uploaded: it waits for the acceptance. */
const voidWaiting = drive(polling, [{ kind: 'requested', id: 1, request: { kind: 'void', ask: voidAsk } }, { kind: 'drained' }]).lifecycle;
const rejectedF0401 = drive(polling, [rejected(), { kind: 'drained' }]).lifecycle;
const correcting = drive(rejectedF0401, [{ kind: 'requested', id: 1, request: { kind: 'resend' } }]).lifecycle;
const acceptedNotifying = drive(polling, [accepted, { kind: 'drained' }]).lifecycle;
const acceptedIdle = drive(acceptedNotifying, [{ kind: 'notice_settled' }, { kind: 'drained' }]).lifecycle;
const operationRunning = drive(acceptedIdle, [{ kind: 'requested', id: 1, request: { kind: 'allowance', ask: { key: 'a1', lines: [{ lineIndex: 0, amount: 100 }] } } }, { kind: 'drained' }]).lifecycle;
const messageUploading = drive(operationRunning, [allowanceRecorded(1), { kind: 'drained' }, { kind: 'delivered', quickVerdict: false }]).lifecycle;
const messageRejected = drive(messageUploading, [rejected('S006'), { kind: 'drained' }]).lifecycle;
const voided = from({ resume: { state: 'voided', voidRequestKey: 'v0', allowances: [], openMessages: [] } }, [{ kind: 'started' }]);
const cancelledBlank = drive(rejectedF0401, [{ kind: 'requested', id: 1, request: { kind: 'void', ask: blankAsk } }, { kind: 'drained' }, { kind: 'void_recorded', id: 1, message: null, voidedAt: iso(NOW) }, { kind: 'drained' }]).lifecycle;

const STATES: Record<string, Lifecycle> = {
  issued,
  delivering,
  quickWait,
  polling,
  marking,
  voidWaiting,
  rejectedF0401,
  correcting,
  acceptedNotifying,
  acceptedIdle,
  operationRunning,
  messageUploading,
  messageRejected,
  voided,
  cancelledBlank,
};

/** The one request a lifecycle has under way, which the results of operations answer (1 when there is none). */
const runningId = (l: Lifecycle) => l.requests.find((p) => p.gate === 'running')?.id ?? 1;
const EVENTS: Record<string, (l: Lifecycle) => LifecycleEventBody> = {
  started: () => ({ kind: 'started' }),
  drained: () => ({ kind: 'drained' }),
  'delivered (quick wait)': () => ({ kind: 'delivered', quickVerdict: true }),
  'delivered (poll)': () => ({ kind: 'delivered', quickVerdict: false }),
  'verdict pending': () => ({ kind: 'verdict', verdict: { state: 'pending' } }),
  'verdict C': () => accepted,
  'verdict E': () => rejected(),
  'deadline due': () => ({ kind: 'deadline_due', messageId: null }),
  'deadline marked': () => ({ kind: 'deadline_marked', messageId: null }),
  'notice settled': () => ({ kind: 'notice_settled' }),
  resend: () => ({ kind: 'requested', id: 9, request: { kind: 'resend' } }),
  void: () => ({ kind: 'requested', id: 9, request: { kind: 'void', ask: voidAsk } }),
  'cancel blank': () => ({ kind: 'requested', id: 9, request: { kind: 'void', ask: blankAsk } }),
  allowance: () => ({ kind: 'requested', id: 9, request: { kind: 'allowance', ask: { key: 'a9', whole: true } } }),
  'allowance void': () => ({ kind: 'requested', id: 9, request: { kind: 'allowance_void', ask: { key: 'av9', allowanceNumber: 'AL01', reason: '退貨取消' } } }),
  corrected: (l) => ({ kind: 'corrected', id: runningId(l) }),
  'void recorded': (l) => ({ kind: 'void_recorded', id: runningId(l), message: message('M-VOID'), voidedAt: iso(NOW) }),
  'allowance recorded': (l) => allowanceRecorded(runningId(l), 'AL02', 'M-AL2'),
  'allowance void recorded': (l) => ({ kind: 'allowance_void_recorded', id: runningId(l), message: message('M-ALV') }),
  'operation failed': (l) => ({ kind: 'operation_failed', id: runningId(l), failure: new Error('the activity failed') }),
};

/**
 * What one event does to one lifecycle: a request refused on arrival names its code (the Update's validator); an
 * event that cannot happen in that state is `unexpected` (decide throws); else the commands, and the state after.
 */
function outcome(l: Lifecycle, event: LifecycleEventBody): string {
  if (event.kind === 'requested') {
    try {
      checkOnArrival(l, event.request, NOW);
    } catch (error) {
      if (error instanceof DomainError) return `refused ${error.code}`;
      throw error;
    }
  }
  let decision;
  try {
    decision = decide(l, { ...event, now: NOW } as LifecycleEvent);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    return 'unexpected';
  }
  return `${decision.commands.map(show).join(', ') || '—'} → ${decision.lifecycle.state}`;
}

/** `—`: nothing to do yet (a request waits, a clock runs on); `unexpected`: the state never meets that event. */
const X = 'unexpected';
const TABLE: Record<string, Record<string, string>> = {
  issued: {
    started: 'start_timer F0401, notify_buyer, deliver F0401#1 → uploading',
    drained: '— → issued',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': X,
    'deadline marked': X,
    'notice settled': X,
    resend: 'refused INVOICE.NOT_RESENDABLE',
    void: '— → issued',
    'cancel blank': 'record_void → issued',
    allowance: '— → issued',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  delivering: {
    started: '— → uploading',
    drained: '— → uploading',
    'delivered (quick wait)': 'await_verdict → uploading',
    'delivered (poll)': 'poll_verdict → uploading',
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': 'mark F0401 due_soon → uploading',
    'deadline marked': X,
    'notice settled': '— → uploading',
    resend: '— → uploading',
    void: '— → uploading',
    'cancel blank': 'refused VOID.UPLOAD_IN_FLIGHT',
    allowance: '— → uploading',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  quickWait: {
    started: '— → uploading',
    drained: '— → uploading',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': 'poll_verdict → uploading',
    'verdict C': '— → accepted',
    'verdict E': '— → rejected',
    'deadline due': 'mark F0401 due_soon → uploading',
    'deadline marked': X,
    'notice settled': '— → uploading',
    resend: '— → uploading',
    void: '— → uploading',
    'cancel blank': 'refused VOID.UPLOAD_IN_FLIGHT',
    allowance: '— → uploading',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  polling: {
    started: '— → uploading',
    drained: '— → uploading',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': 'poll_verdict → uploading',
    'verdict C': '— → accepted',
    'verdict E': '— → rejected',
    'deadline due': 'mark F0401 due_soon → uploading',
    'deadline marked': X,
    'notice settled': '— → uploading',
    resend: '— → uploading',
    void: '— → uploading',
    'cancel blank': 'refused VOID.UPLOAD_IN_FLIGHT',
    allowance: '— → uploading',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  marking: {
    started: '— → uploading',
    drained: '— → uploading',
    'delivered (quick wait)': 'await_verdict → uploading',
    'delivered (poll)': 'poll_verdict → uploading',
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': X,
    'deadline marked': 'start_timer F0401 → uploading',
    'notice settled': '— → uploading',
    resend: '— → uploading',
    void: '— → uploading',
    'cancel blank': 'refused VOID.UPLOAD_IN_FLIGHT',
    allowance: '— → uploading',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  voidWaiting: {
    started: '— → uploading',
    drained: '— → uploading',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': 'poll_verdict → uploading',
    'verdict C': '— → accepted',
    'verdict E': '— → rejected',
    'deadline due': 'mark F0401 due_soon → uploading',
    'deadline marked': X,
    'notice settled': '— → uploading',
    resend: '— → uploading',
    void: '— → uploading',
    'cancel blank': 'refused VOID.UPLOAD_IN_FLIGHT',
    allowance: '— → uploading',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  rejectedF0401: {
    started: '— → rejected',
    drained: '— → rejected',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': 'mark F0401 due_soon → rejected',
    'deadline marked': X,
    'notice settled': '— → rejected',
    resend: 'apply_corrections → rejected',
    void: 'refused VOID.NOT_UPLOADED',
    'cancel blank': 'record_void → rejected',
    allowance: 'refused ALLOWANCE.INVOICE_REJECTED',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  correcting: {
    started: '— → rejected',
    drained: '— → rejected',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': 'mark F0401 due_soon → rejected',
    'deadline marked': X,
    'notice settled': '— → rejected',
    resend: 'apply_corrections → rejected',
    void: 'refused VOID.NOT_UPLOADED',
    'cancel blank': 'refused VOID.UPLOAD_IN_FLIGHT',
    allowance: 'refused ALLOWANCE.INVOICE_REJECTED',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: 'reply → rejected',
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': 'fail → rejected',
  },
  acceptedNotifying: {
    started: '— → accepted',
    drained: '— → accepted',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': X,
    'deadline marked': X,
    'notice settled': '— → accepted',
    resend: 'refused INVOICE.NOT_RESENDABLE',
    void: 'record_void → accepted',
    'cancel blank': 'refused VOID.ALREADY_UPLOADED',
    allowance: 'record_allowance → accepted',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  acceptedIdle: {
    started: '— → accepted',
    drained: '— → accepted',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': X,
    'deadline marked': X,
    'notice settled': X,
    resend: 'refused INVOICE.NOT_RESENDABLE',
    void: 'record_void → accepted',
    'cancel blank': 'refused VOID.ALREADY_UPLOADED',
    allowance: 'record_allowance → accepted',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  operationRunning: {
    started: '— → accepted',
    drained: '— → accepted',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': X,
    'deadline marked': X,
    'notice settled': X,
    resend: 'refused INVOICE.NOT_RESENDABLE',
    void: '— → accepted',
    'cancel blank': 'refused VOID.ALREADY_UPLOADED',
    allowance: '— → accepted',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': 'start_timer M-AL2, reply → accepted',
    'allowance void recorded': X,
    'operation failed': 'fail → accepted',
  },
  messageUploading: {
    started: '— → accepted',
    drained: '— → accepted',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': 'poll_verdict → accepted',
    'verdict C': '— → accepted',
    'verdict E': '— → accepted',
    'deadline due': X,
    'deadline marked': X,
    'notice settled': X,
    resend: '— → accepted',
    void: 'refused VOID.LIVE_ALLOWANCES',
    'cancel blank': 'refused VOID.LIVE_ALLOWANCES',
    allowance: 'record_allowance → accepted',
    'allowance void': 'record_allowance_void → accepted',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  messageRejected: {
    started: '— → accepted',
    drained: '— → accepted',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': X,
    'deadline marked': X,
    'notice settled': X,
    resend: 'reply → accepted',
    void: 'refused VOID.LIVE_ALLOWANCES',
    'cancel blank': 'refused VOID.LIVE_ALLOWANCES',
    allowance: 'record_allowance → accepted',
    'allowance void': 'record_allowance_void → accepted',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  voided: {
    started: '— → voided',
    drained: '— → voided',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': X,
    'deadline marked': X,
    'notice settled': X,
    resend: 'refused INVOICE.NOT_RESENDABLE',
    void: 'refused VOID.ALREADY',
    'cancel blank': 'refused VOID.ALREADY',
    allowance: 'refused ALLOWANCE.INVOICE_VOIDED',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
  cancelledBlank: {
    started: '— → cancelled_blank',
    drained: '— → cancelled_blank',
    'delivered (quick wait)': X,
    'delivered (poll)': X,
    'verdict pending': X,
    'verdict C': X,
    'verdict E': X,
    'deadline due': X,
    'deadline marked': X,
    'notice settled': '— → cancelled_blank',
    resend: 'refused INVOICE.NOT_RESENDABLE',
    void: 'refused VOID.ALREADY',
    'cancel blank': 'record_void → cancelled_blank',
    allowance: 'refused ALLOWANCE.INVOICE_VOIDED',
    'allowance void': 'refused ALLOWANCE.NOT_FOUND',
    corrected: X,
    'void recorded': X,
    'allowance recorded': X,
    'allowance void recorded': X,
    'operation failed': X,
  },
};

describe('the invoice lifecycle, every state × every event', () => {
  it('covers every pair', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(STATES).sort());
    for (const row of Object.values(TABLE)) expect(Object.keys(row).sort()).toEqual(Object.keys(EVENTS).sort());
  });

  describe.each(Object.keys(STATES))('%s', (state) => {
    it.each(Object.keys(EVENTS))('%s', (event) => {
      const lifecycle = STATES[state];
      const before = JSON.stringify(lifecycle);
      expect(outcome(lifecycle, EVENTS[event](lifecycle))).toBe(TABLE[state]?.[event]);
      expect(JSON.stringify(lifecycle)).toBe(before);
    });
  });
});

describe('the invoice lifecycle, event by event', () => {
  const shown = (events: LifecycleEventBody[], lifecycle: Lifecycle) => {
    const run = drive(lifecycle, events);
    return { lifecycle: run.lifecycle, commands: run.commands.map(show) };
  };

  it('hears a quick verdict in the workflow task that delivered, then stops the clock and ends once the notice is out', () => {
    const run = shown([{ kind: 'started' }, { kind: 'delivered', quickVerdict: true }, accepted, { kind: 'drained' }], issued);
    expect(run.commands).toEqual(['start_timer F0401', 'notify_buyer', 'deliver F0401#1', 'await_verdict', 'cancel_timer F0401']);
    expect(lifecycleStatus(run.lifecycle)).toEqual({ state: 'accepted', attempts: 1, deadlineState: 'done', lastError: undefined, pendingMessages: 0 });
    expect(isFinished(run.lifecycle)).toBe(false);
    expect(isFinished(drive(run.lifecycle, [{ kind: 'notice_settled' }, { kind: 'drained' }]).lifecycle)).toBe(true);
  });

  it('polls when the quick wait gives up, and holds a platform error after G (S098) until a corrected resend', () => {
    const afterG = shown([rejected('S098'), { kind: 'drained' }], polling);
    expect(lifecycleStatus(afterG.lifecycle)).toMatchObject({ state: 'rejected', lastError: { code: 'S098' } });
    const resent = shown([{ kind: 'requested', id: 1, request: { kind: 'resend' } }, { kind: 'corrected', id: 1 }, { kind: 'drained' }], afterG.lifecycle);
    expect(resent.commands).toEqual(['apply_corrections', 'reply', 'deliver F0401#2']);
    const [, reply] = drive(afterG.lifecycle, [{ kind: 'requested', id: 1, request: { kind: 'resend' } }, { kind: 'corrected', id: 1 }]).commands;
    expect(reply).toMatchObject({ kind: 'reply', value: { state: 'rejected', attempts: 1 } });
    expect(lifecycleStatus(resent.lifecycle)).toMatchObject({ state: 'uploading', attempts: 2 });
  });

  it('refuses a void or allowance that waited for the upload when the platform rejects it instead', () => {
    const waiting = drive(voidWaiting, [{ kind: 'requested', id: 2, request: { kind: 'allowance', ask: { key: 'a1', whole: true } } }]).lifecycle;
    expect(shown([rejected(), { kind: 'drained' }], waiting).commands).toEqual(['refuse VOID.NOT_UPLOADED', 'refuse ALLOWANCE.INVOICE_REJECTED']);
  });

  it('records a waiting void once the F0401 is accepted, and uploads its F0501 once the notice is out', () => {
    const recorded = shown([accepted, { kind: 'drained' }, { kind: 'void_recorded', id: 1, message: message('M-VOID'), voidedAt: iso(NOW) }, { kind: 'drained' }], voidWaiting);
    expect(recorded.commands).toEqual(['cancel_timer F0401', 'record_void', 'start_timer M-VOID', 'reply']);
    expect(lifecycleStatus(recorded.lifecycle)).toMatchObject({ state: 'voided', pendingMessages: 1 });
    expect(shown([{ kind: 'notice_settled' }, { kind: 'drained' }], recorded.lifecycle).commands).toEqual(['deliver M-VOID#1']);
  });

  it('raises the deadline marks on absolute instants: one already past at once, then a timer to the next', () => {
    expect(drive(startLifecycle({ ...START, ...due(NOW - 41 * HOUR) }, NOW).lifecycle, [{ kind: 'started' }]).commands.map(show)).toEqual(['mark F0401 due_soon', 'notify_buyer', 'deliver F0401#1']);
    const [timer] = drive(marking, [{ kind: 'deadline_marked', messageId: null }]).commands;
    expect(timer).toEqual({ kind: 'start_timer', messageId: null, ms: 7 * HOUR });
    const overdue = shown([{ kind: 'deadline_marked', messageId: null }, { kind: 'deadline_due', messageId: null }], marking);
    expect([overdue.commands.at(-1), overdue.lifecycle.deadlineState]).toEqual(['mark F0401 overdue', 'overdue']);
  });

  it('starts together the operations that arrive together; one that comes later waits for the turn', () => {
    const ask = (id: number): LifecycleEventBody => ({ kind: 'requested', id, request: { kind: 'allowance', ask: { key: `a${id}`, lines: [{ lineIndex: 0, amount: 10 }] } } });
    const both = shown([ask(1), ask(2), { kind: 'drained' }, ask(3)], acceptedIdle);
    expect(both.commands).toEqual(['record_allowance', 'record_allowance']);
    expect(shown([allowanceRecorded(1), { kind: 'drained' }], both.lifecycle).commands).toEqual(['start_timer M-AL', 'reply', 'record_allowance', 'deliver M-AL#1']);
  });

  it('lets a cancel-as-blank of a rejection already in the database wait for that verdict instead of refusing it', () => {
    const request = { kind: 'void', ask: { ...blankAsk, verdictRecorded: true } } as const;
    expect(() => checkOnArrival(polling, request, NOW)).not.toThrow();
    expect(() => checkOnArrival(polling, { kind: 'void', ask: blankAsk }, NOW)).toThrow(expect.objectContaining({ code: 'VOID.UPLOAD_IN_FLIGHT' }));
    const run = shown([{ kind: 'requested', id: 1, request }, rejected(), { kind: 'drained' }], polling);
    expect(run.commands).toEqual(['record_void']);
  });

  it('uploads a resent follow-up message as its next attempt, and the next message as soon as one is accepted', () => {
    expect(shown([{ kind: 'requested', id: 9, request: { kind: 'resend' } }, { kind: 'drained' }], messageRejected).commands).toEqual(['reply', 'deliver M-AL#2']);
    const two = drive(messageUploading, [{ kind: 'requested', id: 2, request: { kind: 'allowance_void', ask: { key: 'av', allowanceNumber: 'AL01', reason: '退貨取消' } } }, { kind: 'allowance_void_recorded', id: 2, message: message('M-ALV') }]).lifecycle;
    expect(shown([accepted, { kind: 'drained' }], two).commands).toEqual(['deliver M-ALV#1', 'cancel_timer M-AL']);
  });

  it('ends a resumed run with nothing open at once, and refuses with its code what the rules refuse', () => {
    expect(isFinished(acceptedIdle)).toBe(true);
    expect(isFinished(voided)).toBe(true);
    const late = { ...acceptedIdle, filingDeadline: iso(NOW - HOUR) };
    expect(() => checkOnArrival(late, { kind: 'void', ask: voidAsk }, NOW)).toThrow(expect.objectContaining({ code: 'VOID.APPROVAL_REQUIRED' }));
    expect(() => checkOnArrival(acceptedIdle, { kind: 'void', ask: { ...voidAsk, reason: ' ' } }, NOW)).toThrow(expect.objectContaining({ code: 'VOID.REASON_INVALID' }));
    const lined = from({ lines: [{ description: 'A', quantity: 1, unitPrice: 100, amount: 100, taxType: '1' }], resume: { state: 'accepted', voidRequestKey: null, allowances: [], openMessages: [] } }, [{ kind: 'started' }]);
    expect(() => checkOnArrival(lined, { kind: 'allowance', ask: { key: 'a', lines: [{ lineIndex: 0, amount: 500 }] } }, NOW)).toThrow(DomainError);
  });
});
