import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { UpdateDefinition } from '@temporalio/common';
import { domainErrorOf } from '../../contracts/failures';
import { lifecycleInput } from '../../contracts/lifecycle-input';
import {
  AllowanceRequestInput,
  AllowanceResult,
  InvoiceLifecycleInput,
  LifecycleStatus,
  ResendCorrections,
  VoidRequest,
  VoidResult,
  WORKFLOW_TYPES,
  allowanceUpdate,
  allowanceVoidUpdate,
  invoiceWorkflowId,
  resendUpdate,
  voidUpdate,
} from '../../contracts/workflows';
import { DomainError } from '../../domain';
import { checkResend } from '../../domain/invoice/operation-rules';
import { SellerEntity } from '../../infra/persistence/entities';
import { InvoiceRecord, followUpOf, lifecycleRecordOf } from './invoice.records';
import { InvoiceRepositories } from './invoices.service';

/** Corrections cross Temporal as an Update argument and an activity input, each held to Temporal's 2 MB payload limit. */
const MAX_CORRECTIONS_BYTES = 1024 * 1024;

/** A refusal from the workflow (its validator or an activity it ran) as the domain error it was raised as. */
function refusalOf(error: unknown): unknown {
  return (error instanceof WorkflowUpdateFailedError && domainErrorOf(error.cause)) || error;
}

/**
 * Void, allowance, allowance void and resend as Updates on the invoice's own workflow, for the invoice's whole legal
 * life: update-with-start reaches the running lifecycle, or starts it again from the database state once it has
 * ended. The Update id is the caller's idempotency key, and the activities record by the same key.
 */
export class InvoiceOperations {
  constructor(
    private readonly repos: InvoiceRepositories,
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async void(seller: SellerEntity, invoiceNumber: string, request: VoidRequest): Promise<VoidResult> {
    const invoice = await this.invoice(seller, invoiceNumber);
    const verdictRecorded = request.mode === 'cancel_blank' && invoice.status === 'rejected';
    return this.update(seller, invoice, voidUpdate, verdictRecorded ? { ...request, verdictRecorded } : request, `void:${request.key}`);
  }

  async allowance(seller: SellerEntity, invoiceNumber: string, request: AllowanceRequestInput): Promise<AllowanceResult> {
    const invoice = await this.invoice(seller, invoiceNumber);
    return this.update(seller, invoice, allowanceUpdate, request, `allowance:${request.key}`);
  }

  async voidAllowance(seller: SellerEntity, allowanceNumber: string, request: { key: string; reason: string }) {
    const invoiceNumber = await this.repos.allowances.invoiceNumberOf(seller.id, allowanceNumber);
    if (!invoiceNumber) throw new DomainError('not_found', 'ALLOWANCE.NOT_FOUND', `seller ${seller.ban} has no allowance ${allowanceNumber}`);
    const invoice = await this.invoice(seller, invoiceNumber);
    return this.update(seller, invoice, allowanceVoidUpdate, { ...request, allowanceNumber }, `allowance-void:${request.key}`);
  }

  /** Sends a rejected upload again with the corrections staff made; a finished lifecycle takes no resend. */
  async resend(seller: SellerEntity, invoiceNumber: string, corrections: ResendCorrections): Promise<LifecycleStatus & { number: string }> {
    const size = Buffer.byteLength(JSON.stringify(corrections));
    if (size > MAX_CORRECTIONS_BYTES) {
      throw new DomainError('invalid', 'RESEND.TOO_LARGE', `the corrections are ${size} bytes; at most ${MAX_CORRECTIONS_BYTES} bytes are taken in one resend`, [
        { field: 'lineDescriptions', code: 'RESEND.TOO_LARGE', message: `at most ${MAX_CORRECTIONS_BYTES} bytes of corrections per resend` },
      ]);
    }
    const invoice = await this.invoice(seller, invoiceNumber);
    const messages = await this.repos.messages.openOf(invoice.id);
    // The database says why without asking Temporal.
    checkResend({ invoiceNumber: invoice.invoiceNumber, state: invoice.status }, messages.some((m) => m.status === 'rejected'));
    try {
      const handle = this.client.workflow.getHandle(invoiceWorkflowId(seller.ban, invoice.invoiceNumber));
      return { number: invoice.invoiceNumber, ...(await handle.executeUpdate(resendUpdate, { args: [corrections] })) };
    } catch (error) {
      throw refusalOf(error);
    }
  }

  private async invoice(seller: SellerEntity, invoiceNumber: string): Promise<InvoiceRecord> {
    const invoice = await this.repos.invoices.findByNumber(seller.id, invoiceNumber);
    if (!invoice) throw new DomainError('not_found', 'INVOICE.NOT_FOUND', `seller ${seller.ban} has no invoice ${invoiceNumber}`);
    return invoice;
  }

  private async update<Ret, Arg>(seller: SellerEntity, invoice: InvoiceRecord, update: UpdateDefinition<Ret, [Arg]>, arg: Arg, updateId: string): Promise<Ret> {
    const input = await this.resumeInput(seller, invoice);
    // A start operation is single-use.
    const start = () =>
      new WithStartWorkflowOperation(WORKFLOW_TYPES.invoiceLifecycle, {
        workflowId: invoiceWorkflowId(seller.ban, invoice.invoiceNumber),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    try {
      try {
        return await this.client.workflow.executeUpdateWithStart(update, { args: [arg], updateId, startWorkflowOperation: start() });
      } catch (error) {
        // The run ended between taking the request and handling it; the next attempt starts a new run.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        return await this.client.workflow.executeUpdateWithStart(update, { args: [arg], updateId, startWorkflowOperation: start() });
      }
    } catch (error) {
      throw refusalOf(error);
    }
  }

  /** The lifecycle input as it stands in the database; used only when the workflow has to start again. */
  private async resumeInput(seller: SellerEntity, invoice: InvoiceRecord): Promise<InvoiceLifecycleInput> {
    const record = { ...lifecycleRecordOf(invoice), notifyBuyer: false };
    // Only an invoice the platform has accepted (or one cancelled as blank) resumes; any other starts from its upload.
    if (invoice.acceptedAt === null && invoice.status !== 'cancelled_blank') return lifecycleInput(seller.ban, record);
    const [allowances, messages] = await Promise.all([this.repos.allowances.ofInvoice(invoice.id), this.repos.messages.openOf(invoice.id)]);
    return lifecycleInput(seller.ban, record, {
      state: invoice.status,
      voidRequestKey: invoice.voidRequestKey,
      // No lines: the new run plans allowances in recordAllowance, and an allowance can have 9,999 of them.
      allowances: allowances.map((a) => ({
        number: a.allowanceNumber,
        live: a.status === 'live',
        requestKey: a.requestKey,
        voidRequestKey: a.voidRequestKey,
      })),
      openMessages: messages.map(followUpOf),
    });
  }
}
