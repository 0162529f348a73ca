import { ResendCorrections, VoidRequest } from '../libs/contracts/workflows';
import { AllowanceRequest } from '../libs/domain/invoice/allowances';
import { DeadlineTarget, DeliveredUpload, InvoiceLifecycleService, RecordedOutcome } from '../libs/modules/invoices';
import { notYet, permanentOnDomainError } from './errors';

export type { DeadlineTarget, DeliveredUpload, RecordedOutcome };

/** Thrown while Turnkey has no verdict yet; the workflow's retry policy turns it into polling. */
export const OUTCOME_PENDING = 'TURNKEY.OUTCOME_PENDING';

export const createInvoiceActivities = (lifecycle: InvoiceLifecycleService) => ({
  async deliverMessage(invoiceId: string, messageId: string | null, attempt?: number): Promise<DeliveredUpload> {
    return permanentOnDomainError(() => lifecycle.deliverMessage(invoiceId, messageId, attempt));
  },

  /**
   * One look at Turnkey's log for the verdict on an upload. While there is none it fails retryably, and the retry
   * policy paces the polling: no worker slot is held while waiting and an outage costs no history events.
   */
  async checkOutcome(upload: DeliveredUpload): Promise<RecordedOutcome> {
    const outcome = await lifecycle.checkOutcome(upload);
    if (outcome.state === 'pending') throw notYet(OUTCOME_PENDING, `no platform result yet for ${upload.fileName}`);
    return outcome;
  },

  /** A wait of at most a couple of seconds for a quick verdict, run as a local activity: `pending` is an answer here. */
  async awaitOutcome(upload: DeliveredUpload): Promise<RecordedOutcome | { state: 'pending' }> {
    return lifecycle.awaitOutcome(upload);
  },

  async markDeadline(target: DeadlineTarget, state: 'due_soon' | 'overdue' | 'past_legal'): Promise<void> {
    await lifecycle.markDeadline(target, state);
  },

  async notifyBuyer(invoiceId: string): Promise<'sent' | 'already sent' | 'no address' | 'no mail server'> {
    return lifecycle.notifyBuyer(invoiceId);
  },

  async applyCorrections(invoiceId: string, corrections: ResendCorrections): Promise<void> {
    return permanentOnDomainError(() => lifecycle.applyCorrections(invoiceId, corrections));
  },

  async recordVoid(invoiceId: string, request: VoidRequest & { b2b: boolean }) {
    return permanentOnDomainError(() => lifecycle.recordVoid(invoiceId, request));
  },

  async recordAllowance(invoiceId: string, request: { key: string; request: AllowanceRequest; reason?: string; b2b: boolean }) {
    return permanentOnDomainError(() => lifecycle.recordAllowance(invoiceId, request));
  },

  async recordAllowanceVoid(invoiceId: string, request: { key: string; allowanceNumber: string; reason: string; b2b: boolean }) {
    return permanentOnDomainError(() => lifecycle.recordAllowanceVoid(invoiceId, request));
  },
});

export type InvoiceActivities = ReturnType<typeof createInvoiceActivities>;
