import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { InvoiceActivities } from '../activities/invoice.activities';
import {
  InvoiceLifecycleInput,
  LifecycleStatus,
  lifecycleStatusQuery,
  resendUpdate,
} from '../libs/contracts/workflows';

const io = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
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
 * One invoice from issue to the platform's acceptance: upload its F0401 through Turnkey, retry what is transient,
 * hold a rejection until staff correct and resend it, and raise the deadline states on absolute times meanwhile.
 */
export async function invoiceLifecycle(input: InvoiceLifecycleInput): Promise<LifecycleStatus> {
  const status: LifecycleStatus = { state: 'issued', attempts: 0, deadlineState: 'on_time' };
  let resendRequested = false;

  setHandler(lifecycleStatusQuery, () => status);
  setHandler(
    resendUpdate,
    async (corrections) => {
      await io.applyCorrections(input.invoiceId, corrections);
      resendRequested = true;
      return status;
    },
    {
      validator: (_corrections) => {
        if (status.state !== 'rejected') {
          throw new Error(`invoice ${input.invoiceNumber} is ${status.state}; only a rejected upload can be resent`);
        }
      },
    },
  );

  const accepted = () => status.state === 'accepted';
  const watchDeadlines = async () => {
    for (const [field, state] of DEADLINES) {
      const waitMs = Date.parse(input[field]) - Date.now();
      if (waitMs > 0 && (await condition(accepted, waitMs))) return;
      if (accepted()) return;
      status.deadlineState = state;
      await io.markDeadline(input.invoiceId, state);
    }
  };
  const deadlines = watchDeadlines();
  const notice = input.notifyBuyer ? io.notifyBuyer(input.invoiceId) : Promise.resolve();

  while (!accepted()) {
    status.state = 'uploading';
    status.attempts++;
    const upload = await io.deliverInvoice(input.invoiceId);
    const outcome = await polling.checkOutcome(upload);
    if (outcome.state === 'accepted') {
      status.state = 'accepted';
      status.deadlineState = 'done';
      status.lastError = undefined;
    } else {
      status.state = 'rejected';
      status.lastError = { code: outcome.errorCode, message: outcome.errorMessage };
      resendRequested = false;
      await condition(() => resendRequested);
    }
  }
  await Promise.all([deadlines, notice]);
  return status;
}
