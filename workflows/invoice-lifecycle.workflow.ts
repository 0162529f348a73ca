import { CancellationScope, allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { DeliveredUpload, InvoiceActivities } from '../activities/invoice.activities';
import { failureOf, refusing } from '../libs/contracts/failures';
import { InvoiceLifecycleInput, LifecycleStatus, ResendCorrections, allowanceUpdate, allowanceVoidUpdate, lifecycleStatusQuery, resendUpdate, voidUpdate } from '../libs/contracts/workflows';
import { LifecycleCommand, LifecycleEvent, LifecycleEventBody, LifecycleRequest, checkOnArrival, decide, isFinished, lifecycleStatus, startLifecycle } from '../libs/domain/invoice/lifecycle';

/** A short step that must succeed: retried until it does. */
const STEP = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

const io = proxyActivities<InvoiceActivities>(STEP);

/**
 * Writing a message into Turnkey's folder is a short database-and-file step: run in the workflow task that asks for it,
 * it costs the server no activity task of its own (three history events and a workflow task fewer per message).
 */
const local = proxyLocalActivities<InvoiceActivities>(STEP);

/** The buyer's notice is a courtesy: a mail server that keeps failing must not hold the invoice open for ever. */
const mail = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 },
});

/** Polling Turnkey's log: every retry is one look, spaced out to 15 s, for as long as the platform takes. */
const polling = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 1.5, maximumInterval: '15 seconds' },
});

/** Commands whose effect lands on a promise's settling, a moment after they are carried out. */
const DEFERRED = new Set<LifecycleCommand['kind']>(['cancel_timer', 'reply', 'refuse', 'fail']);

/**
 * One invoice for its whole legal life: upload F0401 through Turnkey (retrying what is transient, holding a
 * rejection until staff resend it), then every void, allowance and allowance void as Updates, each with its own
 * message, upload and deadline. What to do is decided by `decide` (libs/domain/invoice/lifecycle/); this loop
 * waits for the next event (an Update, a timer, an activity's result), asks, and carries the commands out in order.
 */
