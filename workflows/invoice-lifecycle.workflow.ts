import { allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { InvoiceActivities } from '../activities/invoice.activities';
import {
  AllowanceRequestInput,
  AllowanceVoidRequest,
  DeadlineState,
  DeadlineTimes,
  FollowUpMessage,
  InvoiceLifecycleInput,
  LifecycleStatus,
  allowanceUpdate,
  allowanceVoidUpdate,
  lifecycleStatusQuery,
  resendUpdate,
  VoidRequest,
  voidUpdate,
} from '../libs/contracts/workflows';
import { refusing } from '../libs/contracts/failures';
import { DomainError } from '../libs/domain/domain-error';
import { AllowanceLine, planAllowance } from '../libs/domain/invoice/allowances';
import { OperationState, checkAllowance, checkAllowanceVoid, checkResend, checkVoid } from '../libs/domain/invoice/operation-rules';

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

const DEADLINES = [
  ['warnAt', 'due_soon'],
  ['dueAt', 'overdue'],
  ['legalDueAt', 'past_legal'],
] as const;

/**
 * One invoice for its whole legal life: upload F0401 through Turnkey (retrying what is transient, holding a
 * rejection until staff resend it), then every void, allowance and allowance void as Updates, each with its own
 * message, upload and deadline. Deadline states are raised on absolute times.
 */
export async function invoiceLifecycle(input: InvoiceLifecycleInput): Promise<LifecycleStatus> {
  const { facts } = input;
  const status: LifecycleStatus = {
    state: input.resume?.state ?? 'issued',
    attempts: 0,
    deadlineState: input.resume ? 'done' : 'on_time',
    pendingMessages: 0,
  };
  let voidRequestKey = input.resume?.voidRequestKey ?? null;
  const allowances = input.resume?.allowances ?? [];
  const queue: FollowUpMessage[] = [];
  const acceptedMessages = new Set<string>();
  let runningWatchers = 0;
  let resendRequested = false;
  let resendInFlight = false;
  let messageRejected = false;
  let operationInProgress = false;
  let f0401Accepted = input.resume !== undefined && input.resume.state !== 'cancelled_blank';

  /** What the operation rules judge by, as this workflow sees it now. */
  const operationState = (): OperationState => ({
    invoiceNumber: input.invoiceNumber,
    state: status.state,
    f0401Accepted,
    uploadInFlight: status.state === 'uploading' || resendRequested || resendInFlight,
    voidRequestKey,
    allowances,
    filingDeadline: new Date(facts.filingDeadline),
  });

  /** Raises due_soon, overdue and past_legal on absolute times, unless the message is accepted first. */
  async function watchDeadlines(times: DeadlineTimes, isDone: () => boolean, mark: (state: Exclude<DeadlineState, 'on_time' | 'done'>) => Promise<void>) {
    runningWatchers++;
    try {
      for (const [field, state] of DEADLINES) {
        const waitMs = Date.parse(times[field]) - Date.now();
        if (waitMs > 0 && (await condition(isDone, waitMs))) return;
        if (isDone()) return;
        await mark(state);
      }
    } finally {
      runningWatchers--;
    }
  }

  /** Queues a follow-up message for upload; its deadline clock runs from now, whatever is queued before it. */
  function enqueue(message: FollowUpMessage): void {
    queue.push(message);
    void watchDeadlines(message, () => acceptedMessages.has(message.messageId), (state) => io.markDeadline({ messageId: message.messageId }, state));
  }
  for (const message of input.resume?.openMessages ?? []) enqueue(message);

  /**
   * Voids and allowances run one at a time and are checked again once their turn comes: two requests validated
   * against the same state (e.g. two whole allowances) must not both pass.
   */
  async function exclusively<T>(check: () => void, work: () => Promise<T>): Promise<T> {
    await condition(() => !operationInProgress);
    operationInProgress = true;
    try {
      check();
      return await work();
    } finally {
      operationInProgress = false;
    }
  }

  setHandler(lifecycleStatusQuery, () => ({ ...status, pendingMessages: queue.length }));

  setHandler(
    resendUpdate,
    async (corrections) => {
      // The database may report a rejection a moment before this workflow has seen it: wait for the upload in
      // flight to be settled, then resend only what was rejected.
      await condition(() => status.state === 'rejected' || messageRejected || (status.state !== 'uploading' && queue.length === 0));
      refusing(() => checkResend(operationState(), messageRejected));
      resendInFlight = true;
      try {
        if (status.state === 'rejected') await io.applyCorrections(input.invoiceId, corrections);
        resendRequested = true;
      } finally {
        resendInFlight = false;
      }
      return status;
    },
    {
      validator: (_corrections) => {
        // An upload in flight may still be rejected: the handler waits for its verdict.
        if (status.state !== 'uploading' && queue.length === 0) refusing(() => checkResend(operationState(), messageRejected));
      },
    },
  );

  const checkVoidNow = (request: VoidRequest) => void refusing(() => checkVoid(operationState(), request, new Date()));
  /** The rejection is in the database, and this workflow is about to hear of it from the activity that wrote it. */
  const verdictOnItsWay = (request: VoidRequest) => request.verdictRecorded === true && status.state === 'uploading' && !resendRequested && !resendInFlight;

  setHandler(
    voidUpdate,
    async (request) => {
      if (request.mode === 'void' && voidRequestKey !== request.key) await uploadedFirst('VOID.NOT_UPLOADED');
      if (verdictOnItsWay(request)) await condition(() => status.state !== 'uploading');
      return exclusively(
        () => checkVoidNow(request),
        async () => {
          // Recording is idempotent on the request key: a repeat returns what the first request recorded.
          const result = await io.recordVoid(input.invoiceId, { ...request, b2b: facts.b2b });
          if (voidRequestKey !== request.key) {
            voidRequestKey = request.key;
            status.state = request.mode === 'cancel_blank' ? 'cancelled_blank' : 'voided';
            if (result.message) enqueue(result.message);
          }
          return { invoiceNumber: input.invoiceNumber, state: status.state, messageId: result.message?.messageId ?? null, voidedAt: result.voidedAt };
        },
      );
    },
    {
      validator: (request) => {
        if (!verdictOnItsWay(request)) checkVoidNow(request);
      },
    },
  );

  /**
   * The lines the allowance takes, or undefined for a repeat of one already recorded. A run whose input carries the
   * lines (started before they left it) plans here, as its history did; any other leaves the amounts to
   * recordAllowance, which plans under the invoice's row lock and refuses what exceeds the invoice.
   */
  function checkAllowanceNow(request: AllowanceRequestInput): AllowanceLine[] | undefined {
    return refusing(() => {
      if (!checkAllowance(operationState(), request.key)) return undefined;
      const asked = request.whole ? { whole: true as const } : { lines: request.lines ?? [] };
      return facts.lines ? planAllowance(facts.lines, allowances.map((a) => ({ ...a, lines: a.lines ?? [] })), asked) : [];
    });
  }

  setHandler(
    allowanceUpdate,
    async (request) => {
      if (!allowances.some((a) => a.requestKey === request.key)) await uploadedFirst('ALLOWANCE.INVOICE_REJECTED');
      let lines: AllowanceLine[] | undefined;
      return exclusively(
        () => (lines = checkAllowanceNow(request)),
        async () => {
          const asked = request.whole ? { whole: true as const } : { lines: request.lines ?? [] };
          const result = await io.recordAllowance(input.invoiceId, { key: request.key, request: asked, reason: request.reason, b2b: facts.b2b });
          if (lines) {
            allowances.push({ number: result.allowanceNumber, live: true, lines: facts.lines ? result.lines : undefined, requestKey: request.key, voidRequestKey: null });
            enqueue(result.message);
          }
          return { allowanceNumber: result.allowanceNumber, messageId: result.message.messageId, lines: result.lines, allowanceDate: result.allowanceDate };
        },
      );
    },
    { validator: (request) => void checkAllowanceNow(request) },
  );

  const checkAllowanceVoidNow = (request: AllowanceVoidRequest) => void refusing(() => checkAllowanceVoid(operationState(), request));

  setHandler(
    allowanceVoidUpdate,
    async (request) =>
      exclusively(
        () => checkAllowanceVoidNow(request),
        async () => {
          const allowance = allowances.find((a) => a.number === request.allowanceNumber)!;
          const message = await io.recordAllowanceVoid(input.invoiceId, { ...request, b2b: facts.b2b });
          if (allowance.voidRequestKey !== request.key) {
            allowance.live = false;
            allowance.voidRequestKey = request.key;
            enqueue(message);
          }
          return { allowanceNumber: request.allowanceNumber, messageId: message.messageId };
        },
      ),
    { validator: checkAllowanceVoidNow },
  );

  /**
   * A void or allowance of an invoice still being uploaded waits for the platform's acceptance ("uploaded first");
   * should the upload be rejected instead, the request is refused.
   */
  async function uploadedFirst(code: string): Promise<void> {
    if (f0401Accepted) return;
    await condition(() => f0401Accepted || status.state === 'rejected');
    if (!f0401Accepted) refusing(() => {
      throw new DomainError('conflict', code, `the upload of ${input.invoiceNumber} was rejected; resend it first`);
    });
  }

  /**
   * Delivers one message (`attempt` 1, then 2 after a resend…) and polls for the platform's verdict; a rejection
   * waits for staff to resend.
   */
  async function upload(messageId: string | null, attempt: number): Promise<'accepted' | 'rejected'> {
    // Each patch costs a run a marker and a search-attribute upsert, so the newer implies the older: runs recorded
    // before the quick verdict went from delivery straight to polling, and those recorded before the delivery became
    // a local activity replay it as the activity task it was.
    const quickVerdict = patched('await-verdict-in-workflow-task');
    const delivered = quickVerdict || patched('deliver-as-local-activity')
      ? await local.deliverMessage(input.invoiceId, messageId, attempt)
      : await io.deliverMessage(input.invoiceId, messageId, attempt);
    // A platform that answers within the worker's quick-verdict wait is heard in this same workflow task; the
    // polling activity is for one that takes longer.
    const quick = quickVerdict ? await local.awaitOutcome(delivered) : { state: 'pending' as const };
    const outcome = quick.state === 'pending' ? await polling.checkOutcome(delivered) : quick;
    if (outcome.state === 'accepted') return 'accepted';
    status.lastError = { code: outcome.errorCode, message: outcome.errorMessage };
    return 'rejected';
  }

  if (!input.resume) {
    void watchDeadlines(input, () => f0401Accepted || status.state === 'cancelled_blank', async (state) => {
      status.deadlineState = state;
      await io.markDeadline({ invoiceId: input.invoiceId }, state);
    });
    let noticeSettled = !input.notifyBuyer;
    // A notice that failed every attempt is given up, not the invoice.
    if (input.notifyBuyer) void mail.notifyBuyer(input.invoiceId).catch(() => undefined).then(() => (noticeSettled = true));
    while (!f0401Accepted && status.state !== 'cancelled_blank') {
      status.state = 'uploading';
      status.attempts++;
      resendRequested = false;
      if ((await upload(null, status.attempts)) === 'accepted') {
        f0401Accepted = true;
        status.state = 'accepted';
        status.deadlineState = 'done';
        status.lastError = undefined;
        break;
      }
      status.state = 'rejected';
      await condition(() => resendRequested || status.state === 'cancelled_blank');
    }
    await condition(() => noticeSettled);
  }

  // Follow-up messages, in the order they were entered: each uploaded after the one before is settled. With none
  // left, no handler running and every deadline watcher done, the run ends; a later void or allowance starts the
  // workflow again from the database (update-with-start).
  for (;;) {
    await condition(() => queue.length > 0 || (runningWatchers === 0 && allHandlersFinished()));
    if (queue.length === 0) break;
    const message = queue[0];
    for (let attempt = 1; (await upload(message.messageId, attempt)) === 'rejected'; attempt++) {
      messageRejected = true;
      resendRequested = false;
      await condition(() => resendRequested);
      messageRejected = false;
    }
    acceptedMessages.add(message.messageId);
    queue.shift();
  }
  return { ...status, pendingMessages: queue.length };
}