export async function invoiceLifecycle(input: InvoiceLifecycleInput): Promise<LifecycleStatus> {
  const { facts } = input;
  const inbox: LifecycleEvent[] = [];
  const post = (event: LifecycleEventBody) => void inbox.push({ ...event, now: Date.now() });
  const answers = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const corrections = new Map<number, ResendCorrections>();
  const timers = new Map<string | null, CancellationScope>();
  let upload: DeliveredUpload | undefined;
  let failed: { failure: unknown } | undefined;
  let requests = 0;

  /** An activity whose result comes back as an event; a request's operation that fails fails that request only. */
  function run<T>(work: Promise<T>, event: (result: T) => LifecycleEventBody, id?: number): void {
    work.then((result) => post(event(result)), (failure: unknown) => (id === undefined ? (failed = { failure }) : post({ kind: 'operation_failed', id, failure })));
  }

  /** Cancelling a timer or answering an Update lands a moment later: the next command waits, so the history keeps the order. */
  function flush(): Promise<void> {
    let looked = false;
    return condition(() => looked || !(looked = true));
  }

  function perform(command: LifecycleCommand): void {
    switch (command.kind) {
      case 'deliver': {
        // The newer patch implies the older (each costs a marker and a search-attribute upsert): runs from before the
        // quick verdict went from delivery to polling, those from before the local delivery replay its activity task.
        const quickVerdict = patched('await-verdict-in-workflow-task');
        const activities = quickVerdict || patched('deliver-as-local-activity') ? local : io;
        return run(activities.deliverMessage(input.invoiceId, command.messageId, command.attempt), (delivered) => ((upload = delivered), { kind: 'delivered', quickVerdict }));
      }
      case 'await_verdict':
        return run(local.awaitOutcome(upload!), (verdict) => ({ kind: 'verdict', verdict }));
      case 'poll_verdict':
        return run(polling.checkOutcome(upload!), (verdict) => ({ kind: 'verdict', verdict }));
      case 'start_timer': {
        const scope = timers.set(command.messageId, new CancellationScope()).get(command.messageId)!;
        return void scope.run(() => sleep(command.ms)).then(() => post({ kind: 'deadline_due', messageId: command.messageId }), () => undefined);
      }
      case 'cancel_timer':
        return timers.get(command.messageId)!.cancel();
      case 'mark_deadline':
        return run(io.markDeadline(command.messageId ? { messageId: command.messageId } : { invoiceId: input.invoiceId }, command.state), () => ({ kind: 'deadline_marked', messageId: command.messageId }));
      case 'notify_buyer':
        // A notice that failed every attempt is given up, not the invoice.
        return void mail.notifyBuyer(input.invoiceId).catch(() => undefined).then(() => post({ kind: 'notice_settled' }));
      case 'apply_corrections':
        return run(io.applyCorrections(input.invoiceId, corrections.get(command.id)!), () => ({ kind: 'corrected', id: command.id }), command.id);
      case 'record_void':
        return run(io.recordVoid(input.invoiceId, { ...command.ask, b2b: facts.b2b }), (r) => ({ kind: 'void_recorded', id: command.id, ...r }), command.id);
      case 'record_allowance':
        return run(io.recordAllowance(input.invoiceId, { ...command.ask, b2b: facts.b2b }), (r) => ({ kind: 'allowance_recorded', id: command.id, ...r }), command.id);
      case 'record_allowance_void':
        return run(io.recordAllowanceVoid(input.invoiceId, { ...command.ask, b2b: facts.b2b }), (message) => ({ kind: 'allowance_void_recorded', id: command.id, message }), command.id);
      case 'reply':
        return answers.get(command.id)!.resolve(command.value);
      case 'refuse':
        return answers.get(command.id)!.reject(failureOf(command.error));
      case 'fail':
        return answers.get(command.id)!.reject(command.failure);
    }
  }

  async function carry(commands: LifecycleCommand[]): Promise<void> {
    for (const command of commands) {
      perform(command);
      if (DEFERRED.has(command.kind)) await flush();
    }
  }

  let { lifecycle, commands } = startLifecycle({ ...input, filingDeadline: facts.filingDeadline, lines: facts.lines }, Date.now());
  void carry(commands);
  async function next(event: LifecycleEvent): Promise<void> {
    ({ lifecycle, commands } = decide(lifecycle, event));
    await carry(commands);
  }

  /** An Update checked on arrival against the lifecycle as it stands, then decided in its turn by the loop. */
  function ask<T>(request: LifecycleRequest, before?: (id: number) => void): Promise<T> {
    const id = ++requests;
    before?.(id);
    return new Promise<T>((resolve, reject) => {
      answers.set(id, { resolve: resolve as (value: unknown) => void, reject });
      post({ kind: 'requested', id, request });
    });
  }
  const validate = (request: LifecycleRequest) => refusing(() => checkOnArrival(lifecycle, request, Date.now()));

  setHandler(lifecycleStatusQuery, () => lifecycleStatus(lifecycle));
  setHandler(resendUpdate, (fixes) => ask({ kind: 'resend' }, (id) => corrections.set(id, fixes)), { validator: (_fixes) => validate({ kind: 'resend' }) });
  setHandler(voidUpdate, (request) => ask({ kind: 'void', ask: request }), { validator: (request) => validate({ kind: 'void', ask: request }) });
  setHandler(allowanceUpdate, (request) => ask({ kind: 'allowance', ask: request }), { validator: (request) => validate({ kind: 'allowance', ask: request }) });
  setHandler(allowanceVoidUpdate, (request) => ask({ kind: 'allowance_void', ask: request }), { validator: (request) => validate({ kind: 'allowance_void', ask: request }) });

  await next({ kind: 'started', now: Date.now() });
  // With nothing left to decide and no Update still answering, the run ends; a later void or allowance starts the
  // workflow again from the database (update-with-start).
  for (;;) {
    await condition(() => inbox.length > 0 || failed !== undefined || (isFinished(lifecycle) && allHandlersFinished()));
    if (failed) throw failed.failure;
    if (inbox.length === 0) return lifecycleStatus(lifecycle);
    while (inbox.length > 0) await next(inbox.shift()!);
    await next({ kind: 'drained', now: Date.now() });
  }
}
